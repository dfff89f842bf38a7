import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderOptions } from '../../src/report/reporter.js';
import { renderText, renderTextIncident, renderTextSummary } from '../../src/report/text.js';
import { emptyReport, idleInTxCause, makeReport, sqlalchemyIncident, stalePoolCause } from './factory.js';

const plain = renderOptions();

describe('text reporter', () => {
  const out = renderText(makeReport(), plain);

  it('starts with a one-line verdict naming the top cause', () => {
    const first = out.split('\n')[0]!;
    expect(first).toBe(
      'pgtriage: 1 incident in the 08003 family; most likely: The pool handed out a connection the server closed when it restarted (61%, medium confidence)',
    );
  });

  it('shows the incident: id, time, sqlstate with observed codes, message and failing file:line', () => {
    expect(out).toContain('Incident inc-1');
    expect(out).toContain('2024-05-01T10:02:03.120Z');
    expect(out).toContain('SQLSTATE 08003 connection-lost (observed: 08003)');
    expect(out).toContain('  sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  connection does not exist');
    expect(out).toContain('at logs/etl.log:120-123');
    expect(out).toContain('stacks: sqlalchemy, psycopg');
  });

  it('ranks causes with score as a percentage and confidence', () => {
    expect(out).toMatch(/ 1\.  61%  medium  The pool handed out/);
    expect(out).toMatch(/ 2\.  24%  low     idle_in_transaction_session_timeout/);
    expect(out).toMatch(/ 3\.  15%  low     Something the rules do not know {2}\[unknown\]/);
  });

  it('quotes supporting and contradicting evidence as `file:line  text` with the rule id and weight', () => {
    expect(out).toContain('logs/postgresql-2024-05-01.log:88  2024-05-01 10:01:58 UTC [311] LOG:  received fast shutdown request');
    expect(out).toContain('[server.shutdown-fast +1.30] the server shut down in fast mode');
    expect(out).toMatch(/against:\n\s+logs\/etl\.log:118  .*pool_pre_ping=True\)\n\s+\[client\.pre-ping-on -0\.40\]/);
  });

  it('fits remediation to the incident stacks (plus server/generic)', () => {
    expect(out).toContain('fix (sqlalchemy, psycopg, server):');
    expect(out).toContain('- sqlalchemy: Enable pre-ping: `create_engine(url, pool_pre_ping=True)`.');
    expect(out).not.toContain('dbt retry');
    expect(out).toContain('(+1 step for other stacks, --explain shows all)');
    const explained = renderText(makeReport(), renderOptions({ explain: true }));
    expect(explained).toContain('dbt: Re-run the failed models with `dbt retry`.');
  });

  it('says what would decide it, lists neighbours and a stats line with skipped/truncated counts and warnings', () => {
    expect(out).toContain('What would decide it\n    - The pool settings (`pool_pre_ping`, `pool_recycle`) of the engine that failed');
    expect(out).toContain('Neighbours (connection failures outside the 08003 family)');
    expect(out).toMatch(/08001 connection refused {2}2024-05-01T09:50:00.000Z {2}logs\/etl\.log:12 {2}psycopg2\.OperationalError: connection to server/);
    expect(out).toContain('2 sources · 450 lines (57 kB) · 442 records · 12 events · truncated 1 lines/0 records · skipped 1 binary/0 unreadable · 1 warning');
    expect(out).toContain('warning: logs/app.bin: binary input skipped');
  });

  it('shows the overall causes table when there are several incidents', () => {
    const r = makeReport();
    r.incidents.push(sqlalchemyIncident({ id: 'inc-2', line: 400, endLine: 403 }));
    const text = renderText(r, plain);
    expect(text).toContain('Overall causes');
    expect(text).toMatch(/61% {2}medium {6}1\/2 {5}The pool handed out/);
  });

  it('keeps multi-line evidence whole, continuation lines aligned', () => {
    const explained = renderText(makeReport(), renderOptions({ explain: true }));
    expect(explained).toContain('Timeline');
    expect(explained).toMatch(/logs\/etl\.log:120-123  sqlalchemy\.exc\.OperationalError.*\n\s+SSLERROR: decryption failed or bad record mac/);
  });

  it('has no colour codes when colour is off, and colour when on', () => {
    expect(out).not.toContain('\x1b');
    const coloured = renderText(makeReport(), renderOptions({ color: true }));
    expect(coloured).toContain('\x1b[');
    expect(stripVTControlCharacters(coloured)).toBe(out);
  });

  it('reports an empty run plainly', () => {
    const text = renderText(emptyReport(), plain);
    expect(text.split('\n')[0]).toBe('pgtriage: no 08003-family incident in 2 sources (450 lines)');
    expect(text).not.toContain('Incident');
  });

  it('streams: incident blocks, then the summary ending with the verdict', () => {
    const r = makeReport();
    const streamed = r.incidents.map((i) => renderTextIncident(i, plain)).join('') + renderTextSummary(r, plain);
    expect(streamed).toContain('Incident inc-1');
    expect(streamed.trimEnd().split('\n').at(-1)).toMatch(/^pgtriage: 1 incident in the 08003 family/);
  });
});

describe('text reporter: verdict and folding', () => {
  it('names the best cause when unknown leads overall but some incidents have a cause', () => {
    const r = makeReport();
    r.incidents.push(sqlalchemyIncident({ id: 'inc-2' }), sqlalchemyIncident({ id: 'inc-3' }));
    r.causes = [
      { id: 'unknown', title: 'Not enough evidence to name a cause', score: 0.7, confidence: 'low', incidents: ['inc-1', 'inc-2', 'inc-3'], topIn: 2 },
      { id: 'stale-pool-after-restart', title: 'Stale pool', score: 0.26, confidence: 'low', incidents: ['inc-1'], topIn: 1 },
    ];
    expect(renderText(r, plain).split('\n')[0]).toBe(
      'pgtriage: 3 incidents in the 08003 family; 2 of 3 without a clear cause; best named cause: Stale pool (first in 1 of 3)',
    );
  });

  it('says undetermined when unknown leads a single incident', () => {
    const r = makeReport({ causes: [{ id: 'unknown', title: 'x', score: 1, confidence: 'low', incidents: ['inc-1'], topIn: 1 }] });
    expect(renderText(r, plain).split('\n')[0]).toBe('pgtriage: 1 incident in the 08003 family; cause undetermined (100% unknown), see "what would decide it"');
  });

  it('folds causes under 5% after the first three, and details only causes of 10% or more', () => {
    const tiny = (id: string, score: number) => ({ ...idleInTxCause(), id, title: `Cause ${id}`, score });
    const incident = sqlalchemyIncident({ causes: [stalePoolCause(), tiny('a', 0.08), tiny('b', 0.04), tiny('c', 0.03), tiny('d', 0.02)] });
    const text = renderText(makeReport({ incidents: [incident] }), plain);
    expect(text).toContain('Cause a');
    expect(text).toContain('Cause b');
    expect(text).not.toContain('Cause c');
    expect(text).not.toContain('Cause d');
    expect(text).toContain('(+2 more under 5%, --explain shows all)');
    // cause a (8%) is listed but not detailed
    expect(text).not.toMatch(/Cause a {2}\[a\]\n\s+A transaction sat idle/);
    expect(renderText(makeReport({ incidents: [incident] }), renderOptions({ explain: true }))).toContain('Cause d');
  });
});
