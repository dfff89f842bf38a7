import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseDuration } from '../rules/duration.js';
import { leadingTimestamp } from '../formats/generic/generic.js';
import { naiveToUtc } from '../formats/common/zone.js';
import type { TimeWindow } from '../records/window.js';
import { UsageError } from './args.js';

const TAIL_BYTES = 64 * 1024;

/**
 * Turns `--since`/`--until` into a session window. An ISO time without a zone is read in `tz`
 * (`--tz`), else as UTC, the same way a log timestamp without one is read. A duration counts back from the newest log line: for
 * regular files that is known before reading (the last dated line in each file's last 64 KiB),
 * so `--since 2h` means the last two hours of the logs, not of the wall clock. With stdin or a
 * pipe among the inputs it is the newest line seen so far, so on a live stream `--since 2h`
 * keeps a sliding two hours; `--until DURATION` would then refuse every new line, so it is
 * refused.
 */
export function resolveWindow(
  since: string | undefined,
  until: string | undefined,
  files: string[],
  streaming: boolean,
  zones: { tz?: string; zoneOf?: (file: string) => string | undefined } = {},
): TimeWindow | undefined {
  if (since === undefined && until === undefined) return undefined;
  const w: TimeWindow = {};
  const bound = (text: string, name: 'since' | 'until') => {
    const back = /[a-z]\s*$/i.test(text) ? parseDuration(text) : undefined;
    if (back !== undefined) {
      if (name === 'since') w.sinceBack = back;
      else w.untilBack = back;
      return;
    }
    const iso = text.trim().replace(' ', 'T');
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso);
    const zoned = hasZone ? iso : /T/.test(iso) ? `${iso}Z` : `${iso}T00:00:00Z`;
    const ms = Date.parse(zoned);
    if (Number.isNaN(ms)) throw new UsageError(`--${name}: not an ISO time or a duration: "${text}"`);
    w[name] = hasZone || !zones.tz ? ms : naiveToUtc(ms, zones.tz);
  };
  if (since !== undefined) bound(since, 'since');
  if (until !== undefined) bound(until, 'until');
  if (w.since !== undefined && w.until !== undefined && w.since > w.until) throw new UsageError('--since is after --until');
  if (w.sinceBack !== undefined || w.untilBack !== undefined) {
    if (streaming) {
      if (w.untilBack !== undefined) throw new UsageError('--until with a duration needs files (on a stream every new line is the newest); give an ISO time');
    } else {
      const newest = Math.max(...files.map((f) => newestInTail(f, zones.zoneOf?.(f) ?? zones.tz)).filter((t): t is number => t !== undefined));
      if (Number.isFinite(newest)) w.newest = newest;
    }
  }
  return w;
}

/** The latest leading timestamp among the last lines of a regular file, if any. */
function newestInTail(file: string, zone: string | undefined): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const len = Math.min(TAIL_BYTES, st.size);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, st.size - len);
    if (buf[0] === 0x1f && buf[1] === 0x8b && len === st.size) return undefined;
    let newest: number | undefined;
    for (const line of buf.toString('utf8').split('\n')) {
      const lead = leadingTimestamp(line);
      const t = lead && zone && lead.naive ? naiveToUtc(lead.ts, zone) : lead?.ts;
      if (t !== undefined && (newest === undefined || t > newest)) newest = t;
    }
    return newest;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
