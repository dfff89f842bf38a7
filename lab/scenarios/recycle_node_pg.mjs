// Webhook writer service: a pg.Pool that keeps idle clients for an hour
// (idleTimeoutMillis 3600000) in front of a server that ends sessions idle
// longer than idle_session_timeout.
import pg from 'pg';

const poolConfig = { max: 2, idleTimeoutMillis: 3600000, connectionTimeoutMillis: 5000 };
const log = (msg) => console.log(`[${new Date().toISOString()}] webhook-writer ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'webhook-writer',
  ...poolConfig,
});
pool.on('error', (err) => {
  log(`ERROR unexpected error on idle client: ${err.message}`);
  console.error(err);
});

async function writeBatch(n) {
  const sql = "UPDATE etl_jobs SET last_run = now() WHERE job_name = $1";
  await Promise.all([pool.query(sql, ['orders_daily']), pool.query(sql, ['customers'])]);
  log(`INFO batch ${n}: 2 webhooks stored`);
}

async function main() {
  log(`INFO pool config ${JSON.stringify(poolConfig)}`);
  await writeBatch(1);
  log('INFO idle, waiting for webhooks');
  await sleep(4500);
  await writeBatch(2);
}

main().catch((err) => {
  log('ERROR batch failed');
  console.error(err);
  process.exitCode = 1;
}).finally(() => pool.end());
