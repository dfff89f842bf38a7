import { cpSync, mkdtempSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPackDir, readCachedPack, serializePack } from '../../src/input/rule-cache.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/input/rule-files.js';
import { RuleMatcher } from '../../src/rules/matcher.js';
import { eventsFromText } from '../../src/records/text-events.js';

describe('the compiled rule-pack cache', () => {
  it('gives the same pack as parsing the YAML, and is refused once a rule file changes', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pgtriage-cache-')), 'rules');
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const parsed = await loadRulePacks([dir], { cache: false });
    const relative = <T extends { pos: { file: string } }>(x: T): T => ({ ...x, pos: { ...x.pos, file: path.relative(dir, x.pos.file) } });
    const cacheFile = path.join(dir, '..', 'cache.json');
    const forCache = { causes: new Map([...parsed.causes].map(([k, c]) => [k, relative(c)])), rules: parsed.rules.map(relative), notices: [] };
    writeFileSync(cacheFile, JSON.stringify(serializePack(forCache, await hashPackDir(dir))));

    const cached = await readCachedPack(dir, cacheFile);
    expect(cached).toBeDefined();
    expect(cached!.rules.map((r) => [r.id, r.pos, r.literals, r.window])).toEqual(parsed.rules.map((r) => [r.id, r.pos, r.literals, r.window]));
    expect([...cached!.causes.keys()]).toEqual([...parsed.causes.keys()]);
    // the restored regexes match like the parsed ones
    const events = eventsFromText('LOG:  server process (PID 812) was terminated by signal 9: Killed\nERROR:  prepared statement "S_1" does not exist\n');
    const ids = (pack: typeof parsed) => events.map((e) => new RuleMatcher(pack).match(e).map((r) => r.id));
    expect(ids(cached!)).toEqual(ids(parsed));

    appendFileSync(path.join(dir, 'causes', 'unknown.yaml'), '# edited\n');
    expect(await readCachedPack(dir, cacheFile)).toBeUndefined();
  });
});
