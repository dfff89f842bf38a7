/**
 * Child process of retained.test.ts (run with --expose-gc): feeds one session one-line
 * incidents, rendering each as the CLI would and dropping it, and prints the heap in use after
 * a full collection once `from` incidents are in and again at `to`, as JSON.
 *   node --expose-gc test/cli/retained.mjs FORMAT FROM TO
 */
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../dist/index.js';
import { TriageSession } from '../../dist/session.js';
import { reporters } from '../../dist/report/index.js';
import { manyIncidents } from './many-incidents.mjs';

const [format, fromArg, toArg] = process.argv.slice(2);
const from = Number(fromArg);
const to = Number(toArg);
const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
const render = { color: false, explain: false, redact: true };
const reporter = reporters[format];
const stream = reporter.createStream?.(render);
let written = 0;
const session = new TriageSession(pack, {
  retainIncidents: false,
  problemIds: format !== 'text',
  onIncident: (incident) => {
    written += (stream ? stream.incident(incident) : reporter.renderIncident(incident, render)).length;
  },
});
const heap = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
};
const feed = (start, end) => {
  for (let at = start; at < end; at += 1000) session.write('many.log', Buffer.from(manyIncidents(Math.min(1000, end - at), at)));
};
feed(0, from);
const first = { incidents: session.analyzer.incidentsFound, heap: heap() };
feed(from, to);
const last = { incidents: session.analyzer.incidentsFound, heap: heap() };
const report = session.finish();
console.log(JSON.stringify({ first, last, perIncident: (last.heap - first.heap) / (last.incidents - first.incidents), incidents: report.stats.incidents, written }));
