// Job status poller (node-postgres Client, no pool, no reconnect).
import pg from 'pg';

const log = (msg) => console.log(`${new Date().toISOString()} poller: ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'status-poller',
});
client.on('error', (err) => { log(`client error event: ${err.message}`); console.error(err); });

async function main() {
  await client.connect();
  for (let i = 1; i <= 3; i++) {
    const r = await client.query("SELECT status FROM etl_jobs WHERE job_name = 'orders_daily'");
    log(`poll ${i}: orders_daily=${r.rows[0].status}`);
    await sleep(4500);
  }
}

main().catch((err) => {
  log(`poll failed: ${err.message}`);
  console.error(err);
  process.exitCode = 1;
}).finally(() => client.end().catch(() => {}));
