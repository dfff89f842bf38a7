import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRulePacks, triage } from '../../src/index.js';
import { remediationDoc } from '../../src/remedy/doc.js';
import { fitRemediation } from '../../src/remedy/fit.js';
import { lintRemediation } from '../../src/remedy/lint.js';
import { remedyNumbers } from '../../src/remedy/numbers.js';
import type { RulePack } from '../../src/rules/types.js';
import { ROOT } from '../cli/run-cli.js';

let pack: RulePack;
beforeAll(async () => {
  pack = await loadRulePacks([DEFAULT_RULES_DIR]);
});
const cause = (id: string) => pack.causes.get(id)!;
const steps = (id: string, stacks: string[], numbers = {}) => fitRemediation(cause(id), stacks, numbers);

describe('the bundled remediation', () => {
  it('covers every cause for every stack, with a source on every step', () => {
    expect(lintRemediation(pack.causes.values())).toEqual([]);
    for (const c of pack.causes.values()) for (const list of Object.values(c.remediation)) for (const s of list) expect(s.source).toMatch(/^https:\/\//);
  });

  it('is what docs/remediation.md shows (regenerate with node scripts/remediation-doc.mjs)', () => {
    expect(readFileSync(path.join(ROOT, 'docs/remediation.md'), 'utf8')).toBe(remediationDoc(pack.causes.values()));
  });

  it('flags a cause without a stack, a step without source and a template without a number-free fallback', () => {
    const c = { ...cause('unknown'), remediation: { sqlalchemy: [{ text: 'set pool_recycle={target}' }] } };
    const ids = lintRemediation([c]).map((f) => f.id);
    expect(ids).toContain('missing-stack');
    expect(ids).toContain('step-without-source');
    expect(ids).toContain('template-without-otherwise');
  });
});

describe('corrected steps', () => {
  it('admin kills: log_statement "ddl" is not offered as the way to see pg_terminate_backend', async () => {
    const dir = path.join(ROOT, 'samples/lab/admin-terminate-psycopg3');
    const report = await triage(['client.log', 'server.log'].map((f) => ({ path: path.join(dir, f) })));
    const top = report.incidents[0]!.causes[0]!;
    expect(top.id).toBe('admin-terminated-backend');
    const server = top.remediation.filter((s) => s.stack === 'server').map((s) => s.text).join('\n');
    expect(server).toContain("log_statement = 'all'");
    expect(server).toContain('pgaudit');
    expect(server).toMatch(/'ddl'` does not log/);
  });

  it('dbt: retries only cover opening a connection; dbt retry re-runs the model', () => {
    const dbt = steps('stale-pool-after-restart', ['dbt']).filter((s) => s.stack === 'dbt');
    expect(dbt[0]!.text).toMatch(/`retries` only retries opening a connection/);
    expect(dbt[0]!.text).toContain('dbt retry');
  });

  it('ADF: no keepalive or idle-lifetime property is invented for the V2 linked services', () => {
    for (const id of ['tcp-keepalive-nat-drop', 'pool-recycle-exceeds-server-timeout']) {
      const adf = steps(id, ['adf']).filter((s) => s.stack === 'adf').map((s) => s.text).join('\n');
      expect(adf).toMatch(/no (keepalive|pool-lifetime) property/);
      expect(adf).not.toMatch(/Keepalive=60 in the linked service/);
    }
  });

  it('node-postgres idleTimeoutMillis example is not above its 10 s default; crash advice does not claim timeouts cap memory', () => {
    const node = steps('pool-recycle-exceeds-server-timeout', ['node']).find((s) => s.stack === 'node')!;
    expect(node.text).toContain('10000');
    const crash = steps('server-crash-recovery', []).filter((s) => s.stack === 'server').map((s) => s.text).join('\n');
    expect(crash).toContain('work_mem');
    expect(crash).toContain('does not cap memory');
  });

  it('HikariCP after a restart: validation on borrow and a retry on class 08, not a shorter maxLifetime or a test query', () => {
    const jdbc = steps('stale-pool-after-restart', ['jdbc']).find((s) => s.stack === 'jdbc')!;
    expect(jdbc.text).toContain('isValid()');
    expect(jdbc.text).toContain('class 08');
    expect(jdbc.text).not.toMatch(/connectionTestQuery/);
  });

  it('Django gets Django settings, not psycopg_pool advice', () => {
    const django = steps('idle-session-timeout', ['django', 'psycopg']);
    expect(django.some((s) => s.stack === 'django' && s.text.includes('CONN_MAX_AGE'))).toBe(true);
    expect(django.some((s) => s.stack === 'psycopg')).toBe(false);
  });

  it("a PgBouncer client_idle_timeout leads with PgBouncer's step and the user's own numbers", async () => {
    const log = [
      '2026-03-01 10:00:00,000 INFO etl.db: engine config: pool_recycle=3600 pool_pre_ping=False pool_size=5',
      '2026-03-01 10:30:00,000 ERROR etl.load: failed',
      'Traceback (most recent call last):',
      '  File "/app/load.py", line 10, in run',
      '    conn.execute(stmt)',
      'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly',
      '\tThis probably means the server terminated abnormally',
      '\tbefore or while processing the request.',
      '',
    ].join('\n');
    const pooler = [
      '2026-03-01 10:29:59.900 UTC [77] LOG C-0x55aa: dw/etl@10.0.0.5:50000 closing because: client_idle_timeout (age=1800s)',
      '',
    ].join('\n');
    const ini = '[databases]\ndw = host=db port=5432\n[pgbouncer]\npool_mode = session\nclient_idle_timeout = 900\n';
    const report = await triage([
      { name: 'case/app.log', content: log },
      { name: 'case/pgbouncer.log', content: pooler },
      { name: 'case/pgbouncer.ini', content: ini },
    ]);
    const incident = report.incidents.find((i) => i.source === 'case/app.log')!;
    expect(incident).toBeDefined();
    const recycle = incident.causes.find((c) => c.id === 'pool-recycle-exceeds-server-timeout')!;
    expect(recycle).toBeDefined();
    expect(recycle.remediation[0]!.stack).toBe('pgbouncer');
    expect(recycle.remediation[0]!.text).toContain('client_idle_timeout = 900');
    const sqla = recycle.remediation.find((s) => s.stack === 'sqlalchemy')!;
    expect(sqla.fitted).toBe(true);
    expect(sqla.text).toContain('3600');
    expect(sqla.text).toContain('pool_recycle=630');
  });

  it('numbers: the limit that fired comes from the SQLSTATE or the pooler reason, its value from configuration', () => {
    const config = (k: string) => ({ 'postgres.idle_session_timeout': '600', 'sqlalchemy.pool_recycle': '3600' })[k];
    expect(remedyNumbers({ observedSqlstates: ['57P05'], texts: [], config })).toMatchObject({ limit: 600, limit_setting: 'idle_session_timeout', limit_component: 'server', pool_lifetime: 3600, target: 420 });
    expect(remedyNumbers({ observedSqlstates: [], texts: ['closing because: client_idle_timeout (age=901s)'], config })).toMatchObject({ limit_component: 'PgBouncer', limit_setting: 'client_idle_timeout', limit: undefined });
    // A driver's own option named like a PgBouncer setting, dumped in a stack trace, is not a reason.
    expect(remedyNumbers({ observedSqlstates: ['57P05'], texts: ['error: terminating connection due to idle-session timeout\n  query_timeout: undefined,'], config })).toMatchObject({ limit_component: 'server' });
  });
});

describe('on the lab samples', () => {
  it("every incident's first step names the component whose limit fired, with the numbers the log shows", async () => {
    const lab = path.join(ROOT, 'samples/lab');
    let checked = 0;
    for (const dir of readdirSync(lab).filter((d) => statSync(path.join(lab, d)).isDirectory())) {
      const files = readdirSync(path.join(lab, dir)).filter((f) => f.endsWith('.log') || f.endsWith('.ini') || f.endsWith('.conf'));
      const report = await triage(files.map((f) => ({ path: path.join(lab, dir, f) })));
      for (const incident of report.incidents) {
        const top = incident.causes[0]!;
        const first = top.remediation[0];
        if (!first) continue;
        const text = incident.evidence.map((e) => e.text).join('\n');
        const poolerLimit = /closing because: (client_idle_timeout|idle transaction timeout|server_lifetime)/.test(text);
        const serverLimit = !poolerLimit && incident.observedSqlstates.some((s) => s === '57P05' || s === '25P03');
        const has = (stack: string) => top.remediation.some((s) => s.stack === stack);
        if (poolerLimit && has('pgbouncer')) expect(first.stack, `${dir} ${incident.id}`).toBe('pgbouncer');
        else if (serverLimit && has('server')) expect(first.stack, `${dir} ${incident.id}`).toBe('server');
        else continue;
        const recycle = /pool_recycle=(\d+)/.exec(text);
        if (recycle && top.id === 'pool-recycle-exceeds-server-timeout') expect(top.remediation.some((s) => s.fitted && s.text.includes(recycle[1]!))).toBe(true);
        checked++;
      }
    }
    // The lab cases where a limit fired (57P05, 25P03, PgBouncer reasons) and the cause has that component's step.
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});
