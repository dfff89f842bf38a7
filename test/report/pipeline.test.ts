/** The real pipeline's reports fit the schema and render in every format (contract check). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { reporterNames, reporters } from '../../src/report/index.js';
import { renderOptions } from '../../src/report/reporter.js';
import { validate } from './mini-schema.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const root = new URL('../../', import.meta.url).pathname;

describe('reports from the pipeline', () => {
  it.each([
    ['seed', ['samples/seed-example.log']],
    ['idle in transaction (SQLAlchemy + server log)', ['samples/lab/iit-sqlalchemy-psycopg2/client.log', 'samples/lab/iit-sqlalchemy-psycopg2/server.log']],
  ])('%s: validates against the schema and renders in every format', async (_name, files) => {
    const report = await triage(files.map((f) => ({ path: root + f })));
    expect(report.incidents.length).toBeGreaterThan(0);
    expect(validate(schema, JSON.parse(reporters.json.render(report, renderOptions())))).toEqual([]);
    for (const name of reporterNames) {
      const out = reporters[name].render(report, renderOptions({ explain: true }));
      expect(out.length).toBeGreaterThan(0);
      expect(out).not.toContain('\x1b');
    }
  }, 30_000);
});
