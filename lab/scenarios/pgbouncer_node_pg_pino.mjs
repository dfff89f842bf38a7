// Ledger API worker behind PgBouncer in transaction mode, logging pino JSON
// lines. Its balance query is a named node-postgres query, prepared once per
// client connection; a settlement task's transaction then holds the server
// connection that has the statement, and the next balance query runs on
// another one.
import pg from 'pg';
import pino from 'pino';

const log = pino({ name: 'ledger' });
const cfg = {
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, max: 2,
};
const pool = new pg.Pool({ ...cfg, application_name: 'ledger-api' });
pool.on('error', (err) => log.error({ err }, 'idle pool client error'));

const balance = (region) => ({
  name: 'q_balance',
  text: 'SELECT region, sum(amount) AS total FROM staging.orders WHERE region = $1 GROUP BY region',
  values: [region],
});

async function main() {
  const api = await pool.connect();
  const settle = await pool.connect();
  try {
    log.info({ pool: { max: cfg.max } }, 'pool ready');
    const r = await api.query(balance('emea'));
    log.info({ region: 'emea', total: r.rows[0].total }, 'balance served');
    await settle.query('BEGIN');
    await settle.query("SELECT 1 FROM etl_jobs WHERE job_name = 'orders_daily' FOR UPDATE");
    log.info('settlement transaction open');
    for (const region of ['amer', 'apac']) {
      try {
        const q = await api.query(balance(region));
        log.info({ region, total: q.rows[0].total }, 'balance served');
      } catch (err) {
        log.error({ err, region }, 'balance query failed');
        process.exitCode = 1;
        break;
      }
    }
    await settle.query('COMMIT');
  } finally {
    api.release();
    settle.release();
    await pool.end();
  }
}

main().catch((err) => {
  log.fatal({ err }, 'worker crashed');
  process.exitCode = 1;
});
