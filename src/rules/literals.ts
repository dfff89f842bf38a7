import { classNamesForCode } from '../formats/common/client-sqlstate.js';
import type { Condition } from './types.js';

/**
 * The literals of which at least one must occur (case-insensitively) in a record for the
 * condition to be true. An empty result means the condition cannot be prefiltered, and the
 * rule is then evaluated on every record.
 */
export function requiredLiterals(condition: Condition): string[] {
  const found = literalsOf(condition);
  return found ?? [];
}

/** Literals shorter than this filter too little to be worth it. */
const MIN_LITERAL = 3;

function literalsOf(c: Condition): string[] | undefined {
  switch (c.kind) {
    case 'contains':
    case 'icontains':
      return c.values.map((v) => v.toLowerCase());
    case 'regex':
      return regexLiterals(c.source);
    case 'field':
      // A SQLSTATE condition needs the code in the text, or a driver class that implies it.
      if (c.name !== 'sqlstate') return undefined;
      return c.values.flatMap((code) => [code.toLowerCase(), ...classNamesForCode(code).map((n) => n.toLowerCase())]);
    case 'any': {
      const all: string[] = [];
      for (const item of c.items) {
        const sub = literalsOf(item);
        if (!sub) return undefined;
        all.push(...sub);
      }
      return all;
    }
    case 'all': {
      // Any one conjunct's literals are necessary; the fewest filter best.
      let best: string[] | undefined;
      for (const item of c.items) {
        const sub = literalsOf(item);
        if (sub && (!best || sub.length < best.length)) best = sub;
      }
      return best;
    }
    default:
      return undefined;
  }
}

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

function longestRun(branch: string): string | undefined {
  let best = '';
  let run = '';
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < branch.length; i++) {
    const ch = branch[i];
    let lit: string | undefined;
    let width = 1;
    if (ch === '\\') {
      const next = branch[i + 1];
      if (next !== undefined && ESCAPED_LITERAL.test(next)) lit = next;
      width = 2;
    } else if (ch === '(' || ch === '[') {
      // Skip the whole group or class: its content may be optional or alternative.
      const end = closing(branch, i);
      if (end < 0) return undefined;
      flush();
      i = skipQuantifier(branch, end);
      continue;
    } else if ('.^$|)]}'.includes(ch)) {
      lit = undefined;
    } else if ('?*+{'.includes(ch)) {
      lit = undefined;
    } else {
      lit = ch;
    }
    const quant = branch[i + width];
    if (lit !== undefined && (quant === '?' || quant === '*' || quant === '{')) {
      // Optional (or counted) character: the run ends before it, and its quantifier is skipped.
      flush();
      i = skipQuantifier(branch, i + width - 1);
      continue;
    }
    if (lit === undefined) {
      flush();
      i += width - 1;
      continue;
    }
    run += lit;
    if (quant === '+') flush();
    i += width - 1;
  }
  flush();
  return best;
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
