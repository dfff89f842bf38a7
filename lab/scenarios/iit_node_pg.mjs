// Event importer: BEGIN, insert a page of events, transform the next page in
// process (slow), insert it in the same transaction. The transform keeps the
// session "idle in transaction" on the server.
import pg from 'pg';

const log = (level, msg) => console.log(`${new Date().toISOString()} ${level} [event-import] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'event-import',
});
client.on('error', (err) => log('error', `pg client error: ${err.message}`));

async function main() {
  await client.connect();
  log('info', 'connected, importing page 1/2');
  await client.query('BEGIN');
  const r = await client.query(
    "INSERT INTO staging.orders (order_id, customer_id, amount, region) " +
    "SELECT 200000 + g, 7, g, 'amer' FROM generate_series(1, 100) g");
  log('info', `page 1 inserted (${r.rowCount} rows), transforming page 2`);
  await sleep(3500); // JSON flattening of the next page, done in process
  log('info', 'page 2 transformed, inserting');
  await client.query(
    "INSERT INTO staging.orders (order_id, customer_id, amount, region) " +
    "SELECT 200100 + g, 7, g, 'amer' FROM generate_series(1, 100) g");
  await client.query('COMMIT');
  log('info', 'import committed');
}

main().then(() => client.end(), async (err) => {
  log('error', 'import failed');
  console.error(err);
  await client.end().catch(() => {});
  process.exitCode = 1;
});
