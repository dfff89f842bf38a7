import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { RuleError } from './errors.js';
import type { SourcePos } from './types.js';

/**
 * Reads values out of one YAML document whose shape the schema has already checked
 * (`schema/rules.ts`), keeping each value's `file:line:column`. It checks no types itself:
 * the schema is the one place that says what a rule file may hold.
 */
export class Reader {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    readonly errors: RuleError[],
  ) {}

  pos(node: Node | null | undefined): SourcePos {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  error(node: Node | null | undefined, message: string): void {
    this.errors.push(new RuleError(this.pos(node), message));
  }

  /** An error at a character offset inside a scalar's text (a quoted scalar starts one later). */
  errorAt(node: Node, offset: number, message: string): void {
    const start = node.range?.[0] ?? 0;
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
    const { line, col } = this.lines.linePos(start + quoted + offset);
    this.errors.push(new RuleError({ file: this.file, line, column: col }, message));
  }

  /** A mapping's entries, key → value node, in the order written. */
  entries(node: Node | undefined): Map<string, Node> {
    const out = new Map<string, Node>();
    if (isMap(node)) for (const pair of node.items) out.set(String(isScalar(pair.key) ? pair.key.value : pair.key), pair.value as Node);
    return out;
  }

  text(node: Node | undefined): string | undefined {
    return isScalar(node) ? String(node.value) : undefined;
  }

  number(node: Node | undefined): number | undefined {
    return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
  }

  /** A string or a list of strings, as a list. */
  texts(node: Node | undefined): string[] | undefined {
    return this.textsAt(node)?.map((t) => t.value);
  }

  /** Like `texts`, with each string's own position (a rule example is reported where it is written). */
  textsAt(node: Node | undefined): Array<{ value: string; line: number; column: number }> | undefined {
    if (node === undefined) return undefined;
    const items = isSeq(node) ? (node.items as Node[]) : [node];
    return items.filter(isScalar).map((item) => ({ value: String(item.value), ...this.pos(item) }));
  }
}
