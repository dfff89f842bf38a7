import { LineCounter, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Origin } from '../events.js';
import { readCondition } from './compile.js';
import { parseDuration } from './duration.js';
import { RuleError, RulePackError } from './errors.js';
import { parseExpression } from './expr/parse.js';
import { requiredLiterals } from './literals.js';
import {
  evidenceWeight,
  type CauseDef,
  type EvidenceDef,
  type Rule,
  type RuleExamples,
  type RulePack,
  type RemediationStepDef,
  type SourcePos,
  type Strength,
} from './types.js';
import { validatePack } from './validate.js';
import { REMEDIATION_KEYS } from '../remedy/stacks.js';
import { say } from '../messages/say.js';
import { rulesSchema } from '../schema/rules.js';
import { compileSchema, validateDocument } from '../schema/validate.js';
import { Reader } from './yaml-reader.js';

/**
 * Reading rule packs: YAML text -> cause and rule definitions, each with its position, every
 * problem collected as a `file:line:column` error. A file passes three gates in order: YAML
 * syntax (and no aliases), the JSON Schema (`schema/rules.ts`, checked by ajv: the one
 * statement of what a rule file may hold), then what only compiling can tell (a regex the
 * linear-time engine refuses, a `when:` that does not parse, a duplicate id). Checks across
 * the whole pack are the named validators of `validate.ts`. Pure: the files are read by
 * `input/rule-files.ts`.
 */

export { MATCHABLE_FIELDS } from './compile.js';

const DEFAULT_WINDOW = { before: 15 * 60_000, after: 5_000 };

/** The schema, compiled on first use (a run on the bundled pack's cached copy never needs it). */
let schema: object | undefined;
const schemaValidator = () => compileSchema((schema ??= rulesSchema()));

/** Parses one pack given as text (used by tests and the library). */
export function loadRuleTexts(files: Array<{ file: string; text: string }>): RulePack {
  const pack: RulePack = { causes: new Map(), rules: [], notices: [] };
  const errors: RuleError[] = [];
  const seen = new Map<string, SourcePos>();
  for (const { file, text } of files) loadRuleText(text, file, pack, seen, errors);
  checkPack(pack, errors);
  if (errors.length) throw new RulePackError(errors);
  return pack;
}

/**
 * The checks every loaded pack must pass (the `error` validators), reported as rule errors.
 */
export function checkPack(pack: RulePack, errors: RuleError[]): void {
  for (const f of validatePack(pack, { severity: 'error' })) errors.push(new RuleError(f.pos, f.message));
}

/** `rules.2.evidence.0.for` is said as `rule <id>: evidence.0.for`: a reader looks for the id. */
function subject(path: string, data: unknown): string {
  const parts = path === '' ? [] : path.slice(1).split('/');
  const top = data as { cause?: { id?: unknown }; rules?: Array<{ id?: unknown }> } | null;
  const item = parts[0] === 'cause' ? top?.cause : parts[0] === 'rules' && parts.length > 1 ? top?.rules?.[Number(parts[1])] : undefined;
  const rest = parts.slice(parts[0] === 'cause' ? 1 : 2).join('.');
  if (item && typeof item.id === 'string') return `${parts[0] === 'cause' ? 'cause' : 'rule'} ${item.id}: ${rest ? `${rest}: ` : ''}`;
  return parts.length ? `${parts.join('.')}: ` : '';
}

/** Aliases are refused before anything expands them: a rule file has no use for them, and a chain of them is a memory bomb. */
function refuseAliases(doc: Document, reader: Reader): boolean {
  let found = false;
  visit(doc, {
    Alias(_, node) {
      reader.error(node, 'YAML aliases (*name) are not allowed in rule files; write the value out');
      found = true;
    },
  });
  return found;
}

export function loadRuleText(
  text: string,
  file: string,
  pack: RulePack,
  seenInPack: Map<string, SourcePos>,
  errors: RuleError[],
): void {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const reader = new Reader(file, lineCounter, errors);
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      errors.push(new RuleError({ file, line, column: col }, `YAML syntax: ${e.message.split('\n')[0]}`));
    }
    return;
  }
  if (doc.contents === null || refuseAliases(doc, reader)) return;
  const problems = validateDocument(schemaValidator(), doc, lineCounter, { subject });
  for (const p of problems) errors.push(new RuleError({ file, line: p.line, column: p.column }, p.message));
  if (problems.length) return;

  const top = reader.entries(doc.contents as Node);
  const causeNode = top.get('cause');
  if (causeNode !== undefined) {
    const cause = readCause(reader, causeNode);
    addUnique(pack, 'cause', cause.id, cause.pos, seenInPack, reader, causeNode, () => pack.causes.set(cause.id, cause));
  }
  const rulesNode = top.get('rules');
  for (const item of isSeq(rulesNode) ? (rulesNode.items as Node[]) : []) {
    const rule = readRule(reader, item);
    if (!rule) continue;
    addUnique(pack, 'rule', rule.id, rule.pos, seenInPack, reader, item, () => {
      const existing = pack.rules.findIndex((r) => r.id === rule.id);
      if (existing >= 0) {
        rule.overrides = pack.rules[existing].pos;
        const [file, line, previousFile, previousLine] = [rule.pos.file, rule.pos.line, rule.overrides.file, rule.overrides.line];
        pack.notices.push(say('warning.rule-overrides', { rule: rule.id, file, line, previousFile, previousLine }));
        pack.rules[existing] = rule;
      } else {
        pack.rules.push(rule);
      }
    });
  }
}

/** Ids must be unique within one pack; across packs a later definition overrides. */
function addUnique(
  pack: RulePack,
  kind: 'cause' | 'rule',
  id: string,
  pos: SourcePos,
  seenInPack: Map<string, SourcePos>,
  reader: Reader,
  node: Node,
  add: () => void,
): void {
  const key = `${kind}:${id}`;
  const previous = seenInPack.get(key);
  if (previous) {
    reader.error(node, `duplicate ${kind} id "${id}" (first defined at ${previous.file}:${previous.line}:${previous.column})`);
    return;
  }
  seenInPack.set(key, pos);
  if (kind === 'cause' && pack.causes.has(id)) {
    pack.notices.push(say('warning.cause-overrides', { cause: id, file: pos.file, line: pos.line }));
  }
  add();
}

function readCause(reader: Reader, node: Node): CauseDef {
  const m = reader.entries(node);
  const priorByStack: Record<string, number> = {};
  for (const [stack, v] of reader.entries(m.get('prior-by-stack'))) priorByStack[stack] = reader.number(v)!;
  const remediation: Record<string, RemediationStepDef[]> = {};
  for (const [stack, steps] of reader.entries(m.get('remediation'))) remediation[stack] = readSteps(reader, steps);
  return {
    id: reader.text(m.get('id'))!,
    title: reader.text(m.get('title'))!,
    summary: reader.text(m.get('summary')) ?? '',
    prior: reader.number(m.get('prior')) ?? 0.05,
    priorByStack,
    decidedBy: reader.texts(m.get('decided-by')) ?? [],
    explains: (reader.texts(m.get('explains')) ?? ['connection-lost']) as CauseDef['explains'],
    refines: reader.texts(m.get('refines')) ?? [],
    remediation,
    pos: reader.pos(node),
  };
}

export const STACKS = REMEDIATION_KEYS;

/** A step is a plain string (no source: `rules lint` flags it) or a map with text/none, source, otherwise. */
function readSteps(reader: Reader, node: Node): RemediationStepDef[] {
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  return items.map((item) => {
    const text = reader.text(item);
    if (text !== undefined) return { text, pos: reader.pos(item) };
    const m = reader.entries(item);
    const none = m.get('none');
    const source = reader.text(m.get('source'));
    const otherwise = reader.texts(m.get('otherwise'));
    return {
      text: reader.text(none ?? m.get('text'))!,
      ...(source ? { source } : {}),
      ...(otherwise?.length ? { otherwise } : {}),
      ...(none !== undefined ? { none: true } : {}),
      pos: reader.pos(item),
    };
  });
}

function readRule(reader: Reader, node: Node): Rule | undefined {
  const m = reader.entries(node);
  const id = reader.text(m.get('id'))!;
  const matchNode = m.get('match');
  const whenNode = m.get('when');
  const errorsBefore = reader.errors.length;
  const match = matchNode === undefined ? undefined : readCondition(reader, matchNode);
  let when: Rule['when'];
  const whenText = reader.text(whenNode);
  if (whenNode !== undefined && whenText !== undefined) {
    const parsed = parseExpression(whenText);
    if (parsed.ok) when = { text: whenText, ast: parsed.ast, pos: reader.pos(whenNode) };
    else reader.errorAt(whenNode, parsed.error.offset, `when: ${parsed.error.message}`);
  }
  const inc = reader.entries(m.get('incident'));
  const incident: Rule['incident'] = m.has('incident')
    ? { sqlstate: reader.text(inc.get('sqlstate'))!, kind: (reader.text(inc.get('kind')) ?? 'connection-lost') as 'connection-lost' }
    : undefined;
  const nb = reader.entries(m.get('neighbour'));
  const neighbour: Rule['neighbour'] = m.has('neighbour') ? { sqlstate: reader.text(nb.get('sqlstate'))!, name: reader.text(nb.get('name'))! } : undefined;

  const evNode = m.get('evidence');
  const evidence: EvidenceDef[] = (isSeq(evNode) ? (evNode.items as Node[]) : []).map((item) => {
    const em = reader.entries(item);
    const direction = em.has('for') ? 'for' : 'against';
    const strength = reader.text(em.get(direction)) as Strength;
    const weight = evidenceWeight(direction, strength);
    return { cause: reader.text(em.get('cause'))!, direction, strength, weight, pos: reader.pos(em.get('cause')) };
  });

  const window = { ...DEFAULT_WINDOW };
  for (const [side, v] of reader.entries(m.get('window'))) {
    const ms = parseDuration(reader.number(v) ?? reader.text(v) ?? '');
    // The schema's pattern is parseDuration's; this is a guard against the two drifting.
    if (ms === undefined) reader.error(v, `window.${side} must be a duration such as 90s, 5m or 2h`);
    else window[side as 'before' | 'after'] = ms;
  }
  const ex = reader.entries(m.get('examples'));
  const matchEx = reader.textsAt(ex.get('match')) ?? [];
  const nomatchEx = reader.textsAt(ex.get('nomatch')) ?? [];
  const examples: RuleExamples = {
    match: matchEx.map((x) => x.value),
    nomatch: nomatchEx.map((x) => x.value),
    ...(m.has('examples') ? { at: { match: matchEx.map(({ line, column }) => ({ line, column })), nomatch: nomatchEx.map(({ line, column }) => ({ line, column })) } } : {}),
  };
  if (reader.errors.length > errorsBefore) return undefined;
  return {
    id,
    description: reader.text(m.get('description'))!,
    origins: reader.texts(m.get('origins')) as Origin[] | undefined,
    formats: reader.texts(m.get('formats')),
    match,
    when,
    incident,
    neighbour,
    evidence,
    window,
    examples,
    literals: match ? requiredLiterals(match) : [],
    pos: reader.pos(node),
  };
}
