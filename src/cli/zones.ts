import { validZone } from '../formats/common/zone.js';
import { UsageError } from './args.js';

/**
 * Inputs may name the time zone their naive timestamps were written in: `app.log@tz=Europe/Berlin`
 * (a directory or glob gives it to every file under it). The suffix is removed before the input
 * is expanded; `zoneOf` finds the zone of an expanded source by the input it came from.
 */
export function splitZones(inputs: readonly string[]): { inputs: string[]; zoneOf: (source: string) => string | undefined } {
  const rules: Array<{ base: string; zone: string }> = [];
  const plain = inputs.map((input) => {
    const m = /@tz=([^@]+)$/.exec(input);
    if (!m) return input;
    const zone = m[1];
    try {
      validZone(zone);
    } catch (error) {
      throw new UsageError(`${input}: ${(error as Error).message}`);
    }
    const path = input.slice(0, m.index);
    // A glob's files live under the part before its first pattern character.
    const base = path.replace(/[*?[{].*$/, '').replace(/\/+$/, '');
    rules.push({ base, zone });
    return path;
  });
  rules.sort((a, b) => b.base.length - a.base.length);
  return {
    inputs: plain,
    zoneOf: (source) => rules.find((r) => source === r.base || r.base === '' || source.startsWith(r.base + '/'))?.zone,
  };
}
