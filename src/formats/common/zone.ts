/**
 * Reading naive timestamps in a named time zone (`--tz Europe/Berlin`, `app.log@tz=...`). Python's
 * default `asctime`, logback's `%d` and most application layouts print local time without a zone;
 * read as UTC they stop lining up with a UTC server log. The offset comes from the IANA database
 * Node ships (Intl), so daylight saving time is handled per timestamp.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a plain message when the zone is not one the IANA database knows. */
export function checkZone(zone: string): void {
  try {
    formatter(zone);
  } catch {
    throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin or UTC, or an offset such as +02:00)`);
  }
}

const FIXED = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** The zone's offset from UTC at the instant `utcMs`, in ms. */
function offsetAt(zone: string, utcMs: number): number {
  const fixed = FIXED.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000;
  const parts = formatter(zone).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/** A naive timestamp (read as if UTC) re-read as local time in `zone`: the real UTC instant. */
export function naiveToUtc(naiveMs: number, zone: string): number {
  const first = naiveMs - offsetAt(zone, naiveMs);
  // Near a DST change the offset at the guessed instant can differ; one correction settles it.
  return naiveMs - offsetAt(zone, first);
}

/** Validates a zone name or fixed offset (`+02:00`, `UTC-5`). */
export function validZone(zone: string): void {
  if (FIXED.test(zone)) return;
  checkZone(zone);
}
