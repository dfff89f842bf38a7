// Sync job starting while the database is down.
import pg from 'pg';
import { execFileSync } from 'node:child_process';

execFileSync(process.env.LAB_PY, [process.env.LAB_FAULT, 'stop']); // lab fault: database goes down first

const client = new pg.Client({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT), database: process.env.DB_NAME,
  user: process.env.DB_USER, password: process.env.DB_PASSWORD, connectionTimeoutMillis: 5000,
});
console.log(`${new Date().toISOString()} info sync: connecting to ${process.env.DB_HOST}:${process.env.DB_PORT}`);
client.connect().then(() => client.end(), (err) => {
  console.error(`${new Date().toISOString()} error sync: could not connect`, err);
  process.exitCode = 1;
});
