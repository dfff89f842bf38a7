// Runnable library example: `npm run build && node examples/library.mjs`
// (in your own project: `import { triage, createTriage } from 'pgtriage'`).
import { createTriage, triage } from '../dist/index.js';

// 1. One call over files (strings, Buffers, Readables and async iterables work too).
const report = await triage([{ path: 'samples/lab/restart-sqlalchemy-psycopg2/client.log' }, { path: 'samples/lab/restart-sqlalchemy-psycopg2/server.log' }]);
for (const incident of report.incidents) {
  const [top] = incident.causes;
  console.log(`${incident.id} ${incident.source}:${incident.line} sqlstate=${incident.sqlstate} -> ${top.id} (${Math.round(top.score * 100)}%, ${top.confidence})`);
}
console.log(`overall: ${report.causes[0]?.id}`);

// 2. Streaming, as a log processor would: push chunks, receive incidents as they conclude.
const stream = await createTriage();
const seen = (async () => {
  for await (const incident of stream) console.log(`streamed ${incident.id}: ${incident.message.split('\n')[0]}`);
})();
stream.push('2024-05-01 02:00:00,000 INFO etl.load: batch 1 loaded\n');
stream.push('2024-05-01 02:06:10,000 ERROR etl.load: psycopg2.OperationalError: SSL SYSCALL error: EOF detected\n');
const final = stream.end();
await seen;
console.log(`streamed report: ${final.stats.incidents} incident(s), top cause ${final.causes[0]?.id}`);
