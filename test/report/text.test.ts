import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderOptions } from '../../src/report/reporter.js';
import { createTextStream, renderText, renderTextIncident, renderTextSummary } from '../../src/report/text.js';
import type { Incident } from '../../src/report-types.js';
import { causeEvidence, emptyReport, idleInTxCause, makeReport, sqlalchemyIncident, stalePoolCause } from './factory.js';

const plain = renderOptions();

/** Display columns of every line, measured by string-width (not by the reporter's own measure). */
function widest(text: string): number {
  return Math.max(...stripVTControlCharacters(text).split('\n').map((l) => stringWidth(l)));
}

function repeats(n: number, over: Partial<Incident> = {}): Incident[] {
  return Array.from({ length: n }, (_, i) =>
    sqlalchemyIncident({ id: `I${i + 1}`, line: 120 + 100 * i, endLine: 123 + 100 * i, time: `2024-05-01T10:0${i}:03.000Z`, ...over }),
  );
}

const roomy = renderOptions({ width: 200 });

describe('text reporter: the answer first', () => {
  const out = renderText(makeReport(), plain);
  const full = renderText(makeReport(), roomy);

  it('starts with the verdict, then a summary table with one row per problem', () => {
    const lines = out.split('\n');
    expect(lines[0]).toBe('pgtriage: 1 incident in the 08003 family; most likely: The pool handed out a connection the server');
    expect(lines[1]).toBe('  closed when it restarted (61%, medium confidence)');
    expect(lines[2]).toMatch(/^ {2}id +n +first \(UTC\) +where +stack +top cause +score +conf$/);
    expect(lines[3]).toMatch(/^ {2}P1 +1× +10:02:03 +logs\/etl\.log:120 +sqlalchemy,psycopg +stale-pool-after-restart +61% +medium$/);
    expect(lines[4]).toBe('');
  });

  it('gives each problem one block: head, ranked causes, fitted fix, what would decide it', () => {
    expect(out).toContain('P1 · 1 incident · 08003 connection-lost · 2024-05-01 10:02:03 UTC · python-traceback/client');
    expect(out).toMatch(/ causes {3}61% medium \[stale-pool-after-restart\] The pool handed out/);
    expect(out).toMatch(/\n {11}24% low {4}\[idle-in-transaction-timeout\]/);
    expect(out).toContain('  fix     sqlalchemy: Enable pre-ping: `create_engine(url, pool_pre_ping=True)`.');
    expect(out).not.toContain('dbt retry');
    expect(out).toContain('  decide  The pool settings (`pool_pre_ping`, `pool_recycle`) of the engine that failed');
    const explained = renderText(makeReport(), renderOptions({ explain: true }));
    expect(explained).toContain('dbt: Re-run the failed models with `dbt retry`.');
    expect(explained).toContain('The server log for 10:00–10:03 UTC');
  });

  it('quotes the failure record after the causes, then each cited record once with its rule hits as one-liners', () => {
    const causesAt = out.indexOf('  causes');
    // Inside a block, paths are shown below the directory its sources share (logs/).
    const failureAt = out.indexOf('records etl.log:120-123  sqlalchemy.exc.OperationalError');
    expect(causesAt).toBeGreaterThan(0);
    expect(failureAt).toBeGreaterThan(causesAt);
    expect(full).toContain(' postgresql-2024-05-01.log:88  2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request\n');
    expect(full).toContain('↳ [server.shutdown-fast: stale-pool-after-restart +1.30] the server shut down in fast mode');
    expect(full).toContain('↳ [client.pre-ping-on: stale-pool-after-restart -0.40] pre-ping would have replaced');
  });

  it('quotes a record cited by several causes once, with every effect on its one line', () => {
    const incident = sqlalchemyIncident();
    const idle = idleInTxCause();
    idle.evidence.push(causeEvidence({ weight: -0.6, direction: 'against' }));
    idle.score = 0.3;
    incident.causes = [stalePoolCause(), idle];
    const text = renderText(makeReport({ incidents: [incident] }), roomy);
    expect(text.split('received fast shutdown request').length - 1).toBe(1);
    expect(text).toContain('[server.shutdown-fast: stale-pool-after-restart +1.30, idle-in-transaction-timeout -0.60]');
  });

  it('folds causes under 5% into one line', () => {
    const tiny = (id: string, score: number) => ({ ...idleInTxCause(), id, title: `Cause ${id}`, score });
    const incident = sqlalchemyIncident({ causes: [stalePoolCause(), tiny('a', 0.08), tiny('b', 0.04), tiny('c', 0.03), tiny('d', 0.02)] });
    const text = renderText(makeReport({ incidents: [incident] }), plain);
    expect(text).toContain('Cause a');
    expect(text).not.toContain('Cause b');
    expect(text).not.toContain('Cause c');
    expect(text).toContain('+3 under 5%: b 4%, c 3%, d 2%\n');
    expect(renderText(makeReport({ incidents: [incident] }), renderOptions({ explain: true }))).toContain('Cause d');
  });

  it('ends with neighbours, the stats line with every non-zero skip, and warnings', () => {
    expect(out).toContain('Neighbours (connection failures outside the 08003 family)');
    expect(out).toMatch(/08001 connection refused {2}logs\/etl\.log:12 {2}psycopg2\.OperationalError: connection to server/);
    expect(out.replace(/\n/g, ' ')).toContain('2 sources · 450 lines (57 kB) · 442 records · 12 events · truncated 1 lines/0 records · skipped 1 binary/0 unreadable · 1 warning');
    expect(out).toContain('warning: logs/app.bin: binary input skipped');
  });

  it('has no colour codes when colour is off, and the same text under its colour when on', () => {
    expect(out).not.toContain('\x1b');
    const coloured = renderText(makeReport(), renderOptions({ color: true }));
    expect(coloured).toContain('\x1b[');
    expect(stripVTControlCharacters(coloured)).toBe(out);
  });

  it('reports an empty run plainly', () => {
    const text = renderText(emptyReport(), plain);
    expect(text.split('\n')[0]).toBe('pgtriage: no 08003-family incident in 2 sources (450 lines)');
    expect(text).not.toContain('P1');
  });
});

describe('text reporter: problems', () => {
  it('groups identical incidents into one block with their count, span and places', () => {
    const report = makeReport({ incidents: repeats(4), stats: { ...makeReport().stats, incidents: 4 } });
    const text = renderText(report, roomy);
    expect(text.match(/^P\d+ · /gm)).toEqual(['P1 · ']);
    expect(text).toContain('P1 · 4 incidents · 08003 connection-lost · 2024-05-01 10:00:03–10:03:03 UTC');
    expect(text).toContain('  at I1 etl.log:120, I2 etl.log:220, I3 etl.log:320, I4 etl.log:420');
    expect(text).toMatch(/ {2}P1 +4× +10:00:03 \+3m /);
    expect(text.split('received fast shutdown request').length - 1).toBe(1);
  });

  it('keeps different failures apart, and the same failure with another top cause apart', () => {
    const other = sqlalchemyIncident({ id: 'I3', message: 'psycopg2.OperationalError: SSL SYSCALL error: EOF detected', line: 900 });
    const otherCause = sqlalchemyIncident({ id: 'I4', line: 950, causes: [idleInTxCause(), stalePoolCause()] });
    const text = renderText(makeReport({ incidents: [...repeats(2), other, otherCause] }), plain);
    expect(text.match(/^P\d+ · \d+ incidents?/gm)).toEqual(['P1 · 2 incidents', 'P2 · 1 incident', 'P3 · 1 incident']);
  });

  it('under --per-directory gives each case its own headline and never ranks causes across cases', () => {
    const a = repeats(2, { source: 'case-a/etl.log' });
    const b = [sqlalchemyIncident({ id: 'I3', source: 'case-b/app.log', causes: [idleInTxCause()] })];
    const text = renderText(makeReport({ incidents: [...a, ...b], stats: { ...makeReport().stats, incidents: 3 } }), renderOptions({ perDirectory: true, width: 200 }));
    expect(text.split('\n')[0]).toBe('pgtriage: 3 incidents in the 08003 family: 2 problems in 2 cases, each case judged on its own');
    expect(text).toContain('── case-a: 2 incidents; most likely: The pool handed out a connection the server closed when it restarted (61%, medium confidence)');
    expect(text).toContain('── case-b: 1 incident; most likely: idle_in_transaction_session_timeout ended the session (24%, low confidence)');
    expect(text).not.toContain('most likely: The pool handed out a connection the server closed when it restarted (61%, medium confidence)\n  id');
    expect(text).not.toContain('Overall causes');
  });

  it('streams with O(problems) state: the same report as rendering the whole list', () => {
    const report = makeReport({ incidents: repeats(3), stats: { ...makeReport().stats, incidents: 3 } });
    const stream = createTextStream(plain);
    let out = stream.begin();
    for (const i of report.incidents) out += stream.incident(i);
    out += stream.end({ ...report, incidents: [] });
    expect(out).toBe(renderText(report, plain));
  });

  it('on a live stream writes a new problem at once, a repeat as one line, and the summary last', () => {
    const report = makeReport({ incidents: repeats(2), stats: { ...makeReport().stats, incidents: 2 } });
    const stream = createTextStream(renderOptions({ live: true, width: 200 }));
    const first = stream.incident(report.incidents[0]!);
    const second = stream.incident(report.incidents[1]!);
    expect(first).toContain('I1 · 1 incident · 08003 connection-lost');
    expect(second).toBe('I2 2024-05-01 10:01:03 logs/etl.log:220: again the failure of I1 (2×)\n');
    const end = stream.end({ ...report, incidents: [] });
    expect(end).toMatch(/^ {2}id +n/);
    expect(end.trimEnd().split('\n').at(-1)).toMatch(/^pgtriage: 2 incidents in the 08003 family/);
  });

  it('library streaming: one incident block, then the tail ending with the verdict', () => {
    const r = makeReport();
    const streamed = r.incidents.map((i) => renderTextIncident(i, plain)).join('') + renderTextSummary(r, plain);
    expect(streamed).toContain('inc-1 · 1 incident');
    expect(streamed.trimEnd().split('\n').at(-1)).toMatch(/^ {2}closed when it restarted/);
  });
});

describe('text reporter: fitted to the width', () => {
  const wide = sqlalchemyIncident({
    message: 'psycopg2.OperationalError: 接続が存在しません — サーバーが予期せず接続を閉じました 🚨 connection does not exist',
    exception: 'psycopg2.OperationalError',
  });
  wide.evidence[0]!.text = `${wide.message}\n\tDETAIL:  ${'長い行'.repeat(40)}\n${'x'.repeat(300)}`;
  wide.causes[0]!.summary = 'ｆｕｌｌｗｉｄｔｈ text and 中文 words in a summary long enough to wrap several times at eighty columns';
  const report = makeReport({ incidents: [wide, sqlalchemyIncident({ id: 'I2', source: 'ログ/作業.log', line: 900 })] });

  it.each([80, 60, 40])('no line is wider than --width %i display columns (wide characters counted twice)', (width) => {
    for (const explain of [false, true]) {
      for (const color of [false, true]) {
        expect(widest(renderText(report, renderOptions({ width, explain, color })))).toBeLessThanOrEqual(width);
      }
    }
  });

  it('cuts quoted lines with a visible marker, and under --explain wraps them whole instead', () => {
    const short = renderText(report, renderOptions({ width: 80 }));
    expect(short).toMatch(/x+…\n/);
    const long = renderText(report, renderOptions({ width: 80, explain: true }));
    const xs = long.split('\n').filter((l) => /^ +x+$/.test(l));
    expect(xs.map((l) => l.trim()).join('')).toBe('x'.repeat(300));
  });

  it('removes harmless colour codes from log lines (dbt) and shows other escapes inert', () => {
    const incident = sqlalchemyIncident({ message: '\x1b[0m12:00:01  Database Error \x1b[2Jconnection does not exist' });
    incident.evidence[0]!.text = incident.message;
    const text = renderText(makeReport({ incidents: [incident] }), plain);
    expect(text).toContain('12:00:01  Database Error \\x1b[2Jconnection does not exist');
    expect(text).not.toContain('\\x1b[0m');
    expect(text).not.toContain('\x1b');
  });
});
