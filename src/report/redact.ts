/**
 * Secret redaction for every text a report quotes. On by default; `redact: false`
 * (the CLI's `--no-redact`) turns it off.
 *
 * Secrets are masked as `***` with the key, user and punctuation kept, so the evidence
 * still reads: `postgresql://etl:***@db:5432/x`, `password='***'`, `Pwd=***;`,
 * `Authorization: Bearer ***`.
 *
 * Linear time by construction (logs are hostile input, a regex that backtracks
 * quadratically is a denial of service):
 * - URL user-info is found with a hand-written scanner that never rescans a range;
 * - every regex starts at a literal keyword at a token boundary (a lookbehind), and its
 *   variable parts either always succeed (a greedy run at the end) or are bounded, or
 *   exclude a character that every later start contains, so runs from different starts
 *   never overlap.
 * Masking is idempotent: redacting redacted text changes nothing.
 */
import { mapStrings } from './sanitize.js';
import type { Incident, Report } from '../report-types.js';

export const MASK = '***';

/** Characters that end a URL in running text. */
function isUrlStop(code: number): boolean {
  // whitespace, quotes, angle brackets, backtick
  return (
    code <= 0x20 || code === 0x22 || code === 0x27 || code === 0x3c || code === 0x3e || code === 0x60 || code === 0x7f
  );
}

/**
 * Mask the password in `scheme://user:password@host` (postgresql://, postgres+psycopg2://,
 * jdbc:postgresql://, redis://, https://...). The user stays visible. Like SQLAlchemy and
 * libpq, the user ends at the first `:`; the password runs to the last `@` of the authority
 * (a host never contains `@`), so an unencoded `@` in a password is masked too. A port
 * (`host:5432/db`) is not a password.
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
      if (c === 0x3a || c === 0x2f || c === 0x3f || c === 0x23 || isUrlStop(c)) break;
    }
    if (text.charCodeAt(j) !== 0x3a /* : */) {
      i = text.indexOf('://', Math.max(j, i + 3));
      continue;
    }
    // password: up to the first '@' before a stop. Digits then '/', '?' or '#' is a port.
    let k = j + 1;
    let digits = true;
    for (; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x40 || isUrlStop(c)) break;
      if (c === 0x2f || c === 0x3f || c === 0x23) {
        if (digits) break;
      } else if (c < 0x30 || c > 0x39) digits = false;
    }
    if (text.charCodeAt(k) !== 0x40 /* @ */) {
      // No '@' in [j, k): any '://' starting inside fails the same way, skip the whole range.
      i = text.indexOf('://', k);
      continue;
    }
    // extend to the last '@' before the query ('?', '#') or a stop: over-masking an odd
    // path beats leaking the tail of a password with an unencoded '@' and '/'
    let m = k + 1;
    for (; m < n; m++) {
      const c = text.charCodeAt(m);
      if (c === 0x40) k = m;
      else if (c === 0x3f || c === 0x23 || isUrlStop(c)) break;
    }
    if (k > j + 1) {
      out += text.slice(last, j + 1) + MASK;
      last = k;
    }
    i = text.indexOf('://', k + 1);
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Key names whose value is a secret, matched as the END of a key (so `PGPASSWORD`,
 * `db_password`, `spring.datasource.password`, `client_secret`, `x-api-key` all count).
 */
const SECRET_KEY =
  'password|passwd|pwd|secret|secret[_-]?key|token|api[_-]?key|access[_-]?key|account[_-]?key|' +
  'shared[_-]?access[_-]?key|shared[_-]?access[_-]?signature|sig|credentials?|private[_-]?key';

/**
 * `key=value`, `key: value`, `"key": "value"`, `Pwd={...}`, `password='se cret'`.
 * A bare `key:value` (no space, key not quoted) is not taken: that is `user:pw@host`
 * URL syntax, handled above, or prose.
 * Groups: 1 = key with separator (kept), 2 = the value (masked, its quotes or braces kept).
 * Value forms, in order: `{braced}` (ODBC, `}}` escapes a brace; bounded), 'single' / "double" quoted with
 * backslash escapes (a later key start always contains the quote, so runs never overlap),
 * an ODBC/ADO value up to `;` that may hold spaces (bounded), or a plain run up to
 * whitespace, `;`, `&`, or a quote.
 */
const KEY_VALUE = new RegExp(
  String.raw`(?<![\w.-])([\w.-]{0,64}?(?:${SECRET_KEY})(?:["']?[ \t]*=|["'][ \t]*:|[ \t]*:(?=[ \t]))[ \t]*)` +
    String.raw`(\{(?:[^}\r\n]|\}\}){0,512}\}|'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*"|[^;&=\r\n'"{]{1,256}(?=;)|[^\s;&'"]+)`,
  'gi',
);

/** `Authorization: Bearer x`, `Authorization: Basic x`, a bare `Bearer x`. */
const AUTH_HEADER = /(?<![\w-])(authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|token|digest|negotiate)[ \t]+)?)([^\s"',;]+)/gi;
const BEARER = /(?<![\w-])(bearer[ \t]+)([A-Za-z0-9._~+/-]{8,}=*)/gi;
/** Three base64url segments with a JSON header (`eyJ`): a JWT anywhere in the text. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function maskValue(match: string, key: string, value: string): string {
  if (value === 'null' || value === MASK) return match; // JSON null, or already masked
  const first = value[0];
  if (first === "'" || first === '"') return `${key}${first}${MASK}${first}`;
  if (first === '{') return `${key}{${MASK}}`;
  return key + MASK;
}

/** Quick prefilter: text without any of these cannot hold a secret we mask. */
const MAYBE_SECRET = /:\/\/|pass|pwd|secret|token|key|sig|credential|bearer|authorization|eyJ/i;

/** Mask secrets in one text. Linear time; idempotent. */
export function redactText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let s = redactUrlPasswords(text);
  s = s.replace(AUTH_HEADER, (_m, key: string) => key + MASK);
  s = s.replace(BEARER, (_m, key: string) => key + MASK);
  s = s.replace(KEY_VALUE, maskValue);
  s = s.replace(JWT, MASK);
  return s;
}

/**
 * Keys whose string values are identifiers or locations, not quoted text: never redacted
 * (a file path must stay exact for `file:line` evidence).
 */
const STRUCTURAL_KEYS = new Set([
  'source',
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
 * Deep copy of the report with every quoted text redacted: evidence lines, messages,
 * cause evidence, neighbours, warnings, source errors. Identifiers and locations are kept.
 */
export function redactReport(report: Report): Report {
  return redactValue(report);
}

/** `redactReport` for one incident (streaming output). */
export function redactIncident(incident: Incident): Incident {
  return redactValue(incident);
}
