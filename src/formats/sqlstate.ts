/**
 * SQLSTATE codes as they appear inside free text: `ERROR [08003]`, `SQLSTATE[08006]`,
 * `SQL state: 57P01`, `pgcode=25P03`, `08P01: message` (Npgsql), `(SQLSTATE 08003)`.
 */
const CODE_IN_TEXT =
  /(?:\[([0-9A-Z]{5})\]|SQL\s?STATE\s*[:=[(]?\s*['"]?([0-9A-Z]{5})|SQL state:\s*([0-9A-Z]{5})|pgcode\s*[:=]\s*['"]?([0-9A-Z]{5})|(?:^|[\s(])([0-9][0-9A-Z]{4}):\s)/gi;

/** A plausible SQLSTATE: two-character class of digits/uppercase, not an ordinary number or word. */
function plausible(code: string): boolean {
  const upper = code.toUpperCase();
  if (!/^[0-9][0-9A-Z][0-9A-Z]{3}$/.test(upper)) return false;
  // 5-digit numbers such as ports (54320) or pids look like codes; accept only known classes.
  return KNOWN_CLASSES.has(upper.slice(0, 2));
}

const KNOWN_CLASSES = new Set([
  '00', '01', '02', '03', '08', '09', '0A', '0B', '0F', '0L', '0P', '0Z', '20', '21', '22', '23', '24', '25', '26',
  '27', '28', '2B', '2D', '2F', '34', '38', '39', '3B', '3D', '3F', '40', '42', '44', '53', '54', '55', '57', '58',
  '72', 'F0', 'HV', 'P0', 'XX',
]);

export function sqlstatesIn(text: string): string[] {
  const found: string[] = [];
  CODE_IN_TEXT.lastIndex = 0;
  for (let m = CODE_IN_TEXT.exec(text); m; m = CODE_IN_TEXT.exec(text)) {
    const code = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').toUpperCase();
    if (code && plausible(code) && !found.includes(code)) found.push(code);
  }
  return found;
}
