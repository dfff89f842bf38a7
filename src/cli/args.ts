import { parseArgs } from 'node:util';
import { parseDuration } from '../rules/duration.js';
import { reporterNames, reporters } from '../report/index.js';

export class UsageError extends Error {}

export interface CliOptions {
  command: 'triage' | 'rules';
  rulesAction?: string;
  inputs: string[];
  format: string;
  rules: string[];
  noDefaultRules: boolean;
  inputFormat: string;
  pgPrefix?: string;
  explain: boolean;
  redact: boolean;
  color?: boolean;
  skewMs: number;
  quietMs: number;
  maxLineChars?: number;
  strict: boolean;
  prefilter: boolean;
  perDirectory: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
}

const SPEC = {
  format: { type: 'string', short: 'f', default: 'text' },
  rules: { type: 'string', multiple: true, default: [] as string[] },
  'no-default-rules': { type: 'boolean', default: false },
  'input-format': { type: 'string', default: 'auto' },
  'pg-prefix': { type: 'string' },
  explain: { type: 'boolean', default: false },
  'no-redact': { type: 'boolean', default: false },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'clock-skew': { type: 'string', default: '5s' },
  'flush-after': { type: 'string', default: '2s' },
  'max-line-bytes': { type: 'string' },
  strict: { type: 'boolean', default: false },
  'no-prefilter': { type: 'boolean', default: false },
  'per-directory': { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const;

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: SPEC, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const v = parsed.values;
  let positionals = parsed.positionals;
  let command: CliOptions['command'] = 'triage';
  let rulesAction: string | undefined;
  if (positionals[0] === 'rules') {
    command = 'rules';
    rulesAction = positionals[1] ?? 'list';
    positionals = positionals.slice(2);
  }
  const skewMs = parseDuration(v['clock-skew']!);
  if (skewMs === undefined) throw new UsageError(`--clock-skew: not a duration: ${v['clock-skew']} (try 5s, 2m)`);
  const quietMs = parseDuration(v['flush-after']!);
  if (quietMs === undefined) throw new UsageError(`--flush-after: not a duration: ${v['flush-after']} (try 2s, 500ms)`);
  let maxLineChars: number | undefined;
  if (v['max-line-bytes'] !== undefined) {
    maxLineChars = Number(v['max-line-bytes']);
    if (!Number.isInteger(maxLineChars) || maxLineChars < 1024) throw new UsageError('--max-line-bytes must be an integer >= 1024');
  }
  return {
    command,
    rulesAction,
    inputs: positionals,
    format: v.format!,
    rules: v.rules as string[],
    noDefaultRules: v['no-default-rules']!,
    inputFormat: v['input-format']!,
    pgPrefix: v['pg-prefix'],
    explain: v.explain!,
    redact: !v['no-redact'],
    color: v['no-color'] ? false : v.color,
    skewMs,
    quietMs,
    maxLineChars,
    strict: v.strict!,
    prefilter: !v['no-prefilter'],
    perDirectory: v['per-directory']!,
    debug: v.debug!,
    help: v.help!,
    version: v.version!,
  };
}

export const HELP = `Usage: pgtriage [options] [paths | globs | -]
       pgtriage rules list|lint|test [--rules DIR] [--no-default-rules] [PATH...]
       pgtriage consume|publish [options]   (log bus on NATS JetStream; see --help of each)

Explains PostgreSQL SQLSTATE 08003 ("connection does not exist") and its family from logs:
SQLAlchemy/psycopg, dbt, Azure Data Factory, PostgreSQL server logs, PgBouncer, configuration.

Inputs: files, directories (walked recursively), quoted globs ('logs/**/*.log', '!**/old/**'),
'-' for stdin; with no input and a piped stdin, stdin is read. .gz is decompressed.

Options:
  -f, --format NAME        ${reporterNames.join(', ')} (default text)
${reporterNames.map((n) => `                             ${n}: ${reporters[n].description}`).join('\n')}
      --rules DIR          add a rule pack (repeatable); same ids override the defaults
      --no-default-rules   do not load the bundled pack
      --input-format NAME  auto (default) or one format id for every input
      --pg-prefix PREFIX   the server's log_line_prefix, e.g. '%m [%p] %q%u@%d '
      --explain            show every rule that fired and what it contributed
      --no-redact          do not mask passwords and tokens in quoted log lines
      --color, --no-color  force colour on or off (default: on a TTY, NO_COLOR respected)
      --per-directory      treat each directory as its own case (evidence never crosses directories)
      --clock-skew DUR     tolerated clock difference between sources (default 5s)
      --flush-after DUR    on a live stream, report pending incidents after this quiet time (default 2s)
      --max-line-bytes N   cut longer lines (default 1048576); cut lines are counted
      --strict             exit 2 when any input could not be read or nothing was parsed
      --no-prefilter       parse every line (slower; for checking the byte prefilter)
      --debug              print stack traces for internal errors
  -V, --version            print the version
  -h, --help               print this help

Exit codes: 0 analysed, no 08003-family incident; 1 incidents found;
            2 usage, input or rule error (a one-line message on stderr).
`;
