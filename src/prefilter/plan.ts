import type { Origin } from '../events.js';
import { MultiLiteralScanner, containsFolded, foldedBytes, type ScanLiteral } from './multi-literal.js';

/**
 * What a line the prefilter found means. `trigger`: failure wording (a rule that makes an
 * incident): the records around it are analysed, so the failure is assembled whole with the
 * record before it. `context`: wording of evidence, settings or anchors: only the record that
 * holds it is parsed, so a busy log whose every other line names a worker thread or an HTTP
 * call is not analysed line by line.
 */
export type HitClass = 'trigger' | 'context';

/**
 * One way a line can be worth parsing: every literal of `all` occurs in it. `dense`: context
 * that may be thinned where it fills the log (see `WindowedFeeder`): plain client-side evidence
 * no count depends on (`RuleMatcher.planEntries`).
 */
export interface PlanEntry {
  all: ScanLiteral[];
  cls: HitClass;
  dense?: boolean;
  /** The rule the entry stands for, when it is one. */
  rule?: string;
  /** The rule's origins and formats (what `ruleApplies` checks), when it states them. */
  origins?: readonly Origin[];
  formats?: readonly string[];
}

/** The origin and format records come from (a format parser is one). */
export interface LineSource {
  origin: Origin;
  id: string;
}

/**
 * What the reader can tell about a line before parsing it: the format that started the last
 * record (`leading`, when it vouches for its events' origin) and whether it starts this line.
 */
export interface SourceCheck {
  leading(): LineSource | undefined;
  startsLine(buf: Uint8Array, from: number, to: number): boolean;
}

interface Alternative {
  /** Literals besides the searched one, checked on the line. */
  rest: Array<{ bytes: Uint8Array; word: boolean }>;
  cls: HitClass;
  dense: boolean;
  origins?: readonly Origin[];
  formats?: readonly string[];
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
      const alt: Alternative = { rest: sorted.slice(1).map((l) => ({ bytes: foldedBytes(l.text), word: !!l.word })), cls: e.cls, dense: e.dense === true };
      if (e.origins) alt.origins = e.origins;
      if (e.formats) alt.formats = e.formats;
      this.byLiteral[k].push(alt);
    }
    this.scanner = new MultiLiteralScanner(keys);
  }

  get usable(): boolean {
    return this.scanner.usable;
  }

  /**
   * After `classify` returned `context`: whether only dense entries held on that line, and the
   * searched literals (scanner indexes) that made them hold.
   */
  lastDense = false;
  readonly denseHits: number[] = [];

  /**
   * The class of the line `buf[from, to)`: trigger if any trigger entry holds, else context, else
   * none. `scanAt`: where the line's first literal may start, when a search already found it (no
   * literal lies before it; a word literal right there is taken without its left boundary, which
   * can only make a line read that need not be). An entry whose rule cannot apply to the origin or
   * format of the records being read is left out when `check` confirms that their format starts
   * this line, so a server line holding a client rule's failure wording ("connection reset by
   * peer") is read like any other line; the line is checked at most once, and only when such an
   * entry is what would decide.
   */
  classify(buf: Uint8Array, from: number, to: number, scanAt = from, check?: SourceCheck): HitClass | undefined {
    let found: HitClass | undefined;
    let leading: LineSource | undefined;
    let confirmed: boolean | undefined;
    let plain = false;
    const dense = this.denseHits;
    dense.length = 0;
    this.scanner.scan(buf, scanAt, to, (_offset, literal) => {
      for (const alt of this.byLiteral[literal]) {
        if (found === 'trigger') break;
        // Once a plain context entry held, other context entries change nothing.
        if (alt.cls === 'context' && (plain || (alt.dense && dense.includes(literal)))) continue;
        if (!alt.rest.every((r) => containsFolded(buf, from, to, r.bytes, r.word))) continue;
        if ((alt.origins || alt.formats) && check && (leading ??= check.leading())) {
          const excluded = (alt.origins && !alt.origins.includes(leading.origin)) || (alt.formats && !alt.formats.includes(leading.id));
          if (excluded && (confirmed ??= check.startsLine(buf, from, to))) continue;
        }
        found = alt.cls === 'trigger' ? 'trigger' : 'context';
        if (alt.cls === 'context') {
          if (alt.dense) dense.push(literal);
          else plain = true;
        }
      }
      return found === 'trigger' ? to : _offset;
    });
    this.lastDense = found === 'context' && !plain;
    return found;
  }

  /** Number of searched literals (the scanner's indexes run below it). */
  get literalCount(): number {
    return this.byLiteral.length;
  }
}
