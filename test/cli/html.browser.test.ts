/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core (which never
 * downloads a browser), with the system executable. Skipped, with a message, only where no
 * chromium is installed; CI sets PGTRIAGE_REQUIRE_CHROMIUM=1, so there a missing browser fails.
 * No assertion waits on time: every step awaits the browser's own answer.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.js';

// Starting a browser on a loaded two-core machine can take long: generous, never asserted.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const CHROMIUM = process.env.PGTRIAGE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
if (!HAVE && process.env.PGTRIAGE_REQUIRE_CHROMIUM) throw new Error(`PGTRIAGE_REQUIRE_CHROMIUM is set but there is no chromium at ${CHROMIUM}`);
if (!HAVE) console.warn(`html browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set PGTRIAGE_CHROMIUM)`);

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The lab case whose incidents draw on the client, the pooler (PgBouncer) and the server. */
const CASE = 'samples/lab/pgbouncer-psycopg2-prepare/';

const EVIL = [
  '<script>globalThis.__pwned = 1</script>',
  '</textarea></pre></title><img src=x onerror="globalThis.__pwned = 2">',
  '<a href="javascript:globalThis.__pwned = 3" id="evil">click</a>',
  `<svg onload="globalThis.__pwned = 4"></svg>' " onmouseover="globalThis.__pwned = 5" x='`,
].join(' ');

describe.skipIf(!HAVE)('--format html in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-html-'));
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 170_000 });
    context.setDefaultTimeout(60_000);
  });
  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(html: string, name: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const file = path.join(dir, name);
    writeFileSync(file, html);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  it('a client+server+pooler lab case: three lanes, every incident placed, a panel on click, a screenshot', async () => {
    const json = JSON.parse(runCli(['--format', 'json', CASE]).stdout) as { incidents: Array<{ time?: string }>; problems: unknown[] };
    const r = runCli(['--format', 'html', CASE]);
    expect(r.code).toBe(1);
    const { page, requests, errors } = await open(r.stdout, 'lab.html');
    expect(await page.$$eval('svg.timeline g.lane', (gs) => gs.map((g) => g.getAttribute('data-lane')))).toEqual(['client', 'pooler', 'server']);
    const placed = await page.$$eval('svg.timeline [data-kind="incident"]', (xs) => xs.length);
    expect(placed).toBe(json.incidents.filter((i) => i.time).length);
    expect(placed).toBeGreaterThan(0);
    // The pooler lane holds the records of PgBouncer that the evidence cites.
    expect(await page.$$eval('svg.timeline [data-kind="fact"]', (xs) => xs.length)).toBeGreaterThan(0);
    expect(await page.$$eval('table.summary tr.problem-row', (xs) => xs.length)).toBe(json.problems.length);
    expect(await page.$$eval('section.problem', (xs) => xs.length)).toBe(json.problems.length);
    // Hover: the mark's title is its quoted line. Click: the panel with the record opens.
    expect(await page.$eval('svg.timeline a.mark title', (t) => t.textContent ?? '')).toMatch(/\S+:\d+/);
    const pop = page.locator('.pop').first();
    expect(await pop.isVisible()).toBe(false);
    await page.locator('svg.timeline a.mark').first().click();
    expect(await pop.isVisible()).toBe(true);
    expect(await pop.locator('pre').innerText()).not.toBe('');
    // Self-contained: nothing but the file itself was requested.
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
    const shot = path.join(tmpdir(), 'pgtriage-html-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  async function inert(html: string, name: string): Promise<void> {
    const { page, errors } = await open(html, name);
    // Touch everything a handler could hang on: hover and click each mark, open each fold.
    for (const mark of await page.locator('svg.timeline a.mark').all()) {
      await mark.hover();
      await mark.click();
    }
    for (const d of await page.locator('details > summary').all()) await d.click();
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    expect(await page.$$eval('img, #evil, textarea, [onerror], [onload], [onmouseover]', (s) => s.length)).toBe(0);
    expect(await page.$$eval('a[href^="javascript:"]', (s) => s.length)).toBe(0);
    // The markup is shown as the text it is, where a reader sees it.
    const visible = await page.locator('details.failure pre').first().innerText();
    expect(visible).toContain('<script>globalThis.__pwned = 1</script>');
    expect(visible).toContain('<a href="javascript:globalThis.__pwned = 3" id="evil">click</a>');
    expect(visible).toContain(`onmouseover="globalThis.__pwned = 5"`);
    expect(errors).toEqual([]);
    await page.close();
  }

  it('markup in a log line stays inert text: no script runs, no element is made', async () => {
    const log = `2024-05-01 02:00:05,000 ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly ${EVIL}\n`;
    const r = runCli(['--format', 'html', '-'], log);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Content-Security-Policy');
    await inert(r.stdout, 'evil.html');
    // Escaping alone holds: without the page's script-forbidding policy nothing runs either.
    const bare = r.stdout.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(bare).not.toContain('Content-Security-Policy');
    await inert(bare, 'evil-no-csp.html');
  });
});
