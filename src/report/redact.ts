/**
 * Secret redaction for every text a report quotes. On by default; `redact: false`
 * (the CLI's `--no-redact`) turns it off. Over 300 lines because the three scanners
 * (URL user-info, keyed values, keyless shapes) share their quote-level logic and their
 * linear-time argument, and split apart they would each restate it.
 *
 * Secrets are masked as `***` with the key, user, quotes and punctuation kept, so the
 * evidence still reads: `postgresql://etl:***@db:5432/x`, `password='***'`, `Pwd=***;`,
 * `\"password\": \"***\"`, `PASSWORD '***'`, `ghp_***`, `Authorization: Bearer ***`.
 *
 * Reports quote log lines as they were written, so one secret can appear in several
 * encodings: plain, JSON-escaped (`{\"password\": \"x\"}` inside a dbt JSON line),
 * JSON-in-JSON (`\\\"x\\\"`), spread over a pretty-printed document (`"password": {` with
 * `"value": "x"` lines later), or a SQL literal (`PASSWORD 'it''s'`). A quoted value is read
 * at the quoting level it was opened with, and a value whose closing quote is missing (a
 * message cut mid-quote) is masked to the end of its line, so cutting never uncovers a secret.
 *
 * Linear time by construction (logs are hostile input): every scanner moves forward and never
 * rescans a range it has passed; regexes start at a literal or a token start (a lookbehind)
 * and have bounded variable parts. Masking is idempotent.
 */
import { mapStrings } from './sanitize.js';
import type { Incident, Report } from '../report-types.js';

export const MASK = '***';

/**
 * Key names whose value is a secret (documented in README "Limits and damaged input").
 * A key counts when it ENDS with one of these (case-insensitive, `_ . -` ignored), so
 * `PGPASSWORD`, `db_password`, `clientSecret`, `servicePrincipalKey`, `accountKey`,
 * `x-api-key`, `aws_secret_access_key`, `sasToken`, `encryptedCredential` all count.
 * `pass` and `sig` count only as the whole key or its last dotted/underscored part.
 */
export const SECRET_KEY_SUFFIXES = [
  'password', 'passwd', 'passphrase', 'pwd', 'secret', 'secrets', 'token', 'key', 'signature',
  'credential', 'credentials', 'sastoken', 'sasuri', 'sasurl',
] as const;
const SECRET_KEY_WORDS = ['pass', 'sig', 'sas'] as const;
const SUFFIX_RE = new RegExp(`(?:${SECRET_KEY_SUFFIXES.join('|')})$`);
const WORD_RE = new RegExp(`(?:^|[_.-])(?:${SECRET_KEY_WORDS.join('|')})$`);

/** True when `key` names a secret-bearing value (see SECRET_KEY_SUFFIXES). */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (WORD_RE.test(lower)) return true;
  const squashed = lower.replace(/[_.-]/g, '');
  return SUFFIX_RE.test(squashed) && !/(?:keyid|tokenid)$/.test(squashed);
}

/** Values that are not secrets even under a secret key. */
function isPlaceholder(value: string): boolean {
  return value === '' || value === MASK || value === 'null' || value === 'None' || value === 'undefined' || value === 'true' || value === 'false';
}

const BACKSLASH = 0x5c;
const LF = 0x0a;

/** Length of the run of backslashes ending just before `at`. */
function backslashesBefore(text: string, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && text.charCodeAt(at - n - 1) === BACKSLASH) n++;
  return n;
}

/**
 * End of a quoted value opened at `open` (the quote character) with `level` backslashes
 * before it: the index of its closing quote, or -1 when the line ends first.
 * At quoting level b (1 JSON-escaped, 3 JSON-in-JSON, ...) a closing quote has r preceding
 * backslashes with r ≡ b (mod 2(b+1)); any other r is an escaped quote inside. At level 0
 * it has none.
 * SQL doubles a single quote (`'it''s'`); at level 0 `''` is read as one quote.
 */
function closingQuote(text: string, open: number, level: number): number {
  const q = text.charCodeAt(open);
  const mod = 2 * (level + 1);
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) return -1;
    if (c !== q) continue;
    const r = backslashesBefore(text, i);
    // At level 0 any backslash escapes: `'it\\'s'` (Python's `\'` once JSON-encoded) is
    // still inside; a value really ending in a backslash is then masked to the line's end.
    if (level === 0 ? r !== 0 : r % mod !== level) continue;
    if (level === 0 && q === 0x27 && text.charCodeAt(i + 1) === 0x27) {
      i++; // SQL '' inside a literal
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * Ends of lines in one text. The scanners ask about positions that only move forward, so
 * each newline is searched for once overall, not once per value (which would be quadratic
 * on one long line).
 */
class Lines {
  private from = -1;
  private at = -1;
  constructor(readonly text: string) {}
  /** Index of the newline ending the line that holds `pos` (or the text's length). */
  end(pos: number): number {
    if (pos >= this.from && pos <= this.at) return this.at;
    const i = this.text.indexOf('\n', pos);
    this.from = pos;
    this.at = i === -1 ? this.text.length : i;
    return this.at;
  }
}

/** Characters that end a URL in running text (an apostrophe does not: passwords hold them). */
function isUrlStop(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c <= 0x20 || c === 0x3c || c === 0x3e || c === 0x60 || c === 0x7f) return true;
  return c === 0x22 && backslashesBefore(text, at) % 2 === 0; // `"` ends it, `\"` is inside
}

/**
 * Mask the password in `scheme://user:password@host` (postgresql://, postgres+psycopg2://,
 * jdbc:postgresql://, redis://, https://...). The user stays visible. Read as SQLAlchemy and
 * libpq read it: the user ends at the first `:`; the password runs to the last `@` before the
 * query, so `etl:2024/Summer@db` is a password (not port 2024) and an unencoded `@`, `/` or
 * `'` in it is masked too. Without an `@` the `:` is a port (`host:5432/db`).
 */
export function redactUrlPasswords(text: string): string {
  let i = text.indexOf('://');
  if (i === -1) return text;
  const n = text.length;
  let out = '';
  let last = 0;
  while (i !== -1) {
    let j = i + 3;
    // user: up to ':' (a password follows), '/', '?', '#' or a stop. Like SQLAlchemy's
    // `[^:/]*` it may hold '@' (Azure single server: `etl@myserver:pw@host`).
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x3a || c === 0x2f || c === 0x3f || c === 0x23 || isUrlStop(text, j)) break;
    }
    if (text.charCodeAt(j) !== 0x3a /* : */) {
      i = text.indexOf('://', Math.max(j, i + 3));
      continue;
    }
    // the password needs an '@' before the URL ends; a port (digits, then the path or
    // query) followed by a query holding '@' (`db:5432/x?user=etl@srv`) is not one
    let k = j + 1;
    let query = false;
    while (k < n && text.charCodeAt(k) !== 0x40 && !isUrlStop(text, k)) {
      const c = text.charCodeAt(k);
      if (c === 0x3f || c === 0x23) query = true;
      k++;
    }
    if (text.charCodeAt(k) !== 0x40 /* @ */ || (query && /^\d+(?:[/?#]|$)/.test(text.slice(j + 1, j + 12)))) {
      i = text.indexOf('://', k); // no '@' in [j, k): a '://' inside fails the same way
      continue;
    }
    // extend to the last '@' before the query ('?', '#') or a stop
    for (let m = k + 1; m < n; m++) {
      const c = text.charCodeAt(m);
      if (c === 0x40) k = m;
      else if (c === 0x3f || c === 0x23 || isUrlStop(text, m)) break;
    }
    if (k > j + 1 && text.slice(j + 1, k) !== MASK) {
      out += text.slice(last, j + 1) + MASK;
      last = k;
    }
    i = text.indexOf('://', k + 1);
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * A key (a token of word characters, `.` and `-`), optionally closed by a quote at some
 * escaping level, then a separator: `=`, `:`, `=>`, or (for SQL `PASSWORD 'x'`) blanks
 * before a quote. Starts only at a token start, key length bounded: linear.
 * Groups: 1 key, 2 closing quote of the key (with its backslashes), 3 separator.
 */
const KEY_SEP = /(?<![\w.-])([\w.-]{1,80})(\\{0,15}["'])?([ \t]*(?:=>|[=:])[ \t]*|[ \t]+(?=E?'))/g;

/** Bound of a nested secret object (`"password": { ... }`) that is masked value by value. */
const MAX_OBJECT = 16_384;

/**
 * Mask the values of secret-bearing keys. Returns the text with every such value replaced by
 * MASK, its quotes kept. Values: a quoted string at any escaping level (to its closing quote,
 * or to the end of the line when it is cut); a nested object (every string value in it, so
 * ADF's `"password": {"type": "SecureString", "value": "x"}` loses `x` however it is printed);
 * an ODBC `{braced}` value; an ODBC/ADO value up to `;` that may hold blanks and `&`; or a
 * plain run up to a blank, a quote or `;` (and `&` inside a URL query).
 */
function redactKeyed(text: string): string {
  KEY_SEP.lastIndex = 0;
  const lines = new Lines(text);
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = KEY_SEP.exec(text)) !== null) {
    const [whole, key, keyQuote, sep] = m as unknown as [string, string, string | undefined, string];
    const sqlForm = !/[=:]/.test(sep);
    if (sqlForm ? key.toLowerCase() !== 'password' : !isSecretKey(key)) continue;
    const v = m.index + whole.length;
    const span = valueSpan(lines, v, { bareColon: !keyQuote && sep === ':', inQuery: isQueryKey(text, m.index) });
    if (!span) continue;
    const [from, to] = span;
    const value = text.slice(from, to);
    if (!isPlaceholder(value) && value !== `{${MASK}}`) {
      if (span[2]) {
        out += text.slice(last, from) + span[2];
      } else {
        out += text.slice(last, from) + MASK;
      }
      last = to;
    }
    KEY_SEP.lastIndex = Math.max(KEY_SEP.lastIndex, to);
  }
  return last === 0 ? text : out + text.slice(last);
}

function isQueryKey(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  return c === 0x3f || c === 0x26; // ? or &
}

/**
 * Where the value starting at `v` is: [from, to) to replace, and for nested objects the
 * replacement. Undefined when there is no value to mask.
 */
function valueSpan(lines: Lines, v: number, ctx: { bareColon: boolean; inQuery: boolean }): [number, number, string?] | undefined {
  const text = lines.text;
  const n = text.length;
  let b = v;
  while (b < n && text.charCodeAt(b) === BACKSLASH) b++;
  const c = text.charCodeAt(b);
  if (c === 0x22 || c === 0x27 || (c === 0x45 /* E'..' */ && b === v && text.charCodeAt(b + 1) === 0x27)) {
    const open = c === 0x45 ? b + 1 : b;
    const close = closingQuote(text, open, b - v);
    if (close === -1) return [open + 1, lines.end(open + 1)];
    // the closing quote's own backslashes stay with it
    return [open + 1, close - (b - v)];
  }
  if (b !== v) return undefined; // backslashes before something else: not a value we know
  if (c === 0x7b /* { */) return braced(lines, v);
  if (ctx.bareColon && text.startsWith('//', v)) return undefined; // scheme:// (a URL, masked above)
  // ODBC/ADO value up to ';' (blanks and '&' allowed, '=' not: that is the next pair)
  const limit = Math.min(lines.end(v), v + 256);
  let i = v;
  for (; i < limit; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x3b || ch === 0x3d || ch === 0x22 || ch === 0x27 || ch === 0x7b) break;
  }
  if (i > v && text.charCodeAt(i) === 0x3b && !ctx.inQuery) return [v, i];
  // plain run
  i = v;
  for (; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch <= 0x20 || ch === 0x3b || ch === 0x22 || ch === 0x27 || (ctx.inQuery && (ch === 0x26 || ch === 0x23))) break;
    if (ch === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x22 || next === 0x27 || next === 0x6e || next === 0x72 || next === 0x74) break; // \" \' \n \r \t
    }
  }
  return i > v ? [v, i] : undefined;
}

/**
 * `{...}` after a secret key: a nested object (its first token is a quote, possibly after
 * blanks, newlines or escaped `\n`) has every string value masked; otherwise an ODBC braced
 * value (`}}` escapes a brace) is masked whole. Unclosed: to the end of the text (object) or
 * of the line (ODBC).
 */
function braced(lines: Lines, v: number): [number, number, string?] | undefined {
  const text = lines.text;
  let i = v + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0d || ch === LF) i++;
    else if (ch === BACKSLASH && /[nrt]/.test(text[i + 1] ?? '')) i += 2;
    else break;
  }
  let q = i;
  while (text.charCodeAt(q) === BACKSLASH) q++;
  const first = text.charCodeAt(q);
  if (first === 0x22 || first === 0x27) {
    const end = Math.min(text.length, v + MAX_OBJECT);
    let depth = 0;
    let close = end;
    for (let k = v; k < end; k++) {
      const ch = text.charCodeAt(k);
      if (ch === 0x7b) depth++;
      else if (ch === 0x7d && --depth === 0) {
        close = k + 1;
        break;
      }
    }
    const inner = text.slice(v, close);
    return [v, close, maskObjectValues(inner)];
  }
  if (first === 0x7d) return undefined; // {}
  const eol = lines.end(v);
  for (let k = v + 1; k < eol; k++) {
    if (text.charCodeAt(k) !== 0x7d) continue;
    if (text.charCodeAt(k + 1) === 0x7d) {
      k++;
      continue;
    }
    return [v + 1, k];
  }
  return [v + 1, eol];
}

/**
 * Every string value (a quoted string after `:`) in a nested secret object, at any level,
 * but its `type` (`SecureString`, `AzureKeyVaultSecret`), which says what the secret is.
 */
const OBJECT_VALUE = /(?:(?<![\w])(type)\\{0,15}["'])?(:[ \t]*)(\\{0,15})(["'])/g;
function maskObjectValues(inner: string): string {
  OBJECT_VALUE.lastIndex = 0;
  const lines = new Lines(inner);
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = OBJECT_VALUE.exec(inner)) !== null) {
    const [whole, typeKey, , level] = m as unknown as [string, string | undefined, string, string];
    const open = m.index + whole.length - 1;
    const close = closingQuote(inner, open, level.length);
    const to = close === -1 ? lines.end(open + 1) : close - level.length;
    if (!typeKey && inner.slice(open + 1, to) !== MASK && to > open + 1) {
      out += inner.slice(last, open + 1) + MASK;
      last = to;
    }
    OBJECT_VALUE.lastIndex = Math.max(OBJECT_VALUE.lastIndex, to);
  }
  return last === 0 ? inner : out + inner.slice(last);
}

/** PEM private-key blocks (RSA, EC, OpenSSH, PKCS#8, PGP): the body up to END, or to the end of a cut text. */
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
function redactPem(text: string): string {
  PEM_BEGIN.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(text)) !== null) {
    const from = m.index + m[0].length;
    const endAt = text.indexOf('-----END ', from);
    const to = endAt === -1 ? text.length : endAt;
    if (text.slice(from, to) === MASK) continue;
    out += text.slice(last, from) + MASK;
    last = to;
    PEM_BEGIN.lastIndex = to;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Secrets recognised by their shape, without a key. Group 1 (kept) is the prefix that says
 * what the token was; the rest is masked.
 */
const KEYLESS: RegExp[] = [
  // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs
  /(?<![A-Za-z0-9_])(gh[pousr]_)[A-Za-z0-9]{20,255}/g,
  /(?<![A-Za-z0-9_])(github_pat_)[A-Za-z0-9_]{20,255}/g,
  // Slack bot/user/app tokens and incoming-webhook URLs
  /(?<![A-Za-z0-9-])(xox[abposre]-|xapp-)[A-Za-z0-9-]{6,255}/g,
  /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9_/-]{6,255}/g,
  // AWS access key ids
  /(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g,
  // GitLab, npm, Google API keys, Stripe live keys
  /(?<![A-Za-z0-9_-])(glpat-)[A-Za-z0-9_-]{20,255}/g,
  /(?<![A-Za-z0-9_])(npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9_-])(AIza)[A-Za-z0-9_-]{35}/g,
  /(?<![A-Za-z0-9_])((?:sk|rk)_live_)[A-Za-z0-9]{16,255}/g,
  // `Authorization: Bearer x`, `Authorization: Basic x`, a bare `Bearer x`
  /(?<![\w-])(authorization\\{0,15}["']?[ \t]*[:=][ \t]*\\{0,15}["']?(?:(?:bearer|basic|token|digest|negotiate)[ \t]+)?)(?!\*\*\*|(?:bearer|basic|token|digest|negotiate)[ \t])[^\s"'\\,;]+/gi,
  /(?<![\w-])(bearer[ \t]+)(?!\*\*\*)[A-Za-z0-9._~+/-]{8,}=*/gi,
  // JWT: three base64url segments with a JSON header (`eyJ`)
  /(?<![A-Za-z0-9_-])()eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];

/**
 * Quick prefilter: text without any of these (lower-cased) cannot hold a secret we mask.
 * A few `includes` on the lower-cased text cost a fraction of one case-insensitive regex
 * alternation, which was the hottest function on incident-heavy logs.
 */
const MAYBE_SECRET = ['://', 'pass', 'pwd', 'secret', 'token', 'key', 'sig', 'sas', 'credential', 'bearer', 'authorization', 'eyj', 'gh', 'github_pat_', 'xox', 'xapp-', 'akia', 'asia', 'abia', 'acca', 'glpat-', 'npm_', 'aiza', '_live_'];
function maybeSecret(text: string): boolean {
  const lower = text.toLowerCase();
  for (const literal of MAYBE_SECRET) if (lower.includes(literal)) return true;
  return false;
}

/** Mask secrets in one text. Linear time; idempotent. */
export function redactText(text: string): string {
  if (!maybeSecret(text)) return text;
  let s = redactPem(text);
  s = redactUrlPasswords(s);
  s = redactKeyed(s);
  for (const re of KEYLESS) s = s.replace(re, (_m, keep: string) => keep + MASK);
  return s;
}

/**
 * Keys whose string values are identifiers or fixed vocabulary, not quoted text: never
 * redacted. File names (`source`) are redacted like any text: a path seldom holds a secret,
 * and when it does the mask is what the user wants.
 */
const STRUCTURAL_KEYS = new Set([
  'id',
  'ruleId',
  'sqlstate',
  'observedSqlstates',
  'format',
  'origin',
  'role',
  'time',
  'stack',
  'stacks',
  'confidence',
  'kind',
  'direction',
  'rules',
  'incidents',
  'schemaVersion',
  'name',
  'version',
]);

function redactValue<T>(value: T): T {
  return mapStrings(value, (s, key) => (key !== undefined && STRUCTURAL_KEYS.has(key) ? s : redactText(s)));
}

/**
 * Deep copy of the report with every quoted text redacted: evidence lines, messages, why,
 * cause evidence, remediation, neighbours, warnings, file names, source errors. Identifiers
 * are kept.
 */
export function redactReport(report: Report): Report {
  return redactValue(report);
}

/** `redactReport` for one incident (streaming output). */
export function redactIncident(incident: Incident): Incident {
  return redactValue(incident);
}
