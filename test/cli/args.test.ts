import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS, camel, didYouMean, helpText, optionsFor, parseArgv, parseCli, resolveOptions, UsageError } from '../../src/cli/args.js';
import { configSchema } from '../../src/cli/config-schema.js';
import { reporterNames } from '../../src/report/index.js';

const usage = (argv: string[]) => {
  try {
    parseCli(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('the option table', () => {
  it('suggests the nearest option for a typo, on one line', () => {
    expect(usage(['--formt', 'json'])).toBe('unknown option --formt; did you mean --format?');
    expect(usage(['--no-redcat'])).toBe('unknown option --no-redcat; did you mean --no-redact?');
    expect(usage(['--per-dir'])).toMatch(/did you mean --per-directory\?$/);
    // Nothing close: no suggestion rather than a random one.
    expect(usage(['--zzzzzzzzzz'])).toBe('unknown option --zzzzzzzzzz');
  });

  it('accepts enum values in any case and suggests the nearest one otherwise', () => {
    expect(parseCli(['-f', 'JSON']).format).toBe('json');
    expect(parseCli(['--format=Markdown']).format).toBe('markdown');
    expect(usage(['-f', 'jsn'])).toBe(`--format: unknown value "jsn" (choose ${reporterNames.join(', ')}); did you mean json?`);
    expect(usage(['--input-format', 'pg-stderrr'])).toMatch(/did you mean pg-stderr\?$/);
  });

  it('gives every flag a --no- form, so a config file can be overridden', () => {
    expect(parseCli([]).redact).toBe(true);
    expect(parseCli(['--no-redact']).redact).toBe(false);
    expect(parseCli(['--no-explain']).explain).toBe(false);
    expect(parseCli(['--no-default-rules']).noDefaultRules).toBe(true);
    expect(usage(['--no-format'])).toMatch(/^unknown option --no-format/);
    expect(usage(['--explain=yes'])).toBe('--explain takes no value');
  });

  it('checks values the same way for every option of a type', () => {
    expect(usage(['--clock-skew', '5 parsecs'])).toMatch(/^--clock-skew: not a duration: "5 parsecs"/);
    expect(usage(['--max-line-bytes', 'lots'])).toMatch(/^--max-line-bytes: not a whole number/);
    expect(usage(['--format'])).toBe('--format needs a value (NAME)');
    expect(usage(['--format', '--explain'])).toBe('--format needs a value (NAME)');
    expect(parseCli(['--clock-skew', '10s']).skewMs).toBe(10_000);
  });

  it('repeats list options and keeps positionals in order', () => {
    const o = parseCli(['--rules', 'a', 'x.log', '--rules=b', '-', 'y.log']);
    expect(o.rules).toEqual(['a', 'b']);
    expect(o.inputs).toEqual(['x.log', '-', 'y.log']);
    expect(parseCli(['--', '--weird-name.log']).inputs).toEqual(['--weird-name.log']);
  });

  it('reads sub-commands and suggests actions', () => {
    expect(parseCli(['rules', 'test', 'pack']).rulesAction).toBe('test');
    expect(parseCli(['completion', 'fish']).action).toBe('fish');
    expect(usage(['rules', 'lnt'])).toMatch(/did you mean lint\?$/);
    expect(usage(['completion'])).toMatch(/needs a shell/);
  });

  it('lets the command line win over a config value and says where each came from', () => {
    const config = { values: { format: 'json', explain: true }, origins: { format: 'c.yaml:1:9', explain: 'c.yaml:2:10' } };
    const o = resolveOptions(parseArgv(['--no-explain']), config);
    expect(o.format).toBe('json');
    expect(o.explain).toBe(false);
    expect(o.origins).toMatchObject({ format: 'c.yaml:1:9', explain: 'command line', strict: 'default' });
  });

  it('lists every option of the analysis in --help, and every log-bus option in its command help', async () => {
    const { busHelp } = await import('../../src/bus/cli.js');
    const spelling = (o: (typeof OPTIONS)[number]) => (o.kind === 'boolean' && o.default === true ? `--no-${o.name}` : `--${o.name}`);
    const help = helpText();
    for (const o of optionsFor('triage')) expect(help).toContain(spelling(o));
    for (const c of ['consume', 'publish'] as const) {
      const text = busHelp(c);
      for (const o of optionsFor(c)) expect(text).toContain(spelling(o));
    }
    // Every option of the table belongs to some command's help.
    expect(OPTIONS.filter((o) => !['triage', 'consume', 'publish'].some((c) => optionsFor(c as 'triage').includes(o)))).toEqual([]);
  });

  it('ships the config schema the table derives', () => {
    const shipped = JSON.parse(readFileSync('schema/config.schema.json', 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(configSchema())));
    expect(Object.keys(shipped.properties)).toEqual(OPTIONS.filter((o) => !o.cliOnly).map((o) => camel(o.name)));
  });

  it('suggests only plausible typos', () => {
    expect(didYouMean('jsno', ['json', 'text'])).toBe('; did you mean json?');
    expect(didYouMean('xml', ['json', 'text', 'markdown'])).toBe('');
  });
});
