/**
 * The option table. Parsing, `--help`, did-you-mean, config-file keys and their JSON Schema,
 * `--print-config`, shell completion and the man page are all derived from OPTIONS below, so
 * adding an option is one entry here and nothing else can drift. (Over 300 lines because the
 * table and the parser that reads it belong together.)
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../schema/suggest.js';
import { parseDuration } from '../rules/duration.js';
import { reporterNames, reporters } from '../report/index.js';
import { formatIds } from '../formats/index.js';
import { validZone } from '../formats/common/zone.js';

export { didYouMean };

export class UsageError extends Error {}

/** The exit codes, a promise to scripts: no incident, incidents, a usage/input/rule/output error. */
export const EXIT_OK = 0;
export const EXIT_INCIDENTS = 1;
export const EXIT_ERROR = 2;

/** How a value is checked and converted, on the command line and in config files alike. */
export type ValueType = 'string' | 'duration' | 'integer' | 'time' | 'zone';

/** The commands with options of their own: the analysis (with `rules` and `completion`) and the log bus. */
export type Command = 'triage' | 'consume' | 'publish';
export const BUS_COMMANDS = ['consume', 'publish'] as const;

export interface OptionSpec {
  /** Long name without dashes: `format` is `--format`; the config key is its camelCase. */
  name: string;
  short?: string;
  /** `boolean` flags also accept `--no-NAME`; `list` options repeat. */
  kind: 'boolean' | 'string' | 'list';
  /** Placeholder shown in help: NAME, DIR, DUR. */
  arg?: string;
  value?: ValueType;
  /** Fixed choices, matched case-insensitively; a near miss gets a did-you-mean. */
  choices?: () => readonly string[];
  default?: boolean | string | string[];
  /** One line of help. For a flag whose default is on, it describes the `--no-` form. */
  help: string;
  /** Longer explanation for the man page and README (optional). */
  details?: string;
  /** Command-line only (no config key): help, version, config selection. */
  cliOnly?: boolean;
  /** What shells complete for the value. */
  complete?: 'file' | 'dir';
  /** The commands that take it (default: the analysis only). */
  commands?: readonly Command[];
  /** The least value of an `integer` option. */
  min?: number;
  /** Help groups options; the order of OPTIONS is the order shown. */
  group: 'output' | 'input' | 'rules' | 'analysis' | 'bus' | 'config' | 'general';
}

const durationHint = '(try 5s, 2m, 1h)';
const ALL: readonly Command[] = ['triage', ...BUS_COMMANDS];
const BUS: readonly Command[] = BUS_COMMANDS;

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'format', short: 'f', kind: 'string', arg: 'NAME', choices: () => reporterNames, default: 'text', group: 'output',
    help: `report format: ${reporterNames.join(', ')}`,
    details: reporterNames.map((n) => `${n}: ${reporters[n].description}`).join('; ') },
  { name: 'output-file', short: 'o', kind: 'string', arg: 'PATH', complete: 'file', group: 'output',
    help: 'write the report to PATH instead of stdout, whole or not at all',
    details: 'the report is written to a temporary file in the same directory, flushed to disk and renamed over PATH only when complete, so PATH holds either its previous content or the whole new report; a failed write prints one line and exits 2' },
  { name: 'explain', kind: 'boolean', default: false, group: 'output',
    help: 'show every rule that fired, what it contributed, and why walked files were skipped' },
  { name: 'quiet', short: 'q', kind: 'boolean', default: false, group: 'output',
    help: 'print only the verdict line and errors' },
  { name: 'redact', kind: 'boolean', default: true, group: 'output', commands: ['triage', 'consume'],
    help: 'do not mask passwords and tokens in quoted log lines (and in published incidents)' },
  { name: 'color', kind: 'boolean', group: 'output',
    help: 'force colour on (--no-color: off); default on a TTY, NO_COLOR/FORCE_COLOR honoured' },
  { name: 'progress', kind: 'boolean', group: 'output',
    help: 'force the progress line on stderr on (--no-progress: off); default on a TTY for large inputs' },
  { name: 'width', kind: 'string', arg: 'N', value: 'integer', min: 40, group: 'output',
    help: "fit the text report to N columns, at least 40 (default: the terminal's width, else 100)" },
  { name: 'max-chars', kind: 'string', arg: 'N', value: 'integer', min: 2000, group: 'output',
    help: 'keep the Markdown report within N characters, at least 2000 (default 65000: a GitHub comment)',
    details: 'when the report would be longer it degrades in steps: failure records cut to their deciding lines, then every other record to its first line, then the problems that still do not fit listed as one table of their incidents' },
  { name: 'input-format', kind: 'string', arg: 'NAME', choices: () => ['auto', ...formatIds()], default: 'auto', group: 'input',
    help: 'auto, or one format id for every input' },
  { name: 'pg-prefix', kind: 'string', arg: 'PREFIX', group: 'input',
    help: "the server's log_line_prefix, e.g. '%m [%p] %q%u@%d '" },
  { name: 'tz', kind: 'string', arg: 'ZONE', value: 'zone', group: 'input',
    help: 'the zone naive timestamps were written in (IANA name or +05:30); per input: PATH@tz=ZONE',
    details: 'Also the zone of naive --since/--until times. Without it, naive times are read as UTC.' },
  { name: 'zone-shift', kind: 'boolean', default: true, group: 'input',
    help: 'never guess a zone: files are not read again with a naive log at the offset that lines it up',
    details: 'By default, when a source without zones lines up with the zoned sources of its case only at a zone offset, files are read again at that offset and a warning says so.' },
  { name: 'since', kind: 'string', arg: 'TIME', value: 'time', group: 'input',
    help: 'ignore log lines before TIME (ISO time, or 2h/7d before the newest line seen)' },
  { name: 'until', kind: 'string', arg: 'TIME', value: 'time', group: 'input',
    help: 'ignore log lines after TIME (ISO time, or a duration before the newest line seen)' },
  { name: 'follow', kind: 'boolean', default: false, group: 'input',
    help: 'keep reading the files and globs given as they grow, through rotation, reporting incidents as they conclude; Ctrl-C ends with the summary' },
  { name: 'ignore', kind: 'boolean', default: true, group: 'input',
    help: 'walk directories without the default ignore list and .pgtriageignore files' },
  { name: 'follow-symlinks', kind: 'boolean', default: true, group: 'input',
    help: 'do not follow symbolic links inside walked directories' },
  { name: 'max-line-bytes', kind: 'string', arg: 'N', value: 'integer', min: 1024, group: 'input',
    help: 'cut longer lines (default 1048576); cut lines are counted' },
  { name: 'prefilter', kind: 'boolean', default: true, group: 'input',
    help: 'parse every line (slower; for checking the byte prefilter)' },
  { name: 'rules', kind: 'list', arg: 'DIR', default: [], complete: 'dir', group: 'rules', commands: ['triage', 'consume'],
    help: 'add a rule pack (repeatable); same ids override the defaults' },
  { name: 'default-rules', kind: 'boolean', default: true, group: 'rules',
    help: 'do not load the bundled rule pack' },
  { name: 'exclude-validator', kind: 'list', arg: 'NAME', default: [], group: 'rules',
    help: 'rules lint: skip this advice validator (repeatable; `rules validators` lists them)' },
  { name: 'per-directory', kind: 'boolean', default: false, group: 'analysis',
    help: 'treat each directory as its own case (evidence never crosses directories)' },
  { name: 'clock-skew', kind: 'string', arg: 'DUR', value: 'duration', default: '5s', group: 'analysis',
    help: 'tolerated clock difference between sources' },
  { name: 'flush-after', kind: 'string', arg: 'DUR', value: 'duration', default: '2s', group: 'analysis',
    help: 'on a live stream, report pending incidents after this quiet time' },
  { name: 'strict', kind: 'boolean', default: false, group: 'analysis',
    help: 'exit 2 when any input could not be read or nothing was parsed' },
  { name: 'servers', kind: 'string', arg: 'URLS', default: 'nats://127.0.0.1:4222', commands: BUS, group: 'bus',
    help: 'NATS servers, comma-separated' },
  { name: 'stream', kind: 'string', arg: 'NAME', default: 'PGTRIAGE_LOGS', commands: BUS, group: 'bus',
    help: 'the input stream, created when missing' },
  { name: 'root', kind: 'string', arg: 'SUBJECT', default: 'plogs', commands: BUS, group: 'bus',
    help: 'partitioned subjects are <root>.<partition>.<case>.<source>' },
  { name: 'replicas', kind: 'string', arg: 'N', value: 'integer', min: 1, default: '1', commands: BUS, group: 'bus',
    help: 'replicas of the streams the command creates; 3 on a cluster' },
  { name: 'partition-count', kind: 'string', arg: 'N', value: 'integer', min: 1, default: '4', commands: ['consume'], group: 'bus',
    help: 'consume: partitions of the stream' },
  { name: 'partitions', kind: 'string', arg: 'LIST', commands: ['consume'], group: 'bus',
    help: 'consume: the partitions this process owns, e.g. 0-3 or 1,3 (default all)' },
  { name: 'results', kind: 'string', arg: 'SUBJECT', default: 'pgtriage.results', commands: ['consume'], group: 'bus',
    help: 'consume: incidents go to <SUBJECT>.<case>' },
  { name: 'results-stream', kind: 'string', arg: 'NAME', default: 'PGTRIAGE_RESULTS', commands: ['consume'], group: 'bus',
    help: 'consume: the stream keeping results, created when missing' },
  { name: 'durable', kind: 'string', arg: 'NAME', default: 'pgtriage', commands: ['consume'], group: 'bus',
    help: 'consume: durable consumers are named <NAME>-p<partition>-g<generation>' },
  { name: 'batch', kind: 'string', arg: 'N', value: 'integer', min: 1, default: '256', commands: ['consume'], group: 'bus',
    help: 'consume: lines pulled per request per partition' },
  { name: 'case-idle', kind: 'string', arg: 'DUR', value: 'duration', default: '5s', commands: ['consume'], group: 'bus',
    help: 'consume: conclude a case after this quiet time' },
  { name: 'duplicate-window', kind: 'string', arg: 'DUR', value: 'duration', default: '10m', commands: ['consume'], group: 'bus',
    help: 'consume: duplicate window of a results stream the command creates' },
  { name: 'ndjson', kind: 'boolean', default: false, commands: ['consume'], group: 'bus',
    help: 'consume: also print each new result on stdout, one JSON line' },
  { name: 'prefix', kind: 'string', arg: 'SUBJECT', default: 'logs', commands: ['publish'], group: 'bus',
    help: 'publish: the subject prefix the server mapping partitions' },
  { name: 'direct', kind: 'string', arg: 'N', value: 'integer', min: 1, commands: ['publish'], group: 'bus',
    help: 'publish: straight to <root>.<partition> with N partitions (no mapping)' },
  { name: 'key', kind: 'string', arg: 'KEY', commands: ['publish'], group: 'bus',
    help: "publish: the case key of every input (default: each file's directory)" },
  { name: 'end-marker', kind: 'boolean', default: true, commands: ['publish'], group: 'bus',
    help: 'publish: do not mark the end of each case after its files' },
  { name: 'config', kind: 'string', arg: 'PATH', cliOnly: true, complete: 'file', group: 'config', commands: ALL,
    help: 'read settings from this file instead of searching upward from the working directory' },
  { name: 'no-config', kind: 'boolean', cliOnly: true, group: 'config', commands: ALL,
    help: 'read no config file' },
  { name: 'print-config', kind: 'boolean', cliOnly: true, group: 'config', commands: ALL,
    help: 'print the effective settings and where each came from, then exit' },
  { name: 'debug', kind: 'boolean', default: false, group: 'general',
    help: 'print stack traces for internal errors' },
  { name: 'version', short: 'V', kind: 'boolean', cliOnly: true, group: 'general', help: 'print the version' },
  { name: 'help', short: 'h', kind: 'boolean', cliOnly: true, group: 'general', commands: ALL, help: 'print this help' },
];

/** Sub-commands and their actions (the first positional argument). */
export const COMMANDS = {
  rules: ['list', 'lint', 'test', 'validators'],
  completion: ['bash', 'zsh', 'fish'],
  consume: [],
  publish: [],
} as const;

/** The options a command takes. */
export function optionsFor(command: Command): OptionSpec[] {
  return OPTIONS.filter((o) => (o.commands ?? ['triage']).includes(command));
}

export const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export const CONFIG_OPTIONS = OPTIONS.filter((o) => !o.cliOnly);

/** `--no-NAME` is offered for flags only (not for `--no-config`, which is already a negation). */
const negatable = (o: OptionSpec) => o.kind === 'boolean' && !o.cliOnly && !o.name.startsWith('no-');

/** Every spelling a command accepts, for did-you-mean. */
export function optionSpellings(command: Command = 'triage'): string[] {
  return optionsFor(command).flatMap((o) => [`--${o.name}`, ...(negatable(o) ? [`--no-${o.name}`] : [])]);
}

export type SettingValue = boolean | string | string[];

/** A value that has passed the option's checks (a duration is kept as written: `5s`). */
export type Settings = Record<string, SettingValue | undefined>;

/** Where each setting came from: `default`, `command line`, or `file:line:column`. */
export type Origins = Record<string, string>;

export interface ParsedArgs {
  command: 'triage' | 'rules' | 'completion' | 'consume' | 'publish';
  action?: string;
  inputs: string[];
  /** Values given on the command line, by config key. */
  values: Settings;
  /** `--config PATH`, or false for `--no-config`. */
  config?: string | false;
  printConfig: boolean;
  help: boolean;
  version: boolean;
}

/** The resolved options the CLI runs with. */
export interface CliOptions {
  command: 'triage' | 'rules' | 'completion';
  rulesAction?: string;
  action?: string;
  inputs: string[];
  format: string;
  outputFile?: string;
  rules: string[];
  noDefaultRules: boolean;
  excludeValidators: string[];
  inputFormat: string;
  pgPrefix?: string;
  tz?: string;
  explain: boolean;
  quiet: boolean;
  redact: boolean;
  color?: boolean;
  progress?: boolean;
  since?: string;
  until?: string;
  follow: boolean;
  ignore: boolean;
  followSymlinks: boolean;
  skewMs: number;
  quietMs: number;
  maxLineChars?: number;
  strict: boolean;
  prefilter: boolean;
  /** `--no-zone-shift`: never read the inputs again at a guessed zone offset. */
  zoneShift: boolean;
  perDirectory: boolean;
  /** `--width`: columns the text report is fitted to (unset: the terminal's). */
  width?: number;
  /** `--max-chars`: the Markdown report's budget in characters (unset: 65,000). */
  maxChars?: number;
  debug: boolean;
  help: boolean;
  version: boolean;
  printConfig: boolean;
  settings: Settings;
  origins: Origins;
}

const byName = new Map(OPTIONS.map((o) => [o.name, o]));
const byShort = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));

/** Checks one value against its option; returns the normalized value or throws a message. */
export function checkValue(o: OptionSpec, raw: unknown, label: string): SettingValue {
  if (o.kind === 'boolean') {
    if (typeof raw !== 'boolean') throw new UsageError(`${label}: expected true or false`);
    return raw;
  }
  if (o.kind === 'list') {
    const list = Array.isArray(raw) ? raw : [raw];
    if (!list.every((x) => typeof x === 'string')) throw new UsageError(`${label}: expected a list of strings`);
    return list as string[];
  }
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string') throw new UsageError(`${label}: expected a string`);
  if (o.choices) {
    const choices = o.choices();
    const hit = choices.find((c) => c.toLowerCase() === text.toLowerCase());
    if (!hit) throw new UsageError(`${label}: unknown value "${text}" (choose ${choices.join(', ')})${didYouMean(text, choices)}`);
    return hit;
  }
  switch (o.value) {
    case 'duration':
      if (parseDuration(text) === undefined) throw new UsageError(`${label}: not a duration: "${text}" ${durationHint}`);
      break;
    case 'integer':
      if (!/^\d+$/.test(text)) throw new UsageError(`${label}: not a whole number: "${text}"`);
      if (o.min !== undefined && Number(text) < o.min) throw new UsageError(`${label} must be at least ${o.min}`);
      break;
    case 'time':
      if (!isTimeSpec(text)) throw new UsageError(`${label}: not an ISO time or a duration: "${text}" (try 2026-11-25T02:00, 2h, 7d)`);
      break;
    case 'zone':
      try {
        validZone(text);
      } catch (error) {
        throw new UsageError(`${label}: ${(error as Error).message}`);
      }
      break;
  }
  return text;
}

/** An ISO 8601 date/time, or a duration counted back from the newest line seen. */
export function isTimeSpec(text: string): boolean {
  if (parseDuration(text) !== undefined && /[a-z]$/i.test(text.trim())) return true;
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text.trim()) && !Number.isNaN(Date.parse(text.trim().replace(' ', 'T')));
}

/** Reads argv into command, inputs and the values given; checks every value against the table. */
export function parseArgv(argv: string[]): ParsedArgs {
  // The log-bus commands come first and take their own options from the same table.
  const bus = BUS_COMMANDS.find((c) => c === argv[0]);
  if (bus) argv = argv.slice(1);
  const kind: Command = bus ?? 'triage';
  const accepted = new Set(optionsFor(kind));
  const spec = Object.fromEntries(
    OPTIONS.map((o) => [o.name, { type: o.kind === 'boolean' ? ('boolean' as const) : ('string' as const), ...(o.short ? { short: o.short } : {}), multiple: o.kind === 'list' }]),
  );
  const { tokens } = parseArgs({ args: argv, options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Settings = {};
  const cli: Record<string, SettingValue> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    let o = byName.get(t.name) ?? (t.rawName.length === 2 ? byShort.get(t.name) : undefined);
    let value: SettingValue | undefined;
    if (!o && t.name.startsWith('no-')) {
      const base = byName.get(t.name.slice(3));
      if (base && negatable(base)) {
        if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
        o = base;
        value = false;
      }
    }
    const where = bus ? ` of pgtriage ${bus}` : '';
    if (!o) throw new UsageError(`unknown option${where} ${t.rawName}${didYouMean(t.rawName.split('=')[0], optionSpellings(kind))}`);
    if (!accepted.has(o)) {
      const owners = (o.commands ?? ['triage']).map((c) => (c === 'triage' ? 'pgtriage' : `pgtriage ${c}`));
      throw new UsageError(`${t.rawName} is not an option${where || ' of pgtriage'}; it is one of ${owners.join(', ')}`);
    }
    const label = `--${o.name}`;
    if (o.kind === 'boolean') {
      if (value === undefined) {
        if (t.value !== undefined) throw new UsageError(`${label} takes no value`);
        value = true;
      }
    } else {
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')) {
        throw new UsageError(`${label} needs a value${o.arg ? ` (${o.arg})` : ''}`);
      }
      value = checkValue(o, t.value, label);
    }
    if (o.kind === 'list') {
      const prev = (cli[o.name] as string[] | undefined) ?? [];
      cli[o.name] = [...prev, ...(value as string[])];
    } else {
      cli[o.name] = value;
    }
  }
  for (const o of accepted) if (!o.cliOnly && cli[o.name] !== undefined) values[camel(o.name)] = cli[o.name];

  let command: ParsedArgs['command'] = bus ?? 'triage';
  let action: string | undefined;
  let inputs = positionals;
  const first = positionals[0];
  if (bus === 'consume' && positionals.length > 0) throw new UsageError(`pgtriage consume reads the log bus and takes no inputs (got "${positionals[0]}")`);
  if (!bus && (first === 'rules' || first === 'completion')) {
    command = first;
    const actions: readonly string[] = COMMANDS[first];
    action = positionals[1] ?? (first === 'rules' ? 'list' : undefined);
    if (action === undefined) throw new UsageError(`completion needs a shell: ${actions.join(', ')}`);
    if (!actions.includes(action)) throw new UsageError(`unknown ${first} action "${action}" (choose ${actions.join(', ')})${didYouMean(action, actions)}`);
    inputs = positionals.slice(2);
  }
  if (cli['config'] !== undefined && cli['no-config']) throw new UsageError('--config and --no-config exclude each other');
  return {
    command,
    action,
    inputs,
    values,
    config: cli['no-config'] ? false : (cli['config'] as string | undefined),
    printConfig: cli['print-config'] === true,
    help: cli['help'] === true,
    version: cli['version'] === true,
  };
}

/** The option set a parsed command line takes (`rules` and `completion` take the analysis'). */
export function commandOf(parsed: ParsedArgs): Command {
  return parsed.command === 'consume' || parsed.command === 'publish' ? parsed.command : 'triage';
}

/**
 * Merges defaults, a config file's values and the command line (in that order of strength)
 * into the settings of the command, remembering where each came from.
 */
export function resolveSettings(parsed: ParsedArgs, config?: { values: Settings; origins: Origins }): { settings: Settings; origins: Origins } {
  const settings: Settings = {};
  const origins: Origins = {};
  for (const o of optionsFor(commandOf(parsed))) {
    if (o.cliOnly) continue;
    const key = camel(o.name);
    if (parsed.values[key] !== undefined) {
      settings[key] = parsed.values[key];
      origins[key] = 'command line';
    } else if (config?.values[key] !== undefined) {
      settings[key] = config.values[key];
      origins[key] = config.origins[key];
    } else {
      settings[key] = o.default;
      origins[key] = 'default';
    }
  }
  return { settings, origins };
}

/** The options the analysis (and `rules`, `completion`) runs with: settings merged and typed. */
export function resolveOptions(parsed: ParsedArgs, config?: { values: Settings; origins: Origins }): CliOptions {
  const { settings, origins } = resolveSettings(parsed, config);
  const s = settings as Record<string, never>;
  const maxLine = s.maxLineBytes as string | undefined;
  const maxLineChars = maxLine === undefined ? undefined : Number(maxLine);
  const width = s.width === undefined ? undefined : Number(s.width);
  const maxChars = s.maxChars === undefined ? undefined : Number(s.maxChars);
  return {
    command: parsed.command as CliOptions['command'],
    rulesAction: parsed.command === 'rules' ? parsed.action : undefined,
    action: parsed.action,
    inputs: parsed.inputs,
    format: s.format,
    outputFile: s.outputFile,
    rules: s.rules,
    noDefaultRules: !s.defaultRules,
    excludeValidators: s.excludeValidator,
    inputFormat: s.inputFormat,
    pgPrefix: s.pgPrefix,
    tz: s.tz,
    explain: s.explain,
    quiet: s.quiet,
    redact: s.redact,
    color: s.color,
    progress: s.progress,
    since: s.since,
    until: s.until,
    follow: s.follow,
    ignore: s.ignore,
    followSymlinks: s.followSymlinks,
    skewMs: parseDuration(s.clockSkew)!,
    quietMs: parseDuration(s.flushAfter)!,
    maxLineChars,
    strict: s.strict,
    prefilter: s.prefilter,
    zoneShift: s.zoneShift,
    perDirectory: s.perDirectory,
    ...(width !== undefined ? { width } : {}),
    ...(maxChars !== undefined ? { maxChars } : {}),
    debug: s.debug,
    help: parsed.help,
    version: parsed.version,
    printConfig: parsed.printConfig,
    settings,
    origins,
  };
}

/** Command line only, no config file: what tests and the library-free paths use. */
export function parseCli(argv: string[]): CliOptions {
  return resolveOptions(parseArgv(argv));
}

/** How an option is written in help: `-f, --format NAME`, `--no-redact`. */
export function optionUsage(o: OptionSpec): string {
  const long = o.kind === 'boolean' && o.default === true ? `--no-${o.name}` : `--${o.name}`;
  return `${o.short ? `-${o.short}, ` : '    '}${long}${o.arg ? ` ${o.arg}` : ''}`;
}

export function optionHelp(o: OptionSpec): string {
  const d = o.kind !== 'boolean' && o.default !== undefined && !(Array.isArray(o.default) && o.default.length === 0) ? ` (default ${o.default})` : '';
  return `${o.help}${d}`;
}

const GROUP_TITLES: Record<OptionSpec['group'], string> = {
  output: 'Output',
  input: 'Input',
  rules: 'Rules',
  analysis: 'Analysis',
  bus: 'Log bus',
  config: 'Configuration',
  general: 'General',
};

/** The options of a command, grouped as help shows them. */
export function optionsHelp(command: Command): string {
  const groups = Object.keys(GROUP_TITLES) as OptionSpec['group'][];
  const options = optionsFor(command);
  const width = Math.max(26, ...options.map((o) => optionUsage(o).length + 1));
  return groups
    .map((g) => {
      const lines = options.filter((o) => o.group === g).map((o) => `  ${optionUsage(o).padEnd(width)} ${optionHelp(o)}`);
      return lines.length ? `${GROUP_TITLES[g]}:\n${lines.join('\n')}` : '';
    })
    .filter(Boolean)
    .join('\n\n');
}

export function helpText(): string {
  const body = optionsHelp('triage');
  return `Usage: pgtriage [options] [paths | globs | -]
       pgtriage rules list|lint|test|validators [--rules DIR] [--no-default-rules] [PATH...]
       pgtriage completion bash|zsh|fish
       pgtriage consume|publish [options]   (log bus on NATS JetStream; see --help of each)

Explains PostgreSQL SQLSTATE 08003 ("connection does not exist") and its family from logs:
SQLAlchemy/psycopg, dbt, Azure Data Factory, PostgreSQL server logs, PgBouncer, configuration.

Inputs: files, directories (walked recursively, skipping what the ignore rules say), quoted
globs ('logs/**/*.log', '!**/old/**'), '-' for stdin; with no input and a piped stdin, stdin
is read. .gz is decompressed. Every flag has a --no- form, to override a config file.

${body}

Config: pgtriage.config.yaml/.yml/.json or a "pgtriage" key in package.json, found upward from
the working directory; keys are the option names in camelCase (clockSkew: 10s).

Exit codes: 0 analysed, no 08003-family incident; 1 incidents found;
            2 usage, input, rule or output error (a one-line message on stderr).
`;
}
