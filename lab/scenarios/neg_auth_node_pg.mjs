// Service started with a password from an outdated secret.
import pg from 'pg';

const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, application_name: 'billing-sync',
});
try {
  await client.connect();
  await client.end();
} catch (err) {
  console.error(`${new Date().toISOString()} [billing-sync] fatal: database login failed`);
  console.error(err);
  process.exitCode = 1;
}
