/**
 * Configuration values in free text: connection URLs, Npgsql/ODBC strings, `key=value` and
 * `"key": value` pairs of known keys. The config format falls back to it, and logged.ts reads
 * other formats' messages with it; passwords are never copied.
 */
import { isKnownKey, LIBPQ_KEYS, PGBOUNCER_KEYS, POOL_KEYS, POSTGRES_KEYS, type Namespace } from './config-keys.js';
import { BOUNCER_GENERIC, LIBPQ_DISTINCT, looksLikeBouncerSource, put, SERVER_KEYS, SQLA_KEYS, serverNamespace, uniq } from './key-sets.js';

export const NPGSQL_MARKER = /(?:^|[;"'\s])(?:Keepalive|Tcp\s?Keep\s?Alive(?:\s?Time|\s?Interval)?|Connection\s?Idle\s?Lifetime|Connection\s?Lifetime|Command\s?Timeout|Keepalive\s?Time|Keepalive\s?Interval)\s*=/i;
const URL_RE = /\b(postgres(?:ql)?(?:\+\w+)?):\/\/([^\s'"<>`]+)/gi;
const KV_KEYS = uniq([...SERVER_KEYS, ...SQLA_KEYS, ...Object.keys(LIBPQ_KEYS), 'idleTimeoutMillis', 'maxLifetime', 'max_idle', 'max_lifetime']);
const KV_RE = new RegExp(
  `(?<![\\w.-])["']?(${KV_KEYS.join('|')})["']?\\s*(?:=|:)\\s*("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|[^\\s,;)}\\]&'"]+)`,
  'gi',
);

/** Hide passwords in a line that is shown as the event message. */
export function maskSecrets(text: string): string {
  return text
    .replace(/(\/\/[^/:@\s]*:)[^@\s/]*@/g, '$1***@')
    .replace(/\b(password|pwd|passwd|sslpassword)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&)]*)/gi, '$1$2***');
}

/**
 * Configuration values in free text: connection URLs, Npgsql/ODBC strings, `key=value` and
 * `"key": value` pairs of known keys. Exported for other formats that want the same extraction
 * from a logged message.
 */
export function extractConfig(text: string, source = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (text.includes('create_engine(')) out['sqlalchemy.create_engine'] = 'true';

  // Connection URLs: user (never the password), host, port, database, query parameters.
  for (const m of text.matchAll(URL_RE)) {
    const rest = m[2];
    const url = /^(?:([^:@/]*)(?::[^@/]*)?@)?([^/?:]*|\[[^\]]*\])(?::(\d+))?(?:\/([^?]*))?(?:\?(.*))?$/.exec(rest);
    if (!url) continue;
    if (url[1]) put(out, 'libpq', 'user', decodeURIComponentSafe(url[1]));
    if (url[2]) put(out, 'libpq', 'host', url[2]);
    if (url[3]) put(out, 'libpq', 'port', url[3]);
    if (url[4]) put(out, 'libpq', 'dbname', decodeURIComponentSafe(url[4]));
    for (const pair of (url[5] ?? '').split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const k = pair.slice(0, eq).toLowerCase();
      const v = decodeURIComponentSafe(pair.slice(eq + 1));
      if (isKnownKey('libpq', k)) put(out, 'libpq', k, v);
      else if (isKnownKey('sqlalchemy', k)) put(out, 'sqlalchemy', k, v);
    }
  }

  // Npgsql / psqlODBC `Key=Value;...` strings.
  if (text.includes(';') && NPGSQL_MARKER.test(text)) {
    const ns: Namespace = /\b(?:Driver|DSN|UID|PWD)\s*=|KeepaliveTime/i.test(text) ? 'odbc' : 'npgsql';
    for (const seg of text.split(';')) {
      const eq = seg.indexOf('=');
      if (eq <= 0) continue;
      const key = seg.slice(0, eq).replace(/^.*["'`(]/, '').trim();
      put(out, ns, key, seg.slice(eq + 1).replace(/["'`)].*$/, '').trim());
    }
  }

  // key=value / "key": value pairs of known keys.
  const hasLibpqDistinct = LIBPQ_DISTINCT.some((k) => new RegExp(`(?<![\\w.-])${k}\\s*=`, 'i').test(text));
  for (const m of text.matchAll(KV_RE)) {
    const key = m[1].toLowerCase();
    const value = m[2];
    if (SQLA_KEYS.has(key)) put(out, 'sqlalchemy', key, value);
    else if (key in POOL_KEYS) put(out, 'pool', key, value);
    else if (LIBPQ_DISTINCT.includes(key)) put(out, 'libpq', key, value);
    else if (key in POSTGRES_KEYS || key in PGBOUNCER_KEYS) {
      if (key.startsWith('log_')) continue;
      if (BOUNCER_GENERIC.has(key) && !looksLikeBouncerSource(source)) continue;
      put(out, serverNamespace(key, source), key, value);
    } else if (hasLibpqDistinct && key in LIBPQ_KEYS) put(out, 'libpq', key, value);
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

