// Payout reconciler: marks payouts in a transaction, asks the payments API for
// their state, then records the answer, all inside one BEGIN ... COMMIT.
import pg from 'pg';

const ts = () => new Date().toISOString();
const api = process.env.ENRICH_URL;

const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'payout-reconciler',
});
client.on('error', (err) => console.error(`${ts()} ERROR pg connection error: ${err.message}`));

async function main() {
  await client.connect();
  await client.query('BEGIN');
  const r = await client.query("UPDATE etl_jobs SET status = 'running', last_run = now() WHERE job_name = 'orders_daily'");
  console.log(`${ts()} INFO claimed job orders_daily (${r.rowCount} row)`);
  const t0 = Date.now();
  console.log(`${ts()} INFO calling payments API GET ${api}`);
  const resp = await fetch(api);
  await resp.json();
  console.log(`${ts()} INFO payments API responded ${resp.status} in ${Date.now() - t0} ms`);
  await client.query("UPDATE etl_jobs SET status = 'reconciled' WHERE job_name = 'orders_daily'");
  await client.query('COMMIT');
  console.log(`${ts()} INFO reconciliation committed`);
}

main().then(() => client.end(), (err) => {
  console.error(`${ts()} ERROR reconciliation failed:`, err);
  process.exitCode = 1;
  return client.end().catch(() => {});
});
