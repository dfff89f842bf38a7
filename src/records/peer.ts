import type { LogEvent } from '../events.js';

/**
 * What the socket in a client record talks to: a database (driver, ORM, pool) or an HTTP
 * service (an HTTP client library). `Connection reset by peer`, `broken pipe` or `ECONNRESET`
 * mean a lost database session only when the database was the peer; the same errno under
 * urllib3, botocore or axios is a web call that failed, not an 08003. The peer is read from the
 * library that reported the record — its logger, exception class, traceback frames, or wording
 * only that library prints — and stored as `fields.peer` for rules to test
 * (`not: { field: { peer: http } }`). A record naming a database library counts as `database`
 * whatever else it names: the driver is closer to the failure than any HTTP frame around it.
 */
export type Peer = 'database' | 'http';

interface Library {
  name: string;
  peer: Peer;
  /** Module or namespace roots, seen in loggers, class names and frame paths (`urllib3.`, `urllib3/`). */
  modules?: string[];
  /** Wording only this library prints, matched as written. */
  wording?: string[];
}

// Module roots and wordings are the libraries' own (package names; message texts as printed).
const LIBRARIES: Library[] = [
  // Database drivers, ORMs and pools; libpq by its own messages (fe-misc.c, fe-secure.c).
  { name: 'libpq', peer: 'database', wording: ['could not receive data from server', 'could not send data to server', 'SSL SYSCALL error', 'server closed the connection unexpectedly', 'PQconsumeInput()'] },
  { name: 'psycopg2 / psycopg 3', peer: 'database', modules: ['psycopg2', 'psycopg', 'psycopg_pool'] },
  { name: 'asyncpg', peer: 'database', modules: ['asyncpg'] },
  { name: 'pg8000', peer: 'database', modules: ['pg8000'] },
  { name: 'SQLAlchemy', peer: 'database', modules: ['sqlalchemy'] },
  { name: 'Django ORM', peer: 'database', modules: ['django.db'] },
  { name: 'pgjdbc', peer: 'database', modules: ['org.postgresql'], wording: ['PSQLException'] },
  { name: 'HikariCP', peer: 'database', modules: ['com.zaxxer.hikari'], wording: ['HikariPool-'] },
  { name: 'java.sql', peer: 'database', modules: ['java.sql'] },
  { name: 'Npgsql / EF Core', peer: 'database', modules: ['Npgsql', 'Microsoft.EntityFrameworkCore'] },
  { name: 'Go pgx / lib/pq', peer: 'database', modules: ['github.com/jackc/pgx', 'github.com/lib/pq', 'database/sql'], wording: ['pq: ', 'driver: bad connection'] },
  { name: 'Ruby pg / ActiveRecord', peer: 'database', modules: ['PG', 'ActiveRecord'] },
  { name: 'PHP PDO', peer: 'database', wording: ['PDOException', 'SQLSTATE['] },
  { name: 'node-postgres', peer: 'database', modules: ['node_modules/pg', 'node_modules/pg-pool', 'node_modules/postgres'] },
  { name: 'Node ORMs', peer: 'database', modules: ['node_modules/sequelize', 'node_modules/knex', 'node_modules/typeorm', 'node_modules/@prisma'], wording: ['SequelizeConnectionError', 'SequelizeDatabaseError', 'PrismaClientKnownRequestError'] },
  // HTTP clients.
  { name: 'urllib3', peer: 'http', modules: ['urllib3'], wording: ['Retrying (Retry(', "('Connection aborted.',"] },
  { name: 'requests', peer: 'http', modules: ['requests'] },
  { name: 'httpx / httpcore', peer: 'http', modules: ['httpx', 'httpcore'] },
  { name: 'aiohttp', peer: 'http', modules: ['aiohttp'] },
  { name: 'botocore / boto3', peer: 'http', modules: ['botocore', 'boto3', 's3transfer'], wording: ['from endpoint URL'] },
  { name: 'azure-core', peer: 'http', modules: ['azure.core', 'azure/core', 'azure.storage', 'azure/storage'] },
  { name: 'Python http.client', peer: 'http', modules: ['http.client', 'http/client'] },
  { name: 'JVM HTTP clients', peer: 'http', modules: ['okhttp3', 'org.apache.http', 'org.apache.hc', 'java.net.http', 'reactor.netty.http'] },
  { name: '.NET HttpClient', peer: 'http', modules: ['System.Net.Http'], wording: ['HttpRequestException'] },
  { name: 'Node HTTP clients', peer: 'http', modules: ['node_modules/axios', 'node_modules/undici', 'node_modules/node-fetch', 'node_modules/got'], wording: ['AxiosError', 'FetchError', 'socket hang up'] },
  { name: 'Go net/http', peer: 'http', wording: ['net/http: '] },
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A module root counts when it stands as a name of its own (not inside `myrequests`) and goes on
 * as a qualified name or a path (`urllib3.exceptions`, `urllib3/connectionpool.py`, `PG::`), so
 * the word `requests` in a sentence is not the library.
 */
function pattern(peer: Peer): RegExp {
  const modules = LIBRARIES.filter((l) => l.peer === peer).flatMap((l) => l.modules ?? []);
  const wording = LIBRARIES.filter((l) => l.peer === peer).flatMap((l) => l.wording ?? []);
  const parts = [
    `(?<![\\w.-])(?:${modules.map(escapeRe).join('|')})(?:[./\\\\][A-Za-z_]|::[A-Z])`,
    // A wording that starts with a letter starts a word (`pq: `, not `lpq: `).
    ...wording.map((w) => (/^\w/.test(w) ? `(?<!\\w)${escapeRe(w)}` : escapeRe(w))),
  ];
  return new RegExp(parts.join('|'));
}

const DATABASE = pattern('database');
const HTTP = pattern('http');

/** An HTTP verb and a quoted URL, as Go's net/http prefixes its errors (`Get "https://…": …`). */
const GO_HTTP_CALL = /\b(?:Get|Post|Put|Patch|Delete|Head) "https?:\/\//;

/**
 * The remote end of a socket as runtimes print it (`read tcp 10.0.0.5:41234->10.0.0.9:5432:`):
 * PostgreSQL's and PgBouncer's default ports say database, the web's say HTTP.
 */
const REMOTE_PORT = /->(?:\[[0-9a-f:]+\]|[\w.-]+):(\d{2,5})\b/i;
const PORT_PEER: Record<string, Peer> = { '5432': 'database', '6432': 'database', '443': 'http', '80': 'http', '8080': 'http', '8443': 'http' };

/** The peer a client record's socket talked to, when the record says so. */
export function peerOf(event: LogEvent): Peer | undefined {
  const f = event.fields;
  // Each part is tested on its own (no pattern spans two of them), saving a joined copy per record.
  const parts = [f.logger, f.exception, f.driver, event.matchText ?? event.text];
  const any = (re: RegExp) => parts.some((p) => p !== undefined && p !== '' && re.test(p));
  if (any(DATABASE)) return 'database';
  // The first remote end printed decides, when its port says which.
  for (const p of parts) {
    const port = p ? REMOTE_PORT.exec(p)?.[1] : undefined;
    if (port === undefined) continue;
    if (PORT_PEER[port]) return PORT_PEER[port];
    break;
  }
  if (any(HTTP) || any(GO_HTTP_CALL)) return 'http';
  return undefined;
}

/** The libraries known to the classifier, for documentation and tests. */
export function peerLibraries(): ReadonlyArray<{ name: string; peer: Peer }> {
  return LIBRARIES.map(({ name, peer }) => ({ name, peer }));
}
