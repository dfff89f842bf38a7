// Parallel aggregation with a pg.Pool bigger than the server's free slots.
import pg from 'pg';

const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'parallel-agg', max: 4,
});
const ts = () => new Date().toISOString();

const regions = ['emea', 'amer', 'apac', 'emea'];
const results = await Promise.allSettled(regions.map((r) =>
  pool.query('SELECT count(*) FROM staging.orders, pg_sleep(0.5) WHERE region = $1', [r])));
results.forEach((res, i) => {
  if (res.status === 'fulfilled') console.log(`${ts()} INFO parallel-agg: ${regions[i]} -> ${res.value.rows[0].count}`);
  else { console.error(`${ts()} ERROR parallel-agg: ${regions[i]} failed`, res.reason); process.exitCode = 1; }
});
await pool.end();
