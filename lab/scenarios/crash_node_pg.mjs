// Dashboard cache warmer (node-postgres Pool). While it works, another backend
// of the same server is killed with SIGKILL and the postmaster reinitializes.
import pg from 'pg';
import { execFile } from 'node:child_process';

const log = (level, msg) => console.log(`${new Date().toISOString()} ${level} cache-warmer ${msg}`);
const pool = new pg.Pool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'cache-warmer', max: 3,
});
pool.on('error', (err) => log('WARN', `pool: idle client error: ${err.message}`));

const crash = new Promise((resolve) =>
  execFile(process.env.LAB_PY, [process.env.LAB_FAULT, '--after', '1', 'crash'], () => resolve()));

async function main() {
  await Promise.all([1, 2, 3].map(() => pool.query('SELECT 1')));
  log('INFO', 'pool warm (3 clients), warming dashboard tiles');
  const results = await Promise.allSettled([
    pool.query("SELECT region, sum(amount) FROM staging.orders, pg_sleep(4) GROUP BY region"),
  ]);
  for (const r of results) {
    if (r.status === 'rejected') {
      log('ERROR', `tile query failed: ${r.reason.message}`);
      console.error(r.reason);
      process.exitCode = 1;
    }
  }
}

main().finally(async () => { await crash; await pool.end(); });
