/**
 * Colour decision and tiny ANSI helpers. Pure: the caller passes the environment and
 * whether the output stream is a TTY (the CLI reads `process.env` and `stdout.isTTY`).
 *
 * No dependency: picocolors would do, but eight SGR pairs are shorter than an import,
 * and `util.styleText` on Node 20 neither takes an enabled flag nor checks the stream.
 */

export interface ColorEnv {
  /** Environment variables (only NO_COLOR, FORCE_COLOR and TERM are read). */
  env: Readonly<Record<string, string | undefined>>;
  /** Is the output stream a terminal? */
  isTTY: boolean;
  /** An explicit `--color` (true) / `--no-color` (false) from the command line wins over everything. */
  flag?: boolean;
}

/**
 * Decide whether to colour, in this order:
 * an explicit flag; `NO_COLOR` non-empty disables; `FORCE_COLOR` non-empty enables
 * (`FORCE_COLOR=0` or `false` disables, as in Node and chalk); `TERM=dumb` disables;
 * otherwise colour exactly when the stream is a TTY.
 */
export function shouldColor({ env, isTTY, flag }: ColorEnv): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export type Style = (text: string) => string;

export interface Palette {
  enabled: boolean;
  bold: Style;
  dim: Style;
  italic: Style;
  underline: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
  gray: Style;
}

const identity: Style = (text) => text;

function sgr(open: number, close: number): Style {
  const o = `\x1b[${open}m`;
  const c = `\x1b[${close}m`;
  // Re-open after an inner close of the same kind so nesting keeps the outer style.
  return (text) => o + text.split(c).join(c + o) + c;
}

/** Styles that add SGR codes when enabled and return the text unchanged otherwise. */
export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      bold: identity,
      dim: identity,
      italic: identity,
      underline: identity,
      red: identity,
      green: identity,
      yellow: identity,
      blue: identity,
      magenta: identity,
      cyan: identity,
      gray: identity,
    };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    italic: sgr(3, 23),
    underline: sgr(4, 24),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
    gray: sgr(90, 39),
  };
}
