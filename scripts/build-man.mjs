// Writes dist/man/pgtriage.1 (roff) from the option table, so the man page lists exactly the
// options --help and the README list (a test checks the README against the same table).
import { mkdirSync, writeFileSync } from 'node:fs';
import { OPTIONS, COMMANDS, optionUsage, optionHelp } from '../dist/cli/args.js';
import { VERSION } from '../dist/version.js';

const esc = (s) => s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^\./gm, '\\&.').replace(/^'/gm, "\\&'");
const groups = { output: 'OUTPUT', input: 'INPUT', rules: 'RULES', analysis: 'ANALYSIS', bus: 'LOG BUS (CONSUME, PUBLISH)', config: 'CONFIGURATION', general: 'GENERAL' };
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
  '.PP',
  esc('Directories are walked recursively, skipping version control, dependencies, build output, source code and documentation and whatever .pgtriageignore files list; every skip is counted. Settings may also come from pgtriage.config.yaml/.yml/.json or a "pgtriage" key in package.json, found upward from the working directory; keys are the option names in camelCase. Every flag has a --no- form.'),
];
for (const [g, title] of Object.entries(groups)) {
  lines.push(`.SH ${title} OPTIONS`);
  for (const o of OPTIONS.filter((x) => x.group === g)) {
    // Which commands take it, where that is not the analysis alone.
    const on = o.commands && !(o.commands.length === 1 && o.commands[0] === 'triage') ? ` (${o.commands.map((c) => (c === 'triage' ? 'analysis' : c)).join(', ')})` : '';
    lines.push('.TP', `.B ${esc(optionUsage(o).trim())}`, esc(optionHelp(o) + on));
    if (o.details) lines.push('.br', esc(o.details));
  }
}
lines.push(
  '.SH EXIT STATUS',
  '.TP', '.B 0', 'analysed; no 08003\\-family incident',
  '.TP', '.B 1', 'at least one 08003\\-family incident found',
  '.TP', '.B 2', 'usage, input, rule or output error, or nothing could be analysed',
  '.SH SEE ALSO',
  esc('The README (CLI reference, formats, exit codes) and docs/rules.md, docs/report-format.md in the package.'),
);
mkdirSync(new URL('../dist/man/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/man/pgtriage.1', import.meta.url), lines.join('\n') + '\n');
