// Metrics exporter using a pg.Pool. Between a batch of small queries and the
// daily report the database is restarted (pg_ctl restart -m fast): the
// in-flight report query and the idle pooled clients all lose their backend.
import pg from 'pg';
import { execFile } from 'node:child_process';

const log = (level, msg) => console.log(`${new Date().toISOString()} [${level.toUpperCase()}] exporter: ${msg}`);

const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'metrics-exporter',
  max: 4, idleTimeoutMillis: 600000,
});
pool.on('error', (err) => log('warn', `idle client error: ${err.message} (code ${err.code})`));

// the operator's restart, one second into the report (lab fault, silent)
const restartSoon = () => new Promise((resolve) =>
  execFile(process.env.LAB_PY, [process.env.LAB_FAULT, '--after', '1', 'restart'], () => resolve()));

async function main() {
  const regions = ['emea', 'amer', 'apac', 'emea'];
  const counts = await Promise.all(regions.map((r) =>
    pool.query('SELECT count(*)::int AS n FROM staging.orders, pg_sleep(0.2) WHERE region = $1', [r])));
  log('info', `batch 1 exported ${counts.map((c) => c.rows[0].n).join(',')}`);
  log('info', 'running daily report');
  const restart = restartSoon();
  try {
    await pool.query('SELECT region, sum(amount) FROM staging.orders, pg_sleep(4) GROUP BY region');
    log('info', 'daily report done');
  } catch (err) {
    log('error', 'daily report failed');
    console.error(err);
    process.exitCode = 1;
  }
  await restart;
}

main().finally(() => pool.end());
