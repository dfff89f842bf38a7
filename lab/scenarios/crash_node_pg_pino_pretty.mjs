// Catalogue indexer (node-postgres Pool) logging with pino through the
// pino-pretty transport, the layout most node services use in development
// and many keep in production. Queries are in flight when an unrelated
// backend is killed and the postmaster resets every session.
import pg from 'pg';
import pino from 'pino';
import { execFile } from 'node:child_process';

const log = pino({ name: 'indexer', transport: { target: 'pino-pretty', options: { colorize: false } } });

const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'catalogue-indexer',
  max: 3,
});
pool.on('error', (err) => log.warn({ err }, 'idle client error'));

const crashSoon = () => new Promise((resolve) =>
  execFile(process.env.LAB_PY, [process.env.LAB_FAULT, '--after', '1.5', 'crash'], () => resolve()));

async function main() {
  log.info({ max: 3 }, 'pool ready');
  const crash = crashSoon();
  const shards = await Promise.allSettled([0, 1, 2].map((s) =>
    pool.query('SELECT count(*)::int AS n FROM staging.orders, pg_sleep(4) WHERE order_id % 3 = $1', [s])));
  shards.forEach((r, s) => {
    if (r.status === 'fulfilled') log.info({ shard: s, rows: r.value.rows[0].n }, 'shard indexed');
    else {
      log.error({ err: r.reason, shard: s }, 'shard indexing failed');
      process.exitCode = 1;
    }
  });
  await crash;
}

main().finally(async () => {
  await pool.end();
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the transport flush
});
