/**
 * What literal text every match of a regex must contain, read from the pattern's source: the
 * byte prefilter searches for it before any regex runs. Its own module because it is a small
 * reader of regex syntax (groups, classes, escapes, quantifiers), apart from the walk over rule
 * conditions in literals.ts.
 */
import type { Lit } from './literals.js';

/** Literals shorter than this filter too little to be worth it. */
const MIN_LITERAL = 3;
/** Alternatives a regex or a conjunction may expand to before the expansion stops paying. */
export const MAX_EXPANSION = 16;

/**
 * Literal text every match of a regex must contain: for each top-level alternative, the longest
 * run of plain characters that is not optional. Conservative: anything it does not understand
 * ends the run, and a pattern it cannot read yields no literal (the rule is then unfiltered).
 */
export function regexLiterals(source: string): string[] | undefined {
  let pattern = source;
  if (pattern.startsWith('(?i)')) pattern = pattern.slice(4);
  if (/^\(\?[a-zA-Z]/.test(pattern)) return undefined;
  const branches = splitTopLevel(pattern);
  if (!branches) return undefined;
  const out: string[] = [];
  for (const branch of branches) {
    const best = longestRun(branch);
    if (!best || best.length < MIN_LITERAL) return undefined;
    out.push(best.toLowerCase());
  }
  return out;
}

/** Splits on `|` outside groups and classes; undefined on unbalanced input. */
function splitTopLevel(p: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(p.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0 || inClass) return undefined;
  parts.push(p.slice(start));
  return parts;
}

const ESCAPED_LITERAL = /[.\\/\-()[\]{}*+?|^$ "':,;=<>!@#%&~`]/;

/** The longest run of certain literal characters in a branch (first of equals), reading it as `tokenize` does. */
function longestRun(branch: string): string | undefined {
  const tokens = tokenize(branch);
  if (!tokens) return undefined;
  let best = '';
  let run = '';
  for (const t of tokens) {
    if ('lit' in t) {
      run += t.lit;
      continue;
    }
    // A break or a literal alternation: either may differ between matches, so the run ends.
    if (run.length > best.length) best = run;
    run = '';
  }
  return run.length > best.length ? run : best;
}

/** Given the index of an atom's last character, the index of the last character of its quantifier (if any). */
function skipQuantifier(p: string, atomEnd: number): number {
  const q = p[atomEnd + 1];
  if (q === '?' || q === '*' || q === '+') return atomEnd + 1 + (p[atomEnd + 2] === '?' ? 1 : 0);
  if (q === '{') {
    const close = p.indexOf('}', atomEnd + 1);
    return close < 0 ? p.length : close;
  }
  return atomEnd;
}

/** Index of the `)` or `]` closing the group or class opened at `start`. */
function closing(p: string, start: number): number {
  const open = p[start];
  const close = open === '(' ? ')' : ']';
  let depth = 0;
  for (let i = start; i < p.length; i++) {
    const ch = p[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (open === '(' && ch === '[') {
      const end = closing(p, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (ch === open) depth++;
    else if (ch === close && --depth === 0) return i;
  }
  return -1;
}


/** Literals checked per alternative: the longest is searched, the others verified on the line. */
const MAX_RUNS = 4;

type Token = { lit: string } | { brk: true } | { alts: string[] };

export function regexLiteralGroups(source: string): Lit[][] | undefined {
  let pattern = source;
  if (pattern.startsWith('(?i)')) pattern = pattern.slice(4);
  if (/^\(\?[a-zA-Z]/.test(pattern)) return undefined;
  const branches = splitTopLevel(pattern);
  if (!branches) return undefined;
  const out: Lit[][] = [];
  for (const branch of branches) {
    const tokens = tokenize(branch);
    if (!tokens) return undefined;
    let states: Array<{ runs: string[]; cur: string }> = [{ runs: [], cur: '' }];
    for (const t of tokens) {
      if ('lit' in t) for (const s of states) s.cur += t.lit;
      else if ('alts' in t && states.length * t.alts.length <= MAX_EXPANSION) {
        states = states.flatMap((s) => t.alts.map((a) => ({ runs: s.runs.slice(), cur: s.cur + a })));
      } else
        for (const s of states) {
          s.runs.push(s.cur);
          s.cur = '';
        }
    }
    for (const s of states) {
      const runs = [...new Set([...s.runs, s.cur].filter((r) => r.length >= MIN_LITERAL).map((r) => r.toLowerCase()))];
      if (runs.length === 0) return undefined;
      runs.sort((a, b) => b.length - a.length);
      out.push(runs.slice(0, MAX_RUNS).map((text) => ({ text })));
    }
  }
  return out;
}

/** The branch as literal characters, breaks (anything not certainly literal) and literal alternations. */
function tokenize(branch: string): Token[] | undefined {
  const out: Token[] = [];
  for (let i = 0; i < branch.length; i++) {
    const ch = branch[i];
    if (ch === '(' || ch === '[') {
      const end = closing(branch, i);
      if (end < 0) return undefined;
      const q = branch[end + 1];
      const alts = ch === '(' && !(q === '?' || q === '*' || q === '{' || q === '+') ? literalAlternatives(branch.slice(i + 1, end)) : undefined;
      out.push(alts ? { alts } : { brk: true });
      i = skipQuantifier(branch, end);
      continue;
    }
    let lit: string | undefined;
    let width = 1;
    if (ch === '\\') {
      const next = branch[i + 1];
      if (next !== undefined && ESCAPED_LITERAL.test(next)) lit = next;
      width = 2 + operandWidth(branch, i + 2, next);
    } else if (!'.^$|)]}?*+{'.includes(ch)) lit = ch;
    const quant = branch[i + width];
    if (lit !== undefined && (quant === '?' || quant === '*' || quant === '{')) {
      out.push({ brk: true });
      i = skipQuantifier(branch, i + width - 1);
      continue;
    }
    if (lit === undefined) out.push({ brk: true });
    else {
      out.push({ lit });
      if (quant === '+') out.push({ brk: true });
    }
    i += width - 1;
  }
  return out;
}

/**
 * Characters after `\x`, `\p`, `\Q` and the like that belong to the escape (`\x41`,
 * `\p{Lu}`, `\Q...\E`, octal digits): they are not literal text of the pattern.
 */
function operandWidth(p: string, at: number, kind: string | undefined): number {
  const braced = () => (p[at] === '{' ? Math.max(0, p.indexOf('}', at) + 1 - at) || p.length - at : -1);
  const run = (re: RegExp, max: number) => {
    let n = 0;
    while (n < max && at + n < p.length && re.test(p[at + n])) n++;
    return n;
  };
  switch (kind) {
    case 'x': {
      const b = braced();
      return b >= 0 ? b : run(/[0-9a-fA-F]/, 2);
    }
    case 'u':
      return run(/[0-9a-fA-F]/, 4);
    case 'p':
    case 'P': {
      const b = braced();
      return b >= 0 ? b : Math.min(1, p.length - at);
    }
    case 'Q': {
      const end = p.indexOf('\\E', at);
      return end < 0 ? p.length - at : end + 2 - at;
    }
    default:
      return kind !== undefined && /[0-7]/.test(kind) ? run(/[0-7]/, 2) : 0;
  }
}

/** `GET|POST|PUT` (optionally `?:`-prefixed) as its plain alternatives; undefined if any is not plain text. */
function literalAlternatives(body: string): string[] | undefined {
  if (body.startsWith('?:')) body = body.slice(2);
  else if (body.startsWith('?')) return undefined;
  const parts = splitTopLevel(body);
  if (!parts) return undefined;
  const alts: string[] = [];
  for (const p of parts) {
    let text = '';
    for (let i = 0; i < p.length; i++) {
      const ch = p[i];
      if (ch === '\\') {
        const next = p[i + 1];
        if (next === undefined || !ESCAPED_LITERAL.test(next)) return undefined;
        text += next;
        i++;
      } else if ('.^$|()[]{}?*+'.includes(ch)) return undefined;
      else text += ch;
    }
    alts.push(text);
  }
  return alts;
}
