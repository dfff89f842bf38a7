// Order ingester behind PgBouncer in transaction mode. node-postgres prepares
// a query that has a `name` once per client connection and then only binds
// it; PgBouncer may run the next transaction on another server connection.
import pg from 'pg';

const log = (level, msg) => console.log(`${new Date().toISOString()} ${level.padEnd(5)} order-ingester: ${msg}`);
const cfg = {
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD,
};
const ingest = new pg.Client({ ...cfg, application_name: 'order-ingester' });
const lock = new pg.Client({ ...cfg, application_name: 'order-ingester-lock' });

const insertOrder = (id) => ({
  name: 'insert-order',
  text: "INSERT INTO staging.orders (order_id, customer_id, amount, region) VALUES ($1, 3, 1.5, 'amer') ON CONFLICT DO NOTHING",
  values: [id],
});

async function main() {
  await ingest.connect();
  await lock.connect();
  await ingest.query(insertOrder(600001));
  log('info', 'order 600001 ingested');
  await lock.query('BEGIN');
  await lock.query("SELECT 1 FROM etl_jobs WHERE job_name = 'orders_daily' FOR UPDATE");
  log('info', 'ingest lock held');
  for (const id of [600002, 600003]) {
    await ingest.query(insertOrder(id));
    log('info', `order ${id} ingested`);
  }
  await lock.query('COMMIT');
}

main().catch((err) => {
  log('error', `ingest failed: ${err.message}`);
  console.error(err);
  process.exitCode = 1;
}).finally(() => Promise.allSettled([ingest.end(), lock.end()]));
