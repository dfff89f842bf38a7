// Writes dist/man/pgtriage.1 (roff) from the README's CLI section: its option tables (which a
// test keeps equal to the option table in src/cli/args.ts, so --help, completion, the config
// schema and this page cannot drift), its config-file and completion paragraphs, and the
// synopsis and exit codes. Markdown is reduced to what roff needs: code, links, backslashes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { COMMANDS } from '../dist/cli/args.js';
import { VERSION } from '../dist/version.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const cli = readme.slice(readme.indexOf('## CLI reference'));
const cliEnd = cli.indexOf('\n## ', 3);
const section = cliEnd < 0 ? cli : cli.slice(0, cliEnd);

const esc = (s) => s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^\./gm, '\\&.').replace(/^'/gm, "\\&'");
/** Inline Markdown to roff: `code` bold, [text](link) as text, **strong** bold. */
const inline = (s) =>
  esc(s.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'))
    .replace(/`([^`]+)`/g, '\\fB$1\\fR')
    .replace(/\*\*([^*]+)\*\*/g, '\\fB$1\\fR');

/** The tables of a piece of the section: rows of `| `spelling` | meaning |` after a header row. */
function optionRows(text) {
  return [...text.matchAll(/^\| (`[^|]+`) \| (.+) \|$/gm)].map((m) => ({ usage: m[1].replace(/`/g, ''), meaning: m[2] }));
}

/** The prose paragraphs of a `### title` subsection (code blocks kept verbatim). */
function subsection(title) {
  const start = section.indexOf(`### ${title}`);
  if (start < 0) return [];
  const rest = section.slice(start + 4 + title.length);
  const end = rest.search(/\n### /);
  const body = (end < 0 ? rest : rest.slice(0, end)).trim();
  const out = [];
  for (const block of body.split(/\n{2,}/)) {
    if (block.startsWith('```')) out.push('.PP', '.nf', ...block.split('\n').slice(1, -1).map(esc), '.fi');
    else if (!block.startsWith('|')) out.push('.PP', inline(block.replace(/\n/g, ' ')));
  }
  return out;
}

// The first table is the analysis' options; the one after the log-bus paragraph is consume/publish's.
const busAt = section.indexOf('The [log bus]');
const configAt = section.indexOf('### Config files');
const main = optionRows(section.slice(0, busAt < 0 ? configAt : busAt));
const bus = busAt < 0 ? [] : optionRows(section.slice(busAt, configAt));
if (main.length < 20) throw new Error(`build-man: found only ${main.length} option rows in the README's CLI reference`);

const tp = (rows) => rows.flatMap((r) => ['.TP', `.B ${esc(r.usage)}`, inline(r.meaning)]);
const lines = [
  `.TH PGTRIAGE 1 "" "pgtriage ${VERSION}" "User Commands"`,
  '.SH NAME',
  'pgtriage \\- explain why a PostgreSQL connection vanished (SQLSTATE 08003 and its family)',
  '.SH SYNOPSIS',
  '.B pgtriage',
  '[\\fIoptions\\fR] [\\fIpaths\\fR | \\fIglobs\\fR | \\-]',
  '.br',
  ...Object.entries(COMMANDS).flatMap(([c, a]) => [`.B pgtriage ${c}`, a.length ? esc(a.join('|')) : '[\\fIoptions\\fR]', '.br']),
  '.SH DESCRIPTION',
  esc('pgtriage reads data-pipeline logs (SQLAlchemy/psycopg, dbt, Azure Data Factory) and the server side (PostgreSQL, PgBouncer, configuration), finds failures of the 08003 family and ranks their likely causes with the lines that support and contradict each.'),
  '.SH OPTIONS',
  ...tp(main),
  ...(bus.length ? ['.SH LOG BUS OPTIONS (CONSUME, PUBLISH)', inline(section.slice(busAt, section.indexOf('\n\n', busAt)).replace(/\n/g, ' ')), ...tp(bus)] : []),
  '.SH CONFIGURATION FILES',
  ...subsection('Config files'),
  '.SH SHELL COMPLETION',
  ...subsection('Shell completion'),
  '.SH EXIT STATUS',
  '.TP', '.B 0', 'analysed; no 08003\\-family incident',
  '.TP', '.B 1', 'at least one 08003\\-family incident found',
  '.TP', '.B 2', 'usage, input, rule or output error, or nothing could be analysed',
  '.SH SEE ALSO',
  esc('The README (formats, report, rules) and docs/rules.md, docs/report-format.md in the package.'),
];
mkdirSync(new URL('../dist/man/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/man/pgtriage.1', import.meta.url), lines.join('\n') + '\n');
