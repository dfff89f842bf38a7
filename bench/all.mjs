// `npm run bench`: the busy-log table (run.mjs), then the log-bus figures (bus.mjs), each given
// the options meant for it. A script line `node a.mjs && node b.mjs` would hand npm's extra
// arguments to the second command only, so `npm run bench -- --quick` ran the full table.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const busOnly = new Set(['--copies']);
const tableArgs = [];
const busArgs = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (busOnly.has(a)) {
    busArgs.push(a, args[++i]);
    continue;
  }
  tableArgs.push(a);
  if (a === '--quick' || a === '--keep') busArgs.push(a);
}
const run = (script, list) => spawnSync(process.execPath, [new URL(script, import.meta.url).pathname, ...list], { stdio: 'inherit' }).status ?? 2;
const table = run('./run.mjs', tableArgs);
if (table === 2) process.exit(2);
const bus = run('./bus.mjs', busArgs);
process.exit(Math.max(table, bus));
