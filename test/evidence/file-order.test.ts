/**
 * One case, the same files, any order: the outcome must not depend on which file is read first.
 * Reading is sequential, so a long client log read before its server log used to conclude its
 * incidents (their context window passed in the client's own log time) before a single server
 * line had been read. The lab's restart case is fed in both orders, with the client log
 * lengthened by ordinary lines (about 3 MB, half an hour of log time) past every window.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import type { Report } from '../../src/report-types.js';

const CASE = new URL('../../samples/lab/restart-sqlalchemy-psycopg2/', import.meta.url);
const client = readFileSync(new URL('client.log', CASE), 'utf8');
const server = readFileSync(new URL('server.log', CASE), 'utf8');
/** The client log lengthened to about 3 MB: past the reader's chunk and the context window. */
const LONG_CLIENT = lengthened(client, 3_000_000);


/** Ordinary worker lines after the failures, one every 60 ms, until the log reaches `bytes`. */
function lengthened(log: string, bytes: number): string {
  const start = Date.parse('2026-11-25T13:58:20.000Z');
  const out: string[] = [log.endsWith('\n') ? log : `${log}\n`];
  let size = out[0].length;
  for (let n = 0; size < bytes; n++) {
    const line = `${new Date(start + n * 60).toISOString()} INFO     [worker_${n % 4}] customers_refresh heartbeat ${n}: 1666 customers refreshed\n`;
    out.push(line);
    size += line.length;
  }
  return out.join('');
}

/** What a user reads: each incident's top cause, its confidence and its facts. */
function outcome(report: Report) {
  return {
    causes: report.causes.slice(0, 2).map((c) => c.id),
    incidents: report.incidents.map((i) => ({
      line: `${i.source}:${i.line}`,
      top: i.causes[0].id,
      confidence: i.causes[0].confidence,
      facts: i.facts.map((f) => `${f.id}×${f.count}`).sort(),
    })),
  };
}

const inOrder = async (files: Array<[string, string]>, perDirectory = false) =>
  outcome(await triage(files.map(([name, content]) => ({ name, content })), { perDirectory }));

describe('file order inside one case', () => {
  it('gives the same incidents, causes and facts whichever file is read first', async () => {
    const longClient = LONG_CLIENT;
    const clientFirst = await inOrder([
      ['case/client.log', longClient],
      ['case/server.log', server],
    ]);
    const serverFirst = await inOrder([
      ['case/server.log', server],
      ['case/client.log', longClient],
    ]);
    expect(serverFirst.incidents.length).toBeGreaterThan(0);
    expect(serverFirst.incidents[0].top).toBe('stale-pool-after-restart');
    // the server's shutdown and restart lines are what decide it
    expect(serverFirst.incidents[0].facts.some((f) => f.startsWith('pg-ready-after-restart'))).toBe(true);
    expect(clientFirst).toEqual(serverFirst);
  });

  it('the short logs agree in both orders too', async () => {
    const a = await inOrder([
      ['case/client.log', client],
      ['case/server.log', server],
    ]);
    const b = await inOrder([
      ['case/server.log', server],
      ['case/client.log', client],
    ]);
    expect(a).toEqual(b);
  });

  it('per directory, a case waits for its own server log even when another case is read in between', async () => {
    const other = new URL('../../samples/lab/crash-psycopg3/', import.meta.url);
    const otherClient = readFileSync(new URL('client.log', other), 'utf8');
    const longClient = LONG_CLIENT;
    const alone = await inOrder(
      [
        ['a/server.log', server],
        ['a/client.log', longClient],
      ],
      true,
    );
    const apart = await inOrder(
      [
        ['a/client.log', longClient],
        ['b/client.log', otherClient],
        ['a/server.log', server],
      ],
      true,
    );
    const ofA = apart.incidents.filter((i) => i.line.startsWith('a/'));
    expect(ofA).toEqual(alone.incidents);
    expect(ofA[0].top).toBe('stale-pool-after-restart');
  });

  it("a server log with many other restarts, read in one go, still gives each incident its own restart", async () => {
    // twenty restarts an hour apart before and after the one the client saw
    const restarts = (from: number, sign: 1 | -1) =>
      Array.from({ length: 20 }, (_, k) => {
        const t = (ms: number) => new Date(from + sign * (k + 1) * 3_600_000 + ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
        return [
          `${t(0)} [100] LOG:  received fast shutdown request`,
          `${t(5)} [101] LOG:  shutting down`,
          `${t(20)} [100] LOG:  database system is shut down`,
          `${t(200)} [102] LOG:  database system is ready to accept connections`,
        ];
      })
        .flat()
        .sort();
    const at = Date.parse('2026-11-25T13:58:09.801Z');
    const busyServer = `${restarts(at, -1).join('\n')}\n${server}${restarts(at, 1).join('\n')}\n`;
    const plain = await inOrder([
      ['case/server.log', server],
      ['case/client.log', client],
    ]);
    for (const files of [
      [
        ['case/server.log', busyServer],
        ['case/client.log', client],
      ],
      [
        ['case/client.log', client],
        ['case/server.log', busyServer],
      ],
    ] as Array<Array<[string, string]>>) {
      const got = await inOrder(files);
      expect(got.incidents.map((i) => [i.top, i.facts.filter((f) => f.startsWith('pg-'))])).toEqual(plain.incidents.map((i) => [i.top, i.facts.filter((f) => f.startsWith('pg-'))]));
    }
  });
});
