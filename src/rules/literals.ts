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

/**
 * A literal the byte prefilter looks for. `word`: the literal must not touch a letter or digit
 * on either side (a SQLSTATE code inside a hex address or a port number is not a code).
 */
export interface Lit {
  text: string;
  word?: boolean;
}

/**
 * Alternatives of which one must be found for the condition to be true; each alternative is
 * a list of literals that must all occur (in any order, case-insensitively). Undefined: the
 * condition cannot be prefiltered. Finer than `requiredLiterals`: a regex contributes every
 * mandatory run (`Connection to \S+ refused` needs both "connection to " and " refused"), and
 * small literal alternations are expanded (`(GET|POST) https?://` needs "get http" or "post
 * http", not any " http").
 */
export function requiredLiteralGroups(c: Condition): Lit[][] | undefined {
  switch (c.kind) {
    case 'contains':
    case 'icontains':
      return c.values.map((v) => [{ text: v.toLowerCase() }]);
    case 'regex':
      return regexLiteralGroups(c.source);
    case 'field':
      if (c.name !== 'sqlstate') return undefined;
      return c.values.flatMap((code) => [[{ text: code.toLowerCase(), word: true }], ...classNamesForCode(code).map((n) => [{ text: n.toLowerCase() }])]);
    case 'any': {
      const all: Lit[][] = [];
      for (const item of c.items) {
        const sub = requiredLiteralGroups(item);
        if (!sub) return undefined;
        all.push(...sub);
      }
      return all;
    }
    case 'all': {
      // Every conjunct is necessary: combine two small ones, else keep the one with fewest alternatives.
      let best: Lit[][] | undefined;
      for (const item of c.items) {
        const sub = requiredLiteralGroups(item);
        if (!sub) continue;
        if (!best) best = sub;
        else if (best.length * sub.length <= MAX_EXPANSION) best = best.flatMap((a) => sub.map((b) => [...a, ...b]));
        else if (sub.length < best.length) best = sub;
      }
      return best;
    }
    default:
      return undefined;
  }
}

/** Alternatives a regex or a conjunction may expand to before the expansion stops paying. */
const MAX_EXPANSION = 16;
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
      width = 2;
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
