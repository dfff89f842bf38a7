import { LineCounter, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Origin } from '../events.js';
import { readCondition } from './compile.js';
import { parseDuration } from './duration.js';
import { RuleError, RulePackError } from './errors.js';
import { parseExpression } from './expr/index.js';
import { requiredLiterals } from './literals.js';
import {
  STRENGTH_WEIGHT,
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
import { Reader } from './yaml-reader.js';

/**
 * Reading rule packs: YAML text -> cause and rule definitions, each with its position, every
 * problem collected as a `file:line:column` error. Pure: the files are read by
 * `input/rule-files.ts`. Over 300 lines because it is one reader for one schema: each key's
 * checks sit in the order the rule format documents them.
 */

export { MATCHABLE_FIELDS } from './compile.js';

const ORIGINS: Origin[] = ['client', 'orchestrator', 'server', 'pooler', 'config', 'unknown'];
const STRENGTHS = Object.keys(STRENGTH_WEIGHT) as Strength[];


const DEFAULT_WINDOW = { before: 15 * 60_000, after: 5_000 };

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
  if (doc.contents === null) return;
  const top = reader.map(doc.contents, 'a rule file', ['cause', 'rules']);
  if (!top) return;
  const causeNode = top.get('cause');
  if (causeNode !== undefined) {
    const cause = readCause(reader, causeNode);
    if (cause) addUnique(pack, 'cause', cause.id, cause.pos, seenInPack, reader, causeNode, () => pack.causes.set(cause.id, cause));
  }
  const rulesNode = top.get('rules');
  if (rulesNode !== undefined) {
    if (!isSeq(rulesNode)) {
      reader.error(rulesNode, '"rules" must be a list');
      return;
    }
    for (const item of rulesNode.items) {
      const rule = readRule(reader, item as Node);
      if (!rule) continue;
      addUnique(pack, 'rule', rule.id, rule.pos, seenInPack, reader, item as Node, () => {
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

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

function readCause(reader: Reader, node: Node): CauseDef | undefined {
  const m = reader.map(node, 'a cause', ['id', 'title', 'summary', 'prior', 'prior-by-stack', 'decided-by', 'explains', 'refines', 'remediation']);
  if (!m) return undefined;
  const id = reader.string(m.get('id'), 'cause id', true, node);
  const title = reader.string(m.get('title'), 'cause title', true, node);
  const summary = reader.string(m.get('summary'), 'cause summary', true, node) ?? '';
  const prior = reader.number(m.get('prior'), 'cause prior') ?? 0.05;
  if (prior <= 0 || prior >= 1) reader.error(m.get('prior'), 'cause prior must be between 0 and 1');
  const priorByStack: Record<string, number> = {};
  const pbs = m.get('prior-by-stack');
  if (pbs !== undefined) {
    const pm = reader.map(pbs, 'prior-by-stack', STACKS);
    if (pm)
      for (const [stack, v] of pm) {
        const n = reader.number(v, `prior-by-stack.${stack}`);
        if (n === undefined) continue;
        if (n <= 0 || n >= 1) reader.error(v, `prior-by-stack.${stack} must be between 0 and 1`);
        else priorByStack[stack] = n;
      }
  }
  if (id && !ID_PATTERN.test(id)) reader.error(m.get('id'), `cause id "${id}" must be lower-case letters, digits, ".", "_" or "-"`);
  const decidedBy = reader.strings(m.get('decided-by'), 'decided-by') ?? [];
  const explains = (reader.strings(m.get('explains'), 'explains') ?? ['connection-lost']) as CauseDef['explains'];
  for (const kind of explains) if (kind !== 'connection-lost' && kind !== 'session-state-lost') reader.error(m.get('explains'), `explains: "${kind}" is not an incident kind (connection-lost, session-state-lost)`);
  const refines = reader.strings(m.get('refines'), 'refines') ?? [];
  const remediation: Record<string, RemediationStepDef[]> = {};
  const remNode = m.get('remediation');
  if (remNode !== undefined) {
    const rm = reader.map(remNode, 'remediation', STACKS);
    if (rm) for (const [stack, steps] of rm) remediation[stack] = readSteps(reader, steps, `remediation.${stack}`);
  }
  if (!id || !title) return undefined;
  return { id, title, summary, prior, priorByStack, decidedBy, explains, refines, remediation, pos: reader.pos(node) };
}

export const STACKS = REMEDIATION_KEYS;

/** A step is a plain string (no source: `rules lint` flags it) or a map with text/none, source, otherwise. */
function readSteps(reader: Reader, node: Node, what: string): RemediationStepDef[] {
  const out: RemediationStepDef[] = [];
  const items = isSeq(node) ? (node.items as Node[]) : isScalar(node) ? [node] : undefined;
  if (!items) {
    reader.error(node, `${what} must be a step or a list of steps`);
    return [];
  }
  for (const item of items) {
    if (isScalar(item)) {
      const text = reader.string(item, what);
      if (text) out.push({ text, pos: reader.pos(item) });
      continue;
    }
    const m = reader.map(item, `a step of ${what}`, ['text', 'none', 'source', 'otherwise']);
    if (!m) continue;
    const none = m.get('none');
    const text = reader.string(none ?? m.get('text'), `${what} step text`, true, item);
    if (none !== undefined && m.get('text') !== undefined) reader.error(item, `${what}: a step has either text or none, not both`);
    const source = reader.string(m.get('source'), `${what} step source`, false);
    if (source !== undefined && !/^https:\/\/\S+$/.test(source)) reader.error(m.get('source'), `${what}: source must be an https:// link to the project's own documentation`);
    const otherwiseNode = m.get('otherwise');
    const otherwise = otherwiseNode === undefined ? undefined : reader.strings(otherwiseNode, `${what} step otherwise`);
    if (text) out.push({ text, ...(source ? { source } : {}), ...(otherwise?.length ? { otherwise } : {}), ...(none !== undefined ? { none: true } : {}), pos: reader.pos(item) });
  }
  return out;
}

const RULE_KEYS = [
  'id', 'description', 'origins', 'formats', 'match', 'when', 'incident', 'neighbour', 'evidence', 'window', 'examples',
];

function readRule(reader: Reader, node: Node): Rule | undefined {
  const m = reader.map(node, 'a rule', RULE_KEYS);
  if (!m) return undefined;
  const id = reader.string(m.get('id'), 'rule id', true, node);
  if (id && !ID_PATTERN.test(id)) reader.error(m.get('id'), `rule id "${id}" must be lower-case letters, digits, ".", "_" or "-"`);
  const description = reader.string(m.get('description'), 'rule description', true, node) ?? '';
  const origins = reader.strings(m.get('origins'), 'origins') as Origin[] | undefined;
  for (const o of origins ?? []) if (!ORIGINS.includes(o)) reader.error(m.get('origins'), `unknown origin "${o}" (known: ${ORIGINS.join(', ')})`);
  const formats = reader.strings(m.get('formats'), 'formats');
  const matchNode = m.get('match');
  const whenNode = m.get('when');
  if (matchNode === undefined && whenNode === undefined) reader.error(node, `rule ${id ?? ''} needs a "match" or a "when"`);
  const match = matchNode === undefined ? undefined : readCondition(reader, matchNode, `rule ${id}`);
  let when: Rule['when'];
  if (whenNode !== undefined) {
    const text = reader.string(whenNode, 'when');
    if (text !== undefined) {
      const parsed = parseExpression(text);
      if (parsed.ok) when = { text, ast: parsed.ast, pos: reader.pos(whenNode) };
      else reader.errorAt(whenNode, parsed.error.offset, `when: ${parsed.error.message}`);
    }
  }

  let incident: Rule['incident'];
  const incNode = m.get('incident');
  if (incNode !== undefined) {
    const im = reader.map(incNode, 'incident', ['sqlstate', 'kind']);
    const sqlstate = im && reader.string(im.get('sqlstate'), 'incident.sqlstate');
    const kind = (im && reader.string(im.get('kind'), 'incident.kind', false)) ?? 'connection-lost';
    if (kind !== 'connection-lost' && kind !== 'session-state-lost') reader.error(im?.get('kind'), 'incident.kind must be connection-lost or session-state-lost');
    if (sqlstate) incident = { sqlstate, kind: kind as 'connection-lost' };
  }
  let neighbour: Rule['neighbour'];
  const nbNode = m.get('neighbour');
  if (nbNode !== undefined) {
    const nm = reader.map(nbNode, 'neighbour', ['sqlstate', 'name']);
    const sqlstate = nm && reader.string(nm.get('sqlstate'), 'neighbour.sqlstate');
    const name = nm && reader.string(nm.get('name'), 'neighbour.name');
    if (sqlstate && name) neighbour = { sqlstate, name };
  }
  if (incident && neighbour) reader.error(node, `rule ${id} cannot be both an incident and a neighbour`);

  const evidence: EvidenceDef[] = [];
  const evNode = m.get('evidence');
  if (evNode !== undefined) {
    if (!isSeq(evNode)) reader.error(evNode, 'evidence must be a list');
    else
      for (const item of evNode.items) {
        const em = reader.map(item, 'an evidence entry', ['cause', 'for', 'against']);
        if (!em) continue;
        const cause = reader.string(em.get('cause'), 'evidence cause');
        const forS = reader.string(em.get('for'), 'evidence strength', false);
        const againstS = reader.string(em.get('against'), 'evidence strength', false);
        if ((forS === undefined) === (againstS === undefined)) {
          reader.error(item as Node, 'an evidence entry needs exactly one of "for" or "against"');
          continue;
        }
        const strength = (forS ?? againstS) as Strength;
        if (!STRENGTHS.includes(strength)) {
          reader.error((em.get('for') ?? em.get('against')) as Node, `strength must be one of ${STRENGTHS.join(', ')}`);
          continue;
        }
        const direction = forS ? 'for' : 'against';
        if (cause)
          evidence.push({
            cause,
            direction,
            strength,
            weight: (direction === 'for' ? 1 : -1) * STRENGTH_WEIGHT[strength],
            pos: reader.pos(em.get('cause')),
          });
      }
  }
  // An explicit `evidence: []` on a matching rule marks records for derived facts (a reason
  // table, `when:` conditions) without weighing them itself.
  const marksOnly = m.get('evidence') !== undefined && evidence.length === 0 && m.get('match') !== undefined;
  if (!incident && !neighbour && evidence.length === 0 && !marksOnly) reader.error(node, `rule ${id} yields nothing: give it "incident", "neighbour" or "evidence"`);

  const window = { ...DEFAULT_WINDOW };
  const winNode = m.get('window');
  if (winNode !== undefined) {
    const wm = reader.map(winNode, 'window', ['before', 'after']);
    for (const side of ['before', 'after'] as const) {
      const v = wm?.get(side);
      if (v === undefined) continue;
      const ms = isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? parseDuration(v.value) : undefined;
      if (ms === undefined) reader.error(v, `window.${side} must be a duration such as 90s, 5m or 2h`);
      else window[side] = ms;
    }
  }
  const examples: RuleExamples = { match: [], nomatch: [] };
  const exNode = m.get('examples');
  if (exNode !== undefined) {
    const xm = reader.map(exNode, 'examples', ['match', 'nomatch']);
    const match = reader.stringsAt(xm?.get('match'), 'examples.match') ?? [];
    const nomatch = reader.stringsAt(xm?.get('nomatch'), 'examples.nomatch') ?? [];
    examples.match = match.map((x) => x.value);
    examples.nomatch = nomatch.map((x) => x.value);
    examples.at = { match: match.map(({ line, column }) => ({ line, column })), nomatch: nomatch.map(({ line, column }) => ({ line, column })) };
  }
  if (when && m.get('neighbour') !== undefined) {
    reader.error(whenNode, `rule ${id}: a neighbour rule cannot have "when"`);
  }
  if (when && m.get('incident') !== undefined && matchNode === undefined) {
    reader.error(whenNode, `rule ${id}: an incident rule needs a "match" (its "when" confirms the match per incident)`);
  }
  if (!id || (!match && !when)) return undefined;
  return {
    id,
    description,
    origins,
    formats,
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
