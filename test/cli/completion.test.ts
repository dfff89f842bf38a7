import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS, optionUsage } from '../../src/cli/args.js';
import { completionScript } from '../../src/cli/completion.js';
import { reporterNames } from '../../src/report/index.js';

/** Runs the bash completion function as bash would for the words typed so far. */
function complete(words: string[]): string[] {
  const script = `${completionScript('bash')}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_pgtriage; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: 'samples' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('completes option names, enum values and sub-commands in bash', () => {
    expect(complete(['pgtriage', '--form'])).toEqual(['--format']);
    expect(complete(['pgtriage', '--no-red'])).toEqual(['--no-redact']);
    expect(complete(['pgtriage', '-f', ''])).toEqual(reporterNames);
    expect(complete(['pgtriage', 'rules', 'l'])).toEqual(['list', 'lint']);
    expect(complete(['pgtriage', 'seed-example.l'])).toEqual(['seed-example.log']);
  });

  it('is valid zsh and fish text naming every option', () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const text = completionScript(shell);
      for (const o of OPTIONS) expect(text).toContain(shell === 'fish' ? `-l ${o.name}` : `--${o.name}[`);
    }
    const bashCheck = spawnSync('bash', ['-n'], { input: completionScript('bash'), encoding: 'utf8' });
    expect(bashCheck.status).toBe(0);
  });
});

describe('README CLI reference', () => {
  it('lists exactly the options of the table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## CLI reference'), readme.indexOf('### Config files'));
    const documented = new Set([...section.matchAll(/^\| `([^|]+)` \|/gm)].flatMap((m) => m[1].split(/`, `/).map((s) => s.replace(/`/g, ''))));
    const fromTable = OPTIONS.flatMap((o) => {
      const u = optionUsage(o).trim();
      return o.name === 'color' || o.name === 'progress' ? [`--${o.name}`, `--no-${o.name}`] : [u];
    });
    expect([...documented].sort()).toEqual(fromTable.sort());
  });

  it('is what the man page says, row by row and in its words (npm run build writes it)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## CLI reference'), readme.indexOf('### Config files'));
    const man = readFileSync('dist/man/pgtriage.1', 'utf8');
    const roff = (s: string) => s.replace(/\\/g, '\\e').replace(/-/g, '\\-');
    const rows = [...section.matchAll(/^\| (`[^|]+`) \| (.+) \|$/gm)];
    // (the test above keeps these rows equal to the option table)
    expect(rows.length).toBeGreaterThan(40);
    for (const [, usage, meaning] of rows) {
      expect(man).toContain(`.B ${roff(usage.replace(/`/g, ''))}\n`);
      // The first words of each meaning, as plain text (code in bold).
      const words = meaning.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`([^`]+)`/g, '\\fB$1\\fR').replace(/\*\*/g, '').slice(0, 30);
      expect(man).toContain(roff(words).replace(/\\efB/g, '\\fB').replace(/\\efR/g, '\\fR'));
    }
    expect(man).not.toContain('`');
    expect(man).toContain('.SH CONFIGURATION FILES');
  });
});
