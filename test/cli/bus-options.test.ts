import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIONS, optionsFor } from '../../src/cli/args.js';
import { completionScript } from '../../src/cli/completion.js';
import { configSchema } from '../../src/cli/config-schema.js';
import { runCli } from './run-cli.js';

function completeBash(words: string[]): string[] {
  const script = `${completionScript('bash')}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_pgtriage; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('consume and publish take their options from the option table', () => {
  const consume = optionsFor('consume').map((o) => o.name);
  const publish = optionsFor('publish').map((o) => o.name);

  it('each command has its own set, shared ones once', () => {
    expect(consume).toEqual(expect.arrayContaining(['servers', 'partitions', 'partition-count', 'case-idle', 'rules', 'redact', 'ndjson', 'config', 'print-config', 'help']));
    expect(publish).toEqual(expect.arrayContaining(['servers', 'prefix', 'direct', 'key', 'end-marker', 'config', 'help']));
    expect(consume).not.toContain('follow');
    expect(publish).not.toContain('partitions');
    expect(optionsFor('triage').map((o) => o.name)).not.toContain('servers');
    expect(new Set(OPTIONS.map((o) => o.name)).size).toBe(OPTIONS.length);
  });

  it('answers a typo with did-you-mean among the command options, and names the owner of another command option', () => {
    const typo = runCli(['consume', '--partitons', '0-1', '--no-config']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('pgtriage: unknown option of pgtriage consume --partitons; did you mean --partitions?\n');
    const other = runCli(['consume', '--follow', '--no-config']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^pgtriage: --follow is not an option of pgtriage consume; it is one of pgtriage\n/);
    expect(runCli(['--servers', 'nats://x:4222', '--no-config', '-']).stderr).toMatch(/--servers is not an option of pgtriage; it is one of pgtriage consume, pgtriage publish/);
    expect(runCli(['publish', '--direct', 'zero', '--no-config']).stderr).toMatch(/--direct: not a whole number: "zero"/);
    expect(runCli(['consume', '--batch', '0', '--no-config']).stderr).toMatch(/--batch must be at least 1/);
    expect(runCli(['consume', '--case-idle', 'soon', '--no-config']).stderr).toMatch(/--case-idle: not a duration: "soon"/);
  });

  it('reads its settings from the config file, and --print-config says where each came from', () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'pgtriage-bus-config-')));
    writeFileSync(path.join(dir, 'pgtriage.config.yaml'), 'format: json\nservers: nats://a:4222,nats://b:4222\npartitionCount: 8\n');
    const printed = runCli(['consume', '--print-config', '--batch', '64'], undefined, {}, dir).stdout;
    expect(printed).toMatch(new RegExp(`^servers +"nats://a:4222,nats://b:4222" +${path.join(dir, 'pgtriage.config.yaml')}:2:10$`, 'm'));
    expect(printed).toMatch(/^partitionCount +"8" +.*:3:17$/m);
    expect(printed).toMatch(/^batch +"64" +command line$/m);
    expect(printed).not.toMatch(/^format /m);
    // The analysis ignores the bus settings and lists none of them.
    expect(runCli(['--print-config'], undefined, {}, dir).stdout).not.toMatch(/^servers /m);
    writeFileSync(path.join(dir, 'pgtriage.config.yaml'), 'partitionCont: 8\n');
    expect(runCli(['consume', '--print-config'], undefined, {}, dir).stderr).toMatch(/pgtriage\.config\.yaml:1:1: unknown setting "partitionCont"; did you mean "?partitionCount"?\?/);
    const schema = configSchema() as { properties: Record<string, { minimum?: number }> };
    expect(schema.properties.partitionCount.minimum).toBe(1);
    expect(schema.properties.width.minimum).toBe(40);
  });

  it('help, completion and the man page cover them', () => {
    const help = runCli(['publish', '--help']).stdout;
    for (const name of publish.filter((n) => n !== 'end-marker')) expect(help).toContain(`--${name}`);
    expect(help).toContain('--no-end-marker');
    expect(help).not.toContain('--partitions');
    expect(completeBash(['pgtriage', 'consume', '--partit'])).toEqual(['--partition-count', '--partitions']);
    expect(completeBash(['pgtriage', '--partit'])).toEqual([]);
    expect(completeBash(['pgtriage', 'publish', '--no-e'])).toEqual(['--no-end-marker']);
    const fish = completionScript('fish');
    expect(fish).toContain("complete -c pgtriage -n '__fish_seen_subcommand_from consume' -l partitions -r");
    expect(fish).toContain("complete -c pgtriage -n 'not __fish_seen_subcommand_from consume publish' -l follow");
    expect(completionScript('zsh')).toMatch(/if \[\[ \$\{words\[2\]\} == consume \]\]; then\n {4}_arguments -s \\\n(.*\n)*? {6}'--partitions\[/);
    const man = readFileSync('dist/man/pgtriage.1', 'utf8');
    expect(man).toContain('LOG BUS');
    expect(man).toContain('\\-\\-partition\\-count');
  });
});
