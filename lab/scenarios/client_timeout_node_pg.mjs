// Export API handler (node-postgres) with a client-side query deadline:
// query_timeout makes the driver give up waiting, then the handler retries on
// the same client.
import pg from 'pg';

const log = (level, msg) => console.log(`${new Date().toISOString()} ${level} export-api ${msg}`);
const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'export-api',
  query_timeout: 2000,
});
client.on('error', (err) => log('ERROR', `client error: ${err.message}`));

async function main() {
  await client.connect();
  log('INFO', 'export request: heavy query (query_timeout=2000ms)');
  try {
    await client.query('SELECT region, sum(amount) FROM staging.orders, pg_sleep(5) GROUP BY region');
  } catch (err) {
    log('WARN', `export query failed: ${err.message}; retrying once`);
    const r = await client.query('SELECT count(*) FROM staging.orders');
    log('INFO', `retry returned ${r.rows[0].count}`);
  }
}

main().catch((err) => {
  log('ERROR', `export failed: ${err.message}`);
  console.error(err);
  process.exitCode = 1;
}).finally(() => client.end().catch(() => {}));
