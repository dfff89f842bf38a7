/**
 * The Markdown report on the bundled samples: the report of the whole samples/ folder fits a
 * GitHub comment and renders with a real Markdown renderer (markdown-it); what the renderer
 * makes of it is checked (rows, sections, incidents accounted for), not only that it parses.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.js';

vi.setConfig({ testTimeout: 60_000 });

interface Problem {
  id: string;
  source: string;
  line: number;
  count: number;
}

describe('--format markdown', () => {
  const whole = runCli(['--per-directory', '--format', 'markdown', 'samples/']);
  const json = JSON.parse(runCli(['--per-directory', '--format', 'json', 'samples/']).stdout) as { incidents: unknown[]; problems: Problem[] };

  /** What a renderer makes of the report: the summary rows, sections, incident rows, case headings. */
  function structure(md: string) {
    const tokens = new MarkdownIt({ html: true }).parse(md, {});
    const headings = tokens.flatMap((t, i) => (t.type === 'heading_open' ? [{ level: t.tag, text: tokens[i + 1]!.content }] : []));
    const html = new MarkdownIt({ html: true }).render(md);
    const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]!);
    const rowsOf = (head: string) => (tables.find((t) => t.includes(`<th>${head}</th>`))?.match(/<tr>\s*<td>/g) ?? []).length;
    const sections = headings.filter((h) => /^P\d+ · /.test(h.text));
    const incidentsInSections = sections.reduce((a, h) => a + Number(/· (\d+) incidents? ·/.exec(h.text)![1]), 0);
    const more = /_\+?(\d+) (?:more )?incidents?; the JSON report has every one\._/.exec(md);
    return { html, headings, sections, summaryRows: rowsOf('Problem'), incidentRows: rowsOf('Incident'), incidentsInSections, unlisted: more ? Number(more[1]) : 0 };
  }

  it('the report of the whole samples/ folder fits in 65,000 characters', () => {
    expect(whole.code).toBe(1);
    expect(whole.stdout.length).toBeLessThanOrEqual(65_000);
    expect(whole.stdout.length).toBeGreaterThan(30_000);
  });

  it('renders with markdown-it: a summary row per problem, every incident in a section or the table', () => {
    const s = structure(whole.stdout);
    expect(s.summaryRows).toBe(json.problems.length);
    expect(s.sections.length).toBeGreaterThan(0);
    // Nothing is lost to the budget: each incident is told in a section or listed as a row.
    expect(s.incidentsInSections + s.incidentRows + s.unlisted).toBe(json.incidents.length);
    // One headline per case, on the case's own evidence: no ranking across cases.
    const cases = s.headings.filter((h) => h.level === 'h2' && h.text.startsWith('samples/'));
    expect(cases.length).toBeGreaterThan(0);
    expect(new Set(cases.map((c) => c.text)).size).toBe(cases.length);
    expect(s.headings[0]!.text).toBe('pgtriage report');
    expect(whole.stdout).toMatch(/^\*\*\d+ incidents in the 08003 family: \d+ problems in \d+ cases, each case judged on its own\*\*$/m);
    expect(whole.stdout).not.toMatch(/most likely: .*\n\n\| Problem/);
    // Folded failure records render as <details> with a fence inside, balanced.
    expect(s.html).toContain('<details><summary>Failure record <code>');
    expect(s.html.split('<details>').length).toBe(s.html.split('</details>').length);
  });

  it('a case that fits is whole: records quoted, the failure record folded after the causes', () => {
    const r = runCli(['--format', 'markdown', 'samples/lab/restart-sqlalchemy-psycopg2/']);
    const s = structure(r.stdout);
    expect(s.sections.map((h) => h.text)).toEqual([expect.stringMatching(/^P1 · 4 incidents · 08003 connection-lost/)]);
    expect(s.incidentRows).toBe(0);
    expect(r.stdout.indexOf('<details>')).toBeGreaterThan(r.stdout.indexOf('**Causes**'));
    expect(r.stdout).toContain('Traceback (most recent call last):');
  });

  it('degrades to fit a small budget: sections first, the rest as a table of incidents', () => {
    for (const budget of [20_000, 2_000]) {
      const r = runCli(['--per-directory', '--format', 'markdown', '--max-chars', String(budget), 'samples/']);
      expect(r.stdout.length).toBeLessThanOrEqual(budget);
      const s = structure(r.stdout);
      expect(s.summaryRows).toBeGreaterThan(0);
      expect(r.stdout).toContain('## Incidents without room for their section');
      if (budget === 20_000) expect(s.incidentRows).toBeGreaterThan(0);
    }
  });

  it('--max-chars below 2000 is a usage error', () => {
    const r = runCli(['--format', 'markdown', '--max-chars', '100', 'samples/seed-example.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-chars must be at least 2000');
  });
});
