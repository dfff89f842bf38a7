/**
 * Markdown that log text cannot break out of: fences longer than any backtick run in what
 * they hold, inline code likewise, and text outside code escaped so it is never markup.
 */

/** Longest run of `ch` in `text`. Linear. */
function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** A fenced code block that `text` cannot close: the fence is longer than any backtick run in it. */
export function fenced(text: string, info = 'text'): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** Inline code that `text` cannot close; `|` escaped for tables, newlines folded. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const ticks = '`'.repeat(longestRun(flat, '`') + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** Escape text (from the logs) for use inline or in a table cell: one line, no markup. */
export function escapeInline(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]<>|~&!#]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)([-+=>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * Rule-authored prose: `code spans` are kept, everything else escaped like `escapeInline`.
 * A backtick run without a matching closer is escaped. In a table cell (`inTable`) a `|`
 * inside a code span is escaped too (GFM reads `\|` there as a pipe).
 */
export function escapeProse(text: string, inTable = false): string {
  const flat = text.replace(/\r?\n/g, ' ');
  let out = '';
  let i = 0;
  let plainFrom = 0;
  while (i < flat.length) {
    if (flat[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (j < flat.length && flat[j] === '`') j++;
    const opener = flat.slice(i, j);
    // find a closing run of exactly the same length
    let k = flat.indexOf(opener, j);
    while (k !== -1 && (flat[k + opener.length] === '`' || flat[k - 1] === '`')) {
      let e = k;
      while (e < flat.length && flat[e] === '`') e++;
      k = flat.indexOf(opener, e);
    }
    if (k === -1) {
      i = j;
      continue;
    }
    const code = flat.slice(j, k);
    out += escapeInline(flat.slice(plainFrom, i)) + opener + (inTable ? code.replace(/\|/g, '\\|') : code) + opener;
    i = k + opener.length;
    plainFrom = i;
  }
  return out + escapeInline(flat.slice(plainFrom));
}

export function table(head: string[], align: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}
