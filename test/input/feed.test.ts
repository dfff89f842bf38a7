import { getEventListeners } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { feedSources } from '../../src/input/feed.js';
import { streamSource } from '../../src/input/sources.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../../src/input/rule-files.js';
import { TriageSession } from '../../src/session.js';

describe('feeding a live stream', () => {
  it('leaves no abort listener behind per chunk (each one would keep its chunk alive)', async () => {
    const session = new TriageSession(await loadRulePacks([DEFAULT_RULES_DIR]));
    const abort = new AbortController();
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.from(`2024-05-01 02:00:${String(i % 60).padStart(2, '0')},000 INFO etl: line ${i}\n`));
    await feedSources(session, [streamSource('<stdin>', () => Readable.from(chunks))], { quietMs: 60_000, signal: abort.signal });
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    expect(session.finish().stats.lines).toBe(200);
  });
});
