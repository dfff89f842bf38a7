/**
 * What each driver or pool prints when the session under it is gone: one table for all of them,
 * read by one rule (`driver-connection-lost`, `field: { driverFailure: lost }`). Adding a driver
 * is a row here, not a rule. A wording other software prints too (`conn closed`, `Connection is
 * closed`) counts only when the record names the database as its peer (`records/peer.ts`).
 * Wordings that carry their own evidence (node-postgres, HikariCP validation, psycopg's closed
 * connection) keep their own rules; socket errno texts are in `socket-errors.ts`.
 *
 * Sources: the drivers' message texts as they throw them.
 * - pgjdbc: GT.tr strings in org/postgresql/core/v3/QueryExecutorImpl.java, PgConnection.java
 *   ("This connection has been closed.", "An I/O error occurred while sending to the backend.",
 *   spelled "occured" before 42.2)
 * - HikariCP: ProxyConnection.ClosedConnection throws SQLException("Connection is closed")
 * - Go database/sql: driver.ErrBadConn = "driver: bad connection"; pgx: pgconn ErrClosedConn "conn closed"
 * - Npgsql: NpgsqlConnector ("Exception while reading from stream", "Exception while writing to stream")
 * - asyncpg: exceptions.ConnectionDoesNotExistError ("connection was closed in the middle of operation")
 * - psycopg 3: pq.PGconn error prefixes ("consuming input failed", "sending query failed", ...)
 * - ruby-pg: PG::UnableToSend, PG::ConnectionBad (also raised at connect time: phase decides)
 * - postgres.js: error codes CONNECTION_CLOSED, CONNECTION_DESTROYED; Prisma P1017 "Server has closed the connection."
 */
export type DriverFailure = 'lost';

interface Row {
  driver: string;
  text: string;
  means: DriverFailure;
  /** Other software prints the same words: count it only beside a database library. */
  needsDatabase?: boolean;
}

export const DRIVER_WORDING: Row[] = [
  { driver: 'pgjdbc', text: 'This connection has been closed.', means: 'lost' },
  { driver: 'pgjdbc', text: 'An I/O error occurred while sending to the backend', means: 'lost' },
  { driver: 'pgjdbc', text: 'An I/O error occured while sending to the backend', means: 'lost' },
  { driver: 'pgjdbc', text: 'Database connection failed when', means: 'lost' },
  { driver: 'HikariCP', text: 'Connection is closed', means: 'lost', needsDatabase: true },
  { driver: 'Go database/sql', text: 'driver: bad connection', means: 'lost' },
  { driver: 'pgx', text: 'conn closed', means: 'lost', needsDatabase: true },
  { driver: 'Npgsql', text: 'Exception while reading from stream', means: 'lost' },
  { driver: 'Npgsql', text: 'Exception while writing to stream', means: 'lost' },
  { driver: 'Npgsql', text: 'Attempted to read past the end of the stream', means: 'lost' },
  { driver: 'asyncpg', text: 'ConnectionDoesNotExistError', means: 'lost' },
  { driver: 'asyncpg', text: 'connection was closed in the middle of operation', means: 'lost' },
  { driver: 'psycopg 3', text: 'consuming input failed:', means: 'lost' },
  { driver: 'psycopg 3', text: 'sending query failed:', means: 'lost' },
  { driver: 'psycopg 3', text: 'sending query and params failed:', means: 'lost' },
  { driver: 'psycopg 3', text: 'flushing failed:', means: 'lost' },
  { driver: 'ruby-pg', text: 'PG::UnableToSend', means: 'lost' },
  { driver: 'ruby-pg', text: 'PG::ConnectionBad', means: 'lost' },
  { driver: 'postgres.js', text: 'CONNECTION_CLOSED', means: 'lost' },
  { driver: 'postgres.js', text: 'CONNECTION_DESTROYED', means: 'lost' },
  { driver: 'Prisma', text: 'Server has closed the connection.', means: 'lost' },
];

/** Every wording that means one of `values`, for the prefilter. */
export function driverWordings(values: readonly string[]): string[] {
  return DRIVER_WORDING.filter((r) => values.includes(r.means)).map((r) => r.text);
}

/** What the drivers' wording in `text` says, and which drivers said it. */
export function driverFailure(text: string, peerIsDatabase: boolean): { means: DriverFailure; drivers: string[] } | undefined {
  const hits = DRIVER_WORDING.filter((r) => (!r.needsDatabase || peerIsDatabase) && text.includes(r.text));
  if (hits.length === 0) return undefined;
  return { means: hits[0].means, drivers: [...new Set(hits.map((r) => r.driver))] };
}
