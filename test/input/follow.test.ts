import { appendFileSync, copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Follower } from '../../src/input/follow.js';

// Each step calls poll() itself: what the follower reads depends on the files only, never on
// timers or watch events (those only decide when a poll happens in the CLI).
function setup(patterns: (dir: string) => string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-follow-'));
  const got = new Map<string, string>();
  const problems: string[] = [];
  const follower = new Follower(patterns(dir), {
    data(name, chunk) {
      got.set(name, (got.get(name) ?? '') + chunk.toString('utf8'));
      return true;
    },
    problem(name, message) {
      problems.push(`${path.basename(name)}: ${message}`);
    },
  }, { watch: false });
  followers.push(follower);
  return { dir, got, problems, follower, text: (name: string) => got.get(path.join(dir, name)) ?? '' };
}

const followers: Follower[] = [];
afterEach(() => {
  for (const f of followers.splice(0)) f.close();
});

describe('Follower', () => {
  it('reads a file from its start, then only what it gains', async () => {
    const t = setup((d) => [path.join(d, 'a.log')]);
    writeFileSync(path.join(t.dir, 'a.log'), 'one\n');
    expect(await t.follower.poll()).toBe(4);
    appendFileSync(path.join(t.dir, 'a.log'), 'two\nthr');
    expect(await t.follower.poll()).toBe(7);
    expect(await t.follower.poll()).toBe(0);
    appendFileSync(path.join(t.dir, 'a.log'), 'ee\n');
    await t.follower.poll();
    expect(t.text('a.log')).toBe('one\ntwo\nthree\n');
  });

  it('survives rotation by rename: the old file is read to its end, the new one from its start', async () => {
    const t = setup((d) => [path.join(d, 'a.log')]);
    const file = path.join(t.dir, 'a.log');
    writeFileSync(file, 'before\n');
    await t.follower.poll();
    // Written after the last poll, then rotated: still read, from the renamed file.
    appendFileSync(file, 'late line without newline');
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'after\n');
    await t.follower.poll();
    expect(t.text('a.log')).toBe('before\nlate line without newline\nafter\n');
  });

  it('waits for a path that is gone between rename and re-creation, and says so once', async () => {
    const t = setup((d) => [path.join(d, 'a.log')]);
    const file = path.join(t.dir, 'a.log');
    await t.follower.poll();
    await t.follower.poll();
    expect(t.problems).toEqual(['a.log: no such file yet; following the path until it appears']);
    writeFileSync(file, 'x\n');
    await t.follower.poll();
    expect(t.text('a.log')).toBe('x\n');
  });

  it('survives copytruncate: a file that shrank is read again from its start', async () => {
    const t = setup((d) => [path.join(d, 'a.log')]);
    const file = path.join(t.dir, 'a.log');
    writeFileSync(file, 'first generation\n');
    await t.follower.poll();
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    appendFileSync(file, 'new\n');
    await t.follower.poll();
    expect(t.text('a.log')).toBe('first generation\nnew\n');
  });

  it('notices a copytruncate refilled past the old size before the next poll', async () => {
    const t = setup((d) => [path.join(d, 'a.log')]);
    const file = path.join(t.dir, 'a.log');
    writeFileSync(file, '01:00 old line\n');
    await t.follower.poll();
    truncateSync(file, 0);
    appendFileSync(file, '02:00 new line\n02:01 more\n');
    await t.follower.poll();
    expect(t.text('a.log')).toBe('01:00 old line\n02:00 new line\n02:01 more\n');
  });

  it('keeps each file under its own name and picks up new files matching a glob', async () => {
    const t = setup((d) => [path.join(d, '*.log')]);
    writeFileSync(path.join(t.dir, 'a.log'), 'a1\n');
    writeFileSync(path.join(t.dir, 'skip.txt'), 'no\n');
    await t.follower.poll();
    writeFileSync(path.join(t.dir, 'b.log'), 'b1\n');
    appendFileSync(path.join(t.dir, 'a.log'), 'a2\n');
    await t.follower.poll();
    expect(t.follower.names.map((n) => path.basename(n))).toEqual(['a.log', 'b.log']);
    expect(t.text('a.log')).toBe('a1\na2\n');
    expect(t.text('b.log')).toBe('b1\n');
    expect(t.text('skip.txt')).toBe('');
  });

  it('stops following a file the sink refuses (binary)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgtriage-follow-'));
    const file = path.join(dir, 'a.log');
    writeFileSync(file, 'x\n');
    let calls = 0;
    const follower = new Follower([file], { data: () => (calls++, false), problem: () => {} }, { watch: false });
    followers.push(follower);
    await follower.poll();
    appendFileSync(file, 'more\n');
    expect(await follower.poll()).toBe(0);
    expect(calls).toBe(1);
  });
});
