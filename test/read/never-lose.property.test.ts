/**
 * Never lose an incident because of a layout: generated application layouts (timestamp style ×
 * separator × level placement × logger/thread fields × transport prefix × plain/JSON) carry the
 * same failure records, and every failure must come out as one incident at its header line and
 * time. The records are invented but in the drivers' real wording.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks, triage } from '../../src/index.js';
import type { RulePack } from '../../src/rules/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');

/** How a layout prints a time (all with milliseconds, so the expected time is exact). */
const TIME_STYLES: Record<string, (d: Date) => string> = {
  'iso-comma': (d) => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())},${p3(d.getUTCMilliseconds())}`,
  'iso-t-z': (d) => d.toISOString(),
  'iso-offset': (d) => d.toISOString().replace('T', ' ').replace('Z', ' +00:00'),
  'iso-utc': (d) => d.toISOString().replace('T', ' ').replace('Z', ' UTC'),
  slash: (d) => d.toISOString().slice(0, 23).replace('T', ' ').replace(/-/g, '/'),
  'dmy-mon': (d) => `${p2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`,
  bracketed: (d) => `[${d.toISOString().slice(0, 23).replace('T', ' ')}]`,
};

interface Layout {
  time: string;
  sep: string;
  level: 'before' | 'after' | 'bracketed' | 'after-colon';
  logger: string | undefined;
  thread: string | undefined;
  transport: string;
  json: boolean;
}

const TRANSPORTS: Record<string, (d: Date) => string> = {
  none: () => '',
  compose: () => 'billing-1  | ',
  cri: (d) => `${d.toISOString()} stderr F `,
  quote: () => '> ',
  syslog: (d) => `<11>${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} web1 billing[311]: `,
  kubectl: () => '[pod/billing-7d9f/app] ',
  heroku: (d) => `${d.toISOString().replace('Z', '+00:00')} app[worker.1]: `,
};

const layout: fc.Arbitrary<Layout> = fc.record({
  time: fc.constantFrom(...Object.keys(TIME_STYLES)),
  sep: fc.constantFrom(' ', ' | ', ' - '),
  level: fc.constantFrom('before', 'after', 'bracketed', 'after-colon'),
  logger: fc.constantFrom(undefined, 'billing.sync:91', 'com.acme.billing.Sync', 'billing'),
  thread: fc.constantFrom(undefined, '[worker-3]', '{MainThread}', '[http-nio-8080-exec-1]'),
  transport: fc.constantFrom(...Object.keys(TRANSPORTS)),
  json: fc.boolean(),
});

/** Failure records: the message line (after the header) and the lines under it. */
const FAILURES: Array<{ message: string; body: string[] }> = [
  {
    message: 'batch failed',
    body: [
      'Traceback (most recent call last):',
      '  File "/srv/billing/sync.py", line 91, in push',
      '    cur.execute(UPSERT, rows)',
      'psycopg2.OperationalError: server closed the connection unexpectedly',
      '\tThis probably means the server terminated abnormally',
      '\tbefore or while processing the request.',
    ],
  },
  {
    message: 'query failed: Error: Connection terminated unexpectedly',
    body: ['    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)', '    at Object.onceWrapper (node:events:632:26)'],
  },
  {
    message: 'Query failed',
    body: [
      'org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.',
      '\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:395)',
      'Caused by: java.net.SocketException: Connection reset',
      '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:328)',
    ],
  },
];

function header(l: Layout, d: Date, level: string): string {
  const t = TIME_STYLES[l.time](d);
  const parts: string[] = [];
  if (l.level === 'before') parts.push(level, t);
  else parts.push(t);
  if (l.thread) parts.push(l.thread);
  if (l.level === 'after') parts.push(level.padEnd(5));
  if (l.level === 'bracketed') parts.push(`[${level}]`);
  if (l.level === 'after-colon') parts.push(level + ':');
  if (l.logger) parts.push(l.logger);
  return parts.join(l.sep) + (l.logger ? ': ' : l.sep);
}

interface Built {
  text: string;
  expected: Array<{ line: number; time: string }>;
}

function build(l: Layout, failures: number[], fillers: number): Built {
  const out: string[] = [];
  const expected: Built['expected'] = [];
  let clock = Date.UTC(2025, 2, 2, 4, 0, 0, 118);
  const push = (d: Date, line: string) => out.push(TRANSPORTS[l.transport](d) + line);
  const filler = () => {
    for (let k = 0; k < fillers; k++) {
      clock += 1_234;
      const d = new Date(clock);
      if (l.json) push(d, JSON.stringify({ level: 30, time: clock, name: 'billing', msg: `batch ${k}: 400 rows staged` }));
      else push(d, header(l, d, 'INFO') + `batch ${k}: 400 rows staged`);
    }
  };
  for (const f of failures) {
    filler();
    clock += 5 * 60_000 + 7;
    const d = new Date(clock);
    const failure = FAILURES[f];
    expected.push({ line: out.length + 1, time: d.toISOString() });
    if (l.json) {
      push(d, JSON.stringify({ level: 50, time: clock, name: 'billing', msg: failure.message, err: { type: 'Error', stack: failure.body.join('\n') } }));
    } else {
      push(d, header(l, d, 'ERROR') + failure.message);
      for (const b of failure.body) push(d, b);
    }
  }
  filler();
  return { text: out.join('\n') + '\n', expected };
}

describe('never lose an incident to a layout', () => {
  let pack: RulePack;
  beforeAll(async () => {
    pack = await loadRulePacks([DEFAULT_RULES_DIR]);
  });

  it('every failure is found at its header line and time, whatever the layout', async () => {
    await fc.assert(
      fc.asyncProperty(
        layout,
        fc.array(fc.integer({ min: 0, max: FAILURES.length - 1 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        async (l, failures, fillers) => {
          const { text, expected } = build(l, failures, fillers);
          const report = await triage({ name: 'app.log', content: text }, { pack });
          const got = report.incidents.map((i) => ({ line: i.line, time: i.time }));
          expect(got, text).toEqual(expected);
        },
      ),
      // A fixed seed keeps CI repeatable; NEVER_LOSE_SEED=random (with more runs) explores.
      { numRuns: Number(process.env.NEVER_LOSE_RUNS ?? 60), seed: process.env.NEVER_LOSE_SEED === 'random' ? undefined : Number(process.env.NEVER_LOSE_SEED ?? 20261201) },
    );
  }, 60_000);
});
