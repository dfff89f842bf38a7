/**
 * Rule packs on disk with symbolic links: a link is followed once, a loop (`ln -s .. up`) is
 * one notice instead of 40 duplicate-id errors, a file reached twice is read once.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulePacks } from '../../src/input/rule-files.js';
import { tempDir } from '../hostile/helpers.js';

const RULE = (id: string) =>
  ['rules:', `  - id: ${id}`, '    description: a test rule', `    match: { contains: "${id} happened" }`, '    incident: { sqlstate: "08003", kind: connection-lost }', ''].join('\n');

function pack(): string {
  const dir = path.join(tempDir('packlinks'), 'pack');
  mkdirSync(path.join(dir, 'detect'), { recursive: true });
  writeFileSync(path.join(dir, 'detect', 'one.yaml'), RULE('link-one'));
  return dir;
}

describe('rule pack directories with symbolic links', () => {
  it('a link back to the parent is one notice, and the pack loads once', async () => {
    const dir = pack();
    symlinkSync('..', path.join(dir, 'detect', 'up'));
    const loaded = await loadRulePacks([dir]);
    expect(loaded.rules.map((r) => r.id)).toEqual(['link-one']);
    expect(loaded.notices.map(String)).toEqual([`rule pack ${dir}: detect/up leads back into the pack (a symbolic link loop); not followed`]);
  });

  it('a linked directory outside the pack is followed, and a file linked twice is read once', async () => {
    const dir = pack();
    const shared = path.join(path.dirname(dir), 'shared');
    mkdirSync(shared);
    writeFileSync(path.join(shared, 'two.yaml'), RULE('link-two'));
    symlinkSync(shared, path.join(dir, 'shared'));
    symlinkSync(path.join(shared, 'two.yaml'), path.join(dir, 'detect', 'two-again.yaml'));
    const loaded = await loadRulePacks([dir]);
    expect(loaded.rules.map((r) => r.id).sort()).toEqual(['link-one', 'link-two']);
    expect(loaded.notices.map(String)).toEqual([]);
  });

  it('a broken link is a notice, not an error', async () => {
    const dir = pack();
    symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'detect', 'gone.yaml'));
    const loaded = await loadRulePacks([dir]);
    expect(loaded.rules.map((r) => r.id)).toEqual(['link-one']);
    expect(loaded.notices.map(String)).toEqual([`rule pack ${dir}: detect/gone.yaml is a broken symbolic link; skipped`]);
  });
});
