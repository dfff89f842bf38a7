import { isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { RuleError } from './errors.js';
import type { SourcePos } from './types.js';

/**
 * Reads values out of one YAML document and reports every problem at its own
 * `file:line:column`, collecting errors instead of stopping at the first.
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

  /** Checks a mapping's keys against the allowed ones and returns key → value node. */
  map(node: unknown, what: string, allowed: readonly string[]): Map<string, Node> | undefined {
    if (!isMap(node)) {
      this.error(node as Node, `${what} must be a mapping`);
      return undefined;
    }
    const out = new Map<string, Node>();
    for (const pair of (node as YAMLMap).items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (!allowed.includes(key)) {
        this.error(keyNode, `unknown key "${key}" in ${what} (allowed: ${allowed.join(', ')})`);
        continue;
      }
      out.set(key, pair.value as Node);
    }
    return out;
  }

  /** A string value; a missing required one is reported at `parent` (the mapping that lacks it). */
  string(node: Node | undefined, what: string, required = true, parent?: Node): string | undefined {
    if (node === undefined || node === null) {
      if (required) this.error(parent ?? node, `${what} is required`);
      return undefined;
    }
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
      this.error(node, `${what} must be a string`);
      return undefined;
    }
    return String(node.value);
  }

  strings(node: Node | undefined, what: string): string[] | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      const s = this.string(node, what);
      return s === undefined ? undefined : [s];
    }
    if (!isSeq(node)) {
      this.error(node, `${what} must be a string or a list of strings`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of node.items) {
      const s = this.string(item as Node, `each item of ${what}`);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  number(node: Node | undefined, what: string): number | undefined {
    if (node === undefined) return undefined;
    if (!isScalar(node) || typeof node.value !== 'number') {
      this.error(node, `${what} must be a number`);
      return undefined;
    }
    return node.value;
  }

  /** Like `strings`, with each string's own position (a rule example is reported where it is written). */
  stringsAt(node: Node | undefined, what: string): Array<{ value: string; line: number; column: number }> | undefined {
    if (node === undefined) return undefined;
    const items = isSeq(node) ? (node.items as Node[]) : [node];
    if (!isScalar(node) && !isSeq(node)) {
      this.error(node, `${what} must be a string or a list of strings`);
      return undefined;
    }
    const out: Array<{ value: string; line: number; column: number }> = [];
    for (const item of items) {
      const s = this.string(item, isSeq(node) ? `each item of ${what}` : what);
      if (s === undefined) continue;
      const { line, column } = this.pos(item);
      out.push({ value: s, line, column });
    }
    return out;
  }
}
