/**
 * Per-incident retained state is O(1): once an incident is written out, the session keeps
 * nothing of it but its number (for `problems[].incidents` and `causes[].incidents`). The child
 * measures the heap after a full collection before and after a few thousand more incidents;
 * before this was fixed every incident left about 640 bytes behind (its ranking, a quoted mark),
 * now about 90. Heap sizes, not times, so load on the machine cannot change the outcome.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKS_PER_KEY } from '../../src/evidence/timeline.js';
import { ROOT } from './run-cli.js';

// The first measurement comes after the marks of `incidents` have filled their cap, so the
// difference is what each further incident costs.
const FROM = MARKS_PER_KEY + 1000;
const MORE = Number(process.env.PGTRIAGE_RETAINED_INCIDENTS ?? 5000);

describe.each(['ndjson', 'json', 'text'])('retained state per incident (%s)', (format) => {
  it('stays under 250 bytes per incident', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(ROOT, 'test/cli/retained.mjs'), format, String(FROM), String(FROM + MORE)], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { perIncident: number; incidents: number; written: number };
    expect(out.incidents).toBe(FROM + MORE);
    if (format !== 'text') expect(out.written).toBeGreaterThan(out.incidents * 100);
    expect(out.perIncident).toBeLessThan(250);
  }, 300_000);
});
