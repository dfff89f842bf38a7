// Notification service (node-postgres Pool, winston JSON lines) behind
// PgBouncer, whose client_idle_timeout (3 s) closes client connections that
// stay idle longer than that. The pool keeps idle clients for an hour
// (idleTimeoutMillis=3600000), so the pooler closes them first.
import pg from 'pg';
import winston from 'winston';

const log = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  defaultMeta: { service: 'notifier' },
  transports: [new winston.transports.Console()],
});
const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD,
  max: 2, idleTimeoutMillis: 3600000, application_name: 'notifier',
});
pool.on('error', (err) => log.error('idle pool client error', { err: { message: err.message, code: err.code, stack: err.stack } }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  log.info('pool ready', { max: 2, idleTimeoutMillis: 3600000 });
  for (const tick of [1, 2]) {
    try {
      const c1 = await pool.connect();
      const c2 = await pool.connect();
      const [a, b] = await Promise.all([
        c1.query("SELECT count(*) AS n FROM etl_jobs WHERE status = 'idle'"),
        c2.query('SELECT count(*) AS n FROM staging.orders WHERE order_id < 100'),
      ]);
      c1.release();
      c2.release();
      log.info('notifications sent', { tick, pending: Number(a.rows[0].n), orders: Number(b.rows[0].n) });
    } catch (err) {
      log.error('tick failed', { tick, err: { message: err.message, code: err.code, stack: err.stack } });
      process.exitCode = 1;
    }
    await sleep(4500); // next polling interval
  }
  await pool.end();
}

main();
