/**
 * The `when:` variable registry is the one truth about variables: the documentation must list
 * exactly its names and types, and every variable must resolve on a real sample incident (a
 * documented variable that nothing binds can never fire, and a rule on it silently does nothing).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { expandInputs } from '../../src/input/sources.js';
import { VARIABLES } from '../../src/rules/expr/index.js';

const docName = (name: string) => (name.endsWith('.*') ? `${name.slice(0, -2)}.<key>` : name);

describe('the when: variable registry', () => {
  it('is what docs/rules.md lists, names and types', () => {
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Variables'), doc.indexOf('### Unknown values'));
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (\w+) \|/gm)]
      .map((m) => [m[1], m[2]])
      .filter(([name]) => !name.startsWith('count(') && !name.startsWith('within '));
    expect(rows).toEqual(VARIABLES.map((v) => [docName(v.name), v.type]));
  });

  it('resolves every variable on a real sample incident', async () => {
    // One probe rule per variable whose condition holds exactly when the variable has a value.
    // All samples form one case, so the configuration samples meet the failures.
    const probeName = (name: string) => (name === 'config.*' ? 'config.sqlalchemy.pool_recycle' : name);
    const probes = VARIABLES.map((v, i) => ({ id: `probe-${i}`, name: probeName(v.name) }));
    const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-probes-'));
    writeFileSync(
      path.join(dir, 'probes.yaml'),
      'rules:\n' +
        probes
          .map((p) => `  - id: ${p.id}\n    description: probe\n    when: "${p.name} == ${p.name}"\n    evidence: [ { cause: idle-session-timeout, for: weak } ]\n`)
          .join(''),
    );
    const samples = fileURLToPathSafe(new URL('../../samples', import.meta.url));
    const { sources } = await expandInputs([samples], () => {
      throw new Error('no stdin here');
    });
    const report = await triage(sources.map((s) => ({ path: s.name })), { rules: [dir] });
    expect(report.incidents.length).toBeGreaterThan(50);
    const fired = new Set(report.incidents.flatMap((i) => i.causes.flatMap((c) => c.evidence.map((e) => e.ruleId))));
    const unbound = probes.filter((p) => !fired.has(p.id)).map((p) => p.name);
    expect(unbound).toEqual([]);
  }, 300_000);
});

function fileURLToPathSafe(url: URL): string {
  return decodeURIComponent(url.pathname);
}
