// Order-sync worker (node-postgres Pool) against a server whose lc_messages is
// Japanese. While its report query runs the database is restarted
// (pg_ctl restart -m fast); the server's FATAL reaches the client translated.
import pg from 'pg';
import { execFile } from 'node:child_process';

const log = (level, msg) => console.log(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} order-sync ${msg}`);

const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'order-sync',
  max: 3, idleTimeoutMillis: 600000,
});
pool.on('error', (err) => log('warn', `idle client error: ${err.message} (code ${err.code})`));

const restartSoon = () => new Promise((resolve) =>
  execFile(process.env.LAB_PY, [process.env.LAB_FAULT, '--after', '1', 'restart'], () => resolve()));

async function main() {
  const warm = await Promise.all([1, 2, 3].map((n) =>
    pool.query('SELECT count(*)::int AS n FROM staging.orders, pg_sleep(0.2) WHERE order_id % 3 = $1', [n % 3])));
  log('info', `warm-up done: ${warm.map((r) => r.rows[0].n).join(',')}`);
  const restart = restartSoon();
  try {
    await pool.query('SELECT region, sum(amount) FROM staging.orders, pg_sleep(4) GROUP BY region');
    log('info', 'sync report done');
  } catch (err) {
    log('error', `sync report failed: ${err.message} (code ${err.code}, severity ${err.severity})`);
    process.exitCode = 1;
  }
  await restart;
}

main().finally(() => pool.end());
