import { MultiLiteralScanner, containsFolded, foldedBytes, type ScanLiteral } from './multi-literal.js';

/**
 * What a line the prefilter found means. `trigger`: failure wording (a rule that makes an
 * incident): the records around it are analysed, so the failure is assembled whole with the
 * record before it. `context`: wording of evidence, settings or anchors: only the record that
 * holds it is parsed, so a busy log whose every other line names a worker thread or an HTTP
 * call is not analysed line by line.
 */
export type HitClass = 'trigger' | 'context';

/** One way a line can be worth parsing: every literal of `all` occurs in it. */
export interface PlanEntry {
  all: ScanLiteral[];
  cls: HitClass;
}

interface Alternative {
  /** Literals besides the searched one, checked on the line. */
  rest: Array<{ bytes: Uint8Array; word: boolean }>;
  cls: HitClass;
}

/**
 * The literals of every rule, searched in one pass: the longest literal of each entry is
 * searched, the others are verified on the line it was found in.
 */
export class LiteralPlan {
  readonly scanner: MultiLiteralScanner;
  /** Alternatives per searched literal (index into the scanner's list). */
  private readonly byLiteral: Alternative[][] = [];

  constructor(entries: PlanEntry[]) {
    const keys: ScanLiteral[] = [];
    const index = new Map<string, number>();
    for (const e of entries) {
      if (e.all.length === 0) continue;
      const sorted = [...e.all].sort((a, b) => b.text.length - a.text.length);
      const key = sorted[0];
      const id = `${key.word ? 'w' : '-'}${key.text.toLowerCase()}`;
      let k = index.get(id);
      if (k === undefined) {
        k = keys.length;
        index.set(id, k);
        keys.push(key);
        this.byLiteral.push([]);
      }
      this.byLiteral[k].push({ rest: sorted.slice(1).map((l) => ({ bytes: foldedBytes(l.text), word: !!l.word })), cls: e.cls });
    }
    this.scanner = new MultiLiteralScanner(keys);
  }

  get usable(): boolean {
    return this.scanner.usable;
  }

  /** The class of the line `buf[from, to)`: trigger if any trigger entry holds, else context, else none. */
  classify(buf: Uint8Array, from: number, to: number): HitClass | undefined {
    let found: HitClass | undefined;
    this.scanner.scan(buf, from, to, (_offset, literal) => {
      for (const alt of this.byLiteral[literal]) {
        if (found === 'trigger' || (found === 'context' && alt.cls === 'context')) continue;
        if (alt.rest.every((r) => containsFolded(buf, from, to, r.bytes, r.word))) found = alt.cls;
      }
      return found === 'trigger' ? to : _offset;
    });
    return found;
  }
}
