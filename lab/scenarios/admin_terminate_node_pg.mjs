// Cohort builder (node-postgres): a long aggregate query that a DBA kills with
// pg_terminate_backend() while it runs.
import pg from 'pg';
import { execFile } from 'node:child_process';

const log = (level, msg) => console.log(JSON.stringify({ time: new Date().toISOString(), level, svc: 'cohort-builder', msg }));

const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'cohort-builder',
});
client.on('error', (err) => log('error', `connection error: ${err.message}`));

// the DBA's intervention, 1.5 s into the query (lab fault)
const dba = new Promise((resolve) =>
  execFile(process.env.LAB_PY, [process.env.LAB_FAULT, '--after', '1.5', 'terminate', 'cohort-builder'], () => resolve()));

async function main() {
  await client.connect();
  log('info', 'building weekly cohorts');
  const r = await client.query('SELECT customer_id % 7 AS cohort, count(*) FROM staging.orders, pg_sleep(5) GROUP BY 1');
  log('info', `built ${r.rowCount} cohorts`);
}

main().catch((err) => {
  log('error', `cohort build failed: ${err.message} (code=${err.code}, severity=${err.severity})`);
  console.error(err.stack);
  process.exitCode = 1;
}).finally(async () => { await dba; await client.end().catch(() => {}); });
