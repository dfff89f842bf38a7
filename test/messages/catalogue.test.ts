/**
 * The message catalogue and the code agree: every id the code says is in the table, every
 * entry of the table is said somewhere, and every template takes exactly the values it names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES, type MessageId, say } from '../../src/messages/say.js';

const SRC = path.resolve(new URL('../../src', import.meta.url).pathname);
const CATALOGUE = path.join(SRC, 'messages/catalogue.ts');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const ids = Object.keys(MESSAGES) as MessageId[];
const families = [...new Set(ids.map((id) => id.split('.')[0]))];
/** A quoted string that looks like a message id of one of the catalogue's families. */
const idLiteral = new RegExp(`['"\`]((?:${families.join('|')})\\.[a-z0-9-]+)['"\`]`, 'g');
const said = new Map<string, string[]>();
for (const file of walk(SRC).filter((f) => f !== CATALOGUE)) {
  for (const m of readFileSync(file, 'utf8').matchAll(idLiteral)) {
    said.set(m[1], [...(said.get(m[1]) ?? []), path.relative(SRC, file)]);
  }
}

const placeholders = (id: MessageId) => [...new Set([...MESSAGES[id].matchAll(/\{(\w+)\}/g)].map((m) => m[1]))];

describe('message catalogue', () => {
  it('finds the ids the code says (the scan is not empty-handed)', () => {
    expect(said.get('warning.input-empty')).toEqual(['report/summary.ts']);
    expect(said.size).toBeGreaterThan(20);
  });

  it('every id said in src/ is in the catalogue', () => {
    expect([...said.keys()].filter((id) => !(id in MESSAGES))).toEqual([]);
  });

  it('every catalogue entry is said somewhere in src/', () => {
    expect(ids.filter((id) => !said.has(id))).toEqual([]);
  });

  it('ids are family.kebab-case and families are few', () => {
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(families.sort()).toEqual(['decide', 'detection', 'unknown', 'warning']);
  });

  it.each(ids)('%s: every placeholder is filled, values inserted as given', (id) => {
    const names = placeholders(id);
    const data = Object.fromEntries(names.map((n, i) => [n, `<v${i}>`]));
    const text = (say as (id: MessageId, data?: Record<string, string>) => { id: string; text: string })(id, data).text;
    expect(text).not.toMatch(/\{\w+\}|undefined/);
    for (let i = 0; i < names.length; i++) expect(text).toContain(`<v${i}>`);
    expect(text.trim()).toBe(text);
  });

  it('a value that looks like a placeholder is not filled again', () => {
    const s = say('warning.source-failed', { source: '{error}', error: 'EACCES' });
    expect([s.id, s.text, `${s}`]).toEqual(['warning.source-failed', '{error}: EACCES', '{error}: EACCES']);
  });
});
