/**
 * The JSON Schema of rule files: the one description of their shape, used by the loader (with
 * ajv, `rules/read.ts`) and shipped as `schema/rules.schema.json` for editors (a test checks
 * the shipped copy; `node scripts/build-config-schema.mjs` rewrites it). Lists that the code
 * owns (stacks, matchable fields, origins, strengths) are taken from the code's own tables so
 * the two cannot drift. Over 300 lines because it is one document of descriptions.
 */
import type { EventFields } from '../events.js';
import { MATCHABLE_FIELDS } from '../rules/compile.js';
import { STRENGTH_WEIGHT } from '../rules/types.js';
import { REMEDIATION_KEYS, STACK_DEFS } from '../remedy/stacks.js';

export const ORIGINS = ['client', 'orchestrator', 'server', 'pooler', 'config', 'unknown'] as const;
export const INCIDENT_KINDS = ['connection-lost', 'session-state-lost'] as const;

type Json = Record<string, unknown>;

const FIELD_HELP: Record<(typeof MATCHABLE_FIELDS)[number], string> = {
  sqlstate: 'SQLSTATE codes printed in the record (pgcode, ERROR [08003], server %e). Quote codes: "08003".',
  exception: 'Outer exception class, e.g. OperationalError or sqlalchemy.exc.OperationalError.',
  driver: 'Driver exception in parentheses, e.g. psycopg2.OperationalError.',
  origin: 'client, orchestrator, server, pooler, config or unknown.',
  level: 'Normalized level: debug, info, warning, error, fatal, panic or log.',
  format: 'The input format that read the record, e.g. pg-stderr, python-logging, pgbouncer.',
  severity: 'Server/pooler severity (FATAL, LOG, ERROR) or the client log level as printed.',
  logger: 'Logger name, e.g. sqlalchemy.pool.impl.QueuePool.',
  serverEvent: 'Server/pooler event recognized by the format, e.g. disconnection, admin-terminate, pooler-close.',
  serverEventKind: 'Qualifier of serverEvent: shutdown mode, pooler closing reason, crash signal.',
  errorCode: 'Azure Data Factory error code, e.g. UserErrorOdbcOperationFailed.',
  failureType: 'Azure Data Factory failure type, e.g. UserError.',
  peer: "What a client record's socket talked to, read from the library that reported it.",
  errno: "Socket errno class the record names in any platform's wording (formats/common/socket-errors.ts).",
  phase: 'connect when the record failed while setting up a connection.',
  driverFailure: "lost when a driver's own wording says the session is gone (formats/common/driver-wording.ts).",
};

/** Fields with a closed set of values (the type checks the list is the event's). */
const PEERS: ReadonlyArray<NonNullable<EventFields['peer']>> = ['database', 'http'];
const FIELD_VALUES: Partial<Record<(typeof MATCHABLE_FIELDS)[number], readonly string[]>> = {
  peer: PEERS,
  errno: ['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNREFUSED', 'EOF'],
  phase: ['connect'],
  driverFailure: ['lost'],
};

/** A string or a list of them (every list-valued key also takes a single value). */
function oneOrMany(description: string, item: Json = { type: 'string' }, extra: Json = {}): Json {
  return { description, anyOf: [item, { type: 'array', items: item }], ...extra };
}

/** `required` with the key allowed (strict mode wants every required key declared in the branch). */
function has(...keys: string[]): Json {
  return { required: keys, properties: Object.fromEntries(keys.map((k) => [k, true])) };
}

const stepList = (stack: string): Json => ({
  description: `Steps for ${stack === 'generic' ? 'any stack without steps of its own' : (STACK_DEFS as Record<string, { title: string }>)[stack].title}.`,
  anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { $ref: '#/$defs/remediationStep' } }],
});

const cause: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title'],
  description: 'A cause pgtriage can name: what it is, how common it is, what decides it and how to fix it.',
  properties: {
    id: { $ref: '#/$defs/id', description: 'The cause id that evidence entries refer to. A later pack may redefine a cause with the same id.' },
    title: { type: 'string', description: "One line shown in reports, e.g. 'A NAT gateway dropped an idle TCP connection'." },
    summary: { type: 'string', description: 'A paragraph explaining the mechanism, shown under the title.' },
    prior: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.05,
      description:
        "Share of 08003-family incidents this cause explains before any evidence is seen (0 < prior < 1; default 0.05). Priors of all causes should sum to less than 1: the rest is the 'unknown' mass.",
    },
    'prior-by-stack': {
      type: 'object',
      description: 'Priors for incidents from a given stack, where the cause is much more or less common there than its overall prior says.',
      propertyNames: { enum: [...REMEDIATION_KEYS] },
      additionalProperties: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    },
    'decided-by': oneOrMany("Evidence that would confirm or rule out this cause; listed under 'What would decide it' when the cause is in contention."),
    explains: {
      type: 'array',
      items: { enum: [...INCIDENT_KINDS] },
      description:
        'The incident kinds this cause is a hypothesis for (default [connection-lost]): a session-state incident is ranked only among the causes that explain lost session state.',
    },
    refines: {
      type: 'array',
      items: { type: 'string' },
      description: 'Cause ids this cause refines (it explains why they happened): its confidence is judged against the other causes, not against them.',
    },
    remediation: {
      type: 'object',
      additionalProperties: false,
      description:
        'Fix steps keyed by stack (src/remedy/stacks.ts). The steps of the component whose limit fired come first, then the client stacks seen (the most specific one winning), then pgbouncer and server; generic steps are shown when no client-stack step applies.',
      properties: Object.fromEntries(REMEDIATION_KEYS.map((k) => [k, stepList(k)])),
    },
  },
};

const rule: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'description'],
  description:
    'A rule: a condition on one log record (match) and/or on the context of an incident (when), and what it means. It must yield something: incident, neighbour or evidence.',
  properties: {
    id: { $ref: '#/$defs/id', description: 'Unique id; referenced by --explain output and by rule:ID in `when:` expressions.' },
    description: { type: 'string', description: "What a match means, in one sentence; shown in --explain output and reports." },
    origins: oneOrMany('Only records from these kinds of source are tested (default: all).', { enum: [...ORIGINS] }),
    formats: oneOrMany('Only records read by these input formats are tested (default: all).', { type: 'string' }, {
      examples: [['pg-stderr', 'pg-csv', 'pg-json'], ['python-logging', 'python-traceback'], ['pgbouncer']],
    }),
    match: { $ref: '#/$defs/condition', description: 'The condition on one record. Several keys in one mapping must all hold.' },
    when: {
      type: 'string',
      minLength: 1,
      maxLength: 2000,
      description:
        "An optional context condition evaluated per incident when the incident is concluded; the rule's evidence counts only when it holds. Language: comparisons (>= > <= < == !=) over gap_before, tx_open, config.*, server.idle_timeout, server.idle_session_timeout, server.idle_in_transaction_session_timeout, pool.recycle, pool.mode, count(sessions failed|incidents|failures|rule:ID [within D]), literals (numbers, durations 500ms/30s/5m/2h/1d, 'strings', true/false), `within D of rule:ID`, and/or/not and parentheses. Unknown values never make it hold. See docs/rules.md.",
      examples: ['gap_before >= 240s', 'within 5s of rule:pg-admin-terminate', 'count(sessions failed) >= 3 within 2s', 'config.pool_recycle > server.idle_timeout and not tx_open'],
    },
    incident: {
      type: 'object',
      additionalProperties: false,
      required: ['sqlstate'],
      description: 'A matched record is itself a failure of the 08003 family: it opens an incident.',
      properties: {
        sqlstate: { $ref: '#/$defs/sqlstate', description: 'The SQLSTATE reported for the incident, usually "08003".' },
        kind: {
          enum: [...INCIDENT_KINDS],
          default: 'connection-lost',
          description:
            'connection-lost: the session is gone; session-state-lost: a connection exists but not the session the client expects (e.g. a prepared statement is missing).',
        },
      },
    },
    neighbour: {
      type: 'object',
      additionalProperties: false,
      required: ['sqlstate', 'name'],
      description: 'A matched record is a connection failure outside the family (08001, 53300, 28P01...): reported apart, never an incident.',
      properties: {
        sqlstate: { $ref: '#/$defs/sqlstate', description: 'The SQLSTATE of the neighbouring failure, e.g. "08001" or "53300".' },
        name: { type: 'string', description: "Short name shown in the report, e.g. 'connection refused'." },
      },
    },
    evidence: { type: 'array', description: "What a match says about causes of incidents within the window.", items: { $ref: '#/$defs/evidence' } },
    window: {
      type: 'object',
      additionalProperties: false,
      description:
        "How far from an incident's failure a matched record still counts (default 15m before, 5s after). The --clock-skew tolerance is added on both sides. Records without timestamps link within 400 lines before / 60 after in the same file.",
      properties: {
        before: { $ref: '#/$defs/duration', default: '15m', description: 'How long before the failure a matched record still counts (default 15m).' },
        after: { $ref: '#/$defs/duration', default: '5s', description: 'How long after the failure a matched record still counts (default 5s).' },
      },
    },
    examples: {
      type: 'object',
      additionalProperties: false,
      description: 'Embedded tests run by `pgtriage rules test`; `rules lint` warns when either list is empty.',
      properties: {
        match: oneOrMany('Log text (one or more lines) the rule must match.'),
        nomatch: oneOrMany('Log text the rule must not match.'),
      },
    },
  },
  // Each entry's description is the message shown when a rule breaks it.
  allOf: [
    { description: 'a rule needs a "match" or a "when"', anyOf: [has('match'), has('when')] },
    {
      description: 'a rule yields nothing: give it "incident", "neighbour" or "evidence" (an explicit empty evidence list with a match only marks records)',
      anyOf: [
        has('incident'),
        has('neighbour'),
        { required: ['evidence'], properties: { evidence: { type: 'array', minItems: 1 } } },
        { required: ['evidence', 'match'], properties: { evidence: { type: 'array', maxItems: 0 }, match: true } },
      ],
    },
    { description: 'a rule cannot be both an incident and a neighbour', not: has('incident', 'neighbour') },
    { description: 'a neighbour rule cannot have "when"', not: has('neighbour', 'when') },
    {
      description: 'an incident rule needs a "match" (its "when" confirms the match per incident)',
      if: { required: ['incident'], properties: { incident: { description: 'The rule yields an incident.' } } },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a thenable.
      then: { required: ['match'], properties: { match: { description: 'An incident rule matches its failure record.' } } },
    },
  ],
};

const strengths = Object.keys(STRENGTH_WEIGHT);

const evidence: Json = {
  type: 'object',
  additionalProperties: false,
  required: ['cause'],
  description: 'One likelihood ratio: weak = 2, moderate = 4, strong = 10, decisive = 100 (for multiplies, against divides).',
  properties: {
    cause: { $ref: '#/$defs/id', description: 'Id of a cause defined in this or an earlier pack.' },
    for: { $ref: '#/$defs/strength', description: 'Strength of the evidence for the cause: weak (x2), moderate (x4), strong (x10), decisive (x100).' },
    against: { $ref: '#/$defs/strength', description: 'Strength of the evidence against the cause: weak (/2), moderate (/4), strong (/10), decisive (/100).' },
  },
  oneOf: [has('for'), has('against')],
};

const condition: Json = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'A condition on one record. Several keys in one mapping must all hold.',
  properties: {
    contains: oneOrMany('Holds when the record text contains any of these (case-sensitive).', { type: 'string', minLength: 1 }),
    icontains: oneOrMany('Like contains, ignoring case.', { type: 'string', minLength: 1 }),
    regex: {
      type: 'string',
      description: 'An RE2 regular expression searched in the record text (linear time; no backreferences or lookaround). Use (?i) for case-insensitive.',
    },
    field: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description:
        'Holds when a normalized field equals any of the values (ignoring case; `OperationalError` also matches `sqlalchemy.exc.OperationalError`). Several fields must all hold.',
      properties: Object.fromEntries(
        MATCHABLE_FIELDS.map((f) => [f, oneOrMany(FIELD_HELP[f], FIELD_VALUES[f] ? { enum: [...FIELD_VALUES[f]] } : { type: 'string' })]),
      ),
    },
    all: { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' }, description: 'Holds when every condition holds.' },
    any: { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' }, description: 'Holds when at least one condition holds.' },
    not: { $ref: '#/$defs/condition', description: 'Holds when the condition does not hold.' },
  },
};

const remediationStep: Json = {
  description:
    'A step: plain text (no source; `rules lint` warns), or a map. `text` may use {limit}, {limit_setting}, {limit_component}, {pool_lifetime}, {pool_setting}, {target}, {target_ms}, {keepalive_idle}; `otherwise` is shown when one of them is unknown; `none` states that the stack has no knob and what to do instead.',
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        text: { type: 'string', minLength: 1 },
        none: { type: 'string', minLength: 1 },
        source: { type: 'string', pattern: '^https://\\S+$' },
        otherwise: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] },
      },
      oneOf: [has('text'), has('none')],
    },
  ],
};

/** The schema object (a fresh one per call; the loader compiles the one it keeps). */
export function rulesSchema(): Json {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:pgtriage:schema:rules',
    title: 'pgtriage rule file',
    description:
      'One YAML file of a pgtriage rule pack: either a cause definition (`cause:`, one per file under rules/causes/) or a list of rules (`rules:`, under rules/detect/ and rules/evidence/). A file may hold both keys. See docs/rules.md.',
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      cause: { $ref: '#/$defs/cause', description: 'A cause definition. Conventionally one per file under rules/causes/.' },
      rules: {
        type: 'array',
        description:
          'Rules in this file. Ids must be unique within the pack; a rule in a later pack (--rules DIR) with the same id replaces the earlier one, and pgtriage says so.',
        items: { $ref: '#/$defs/rule' },
      },
    },
    $defs: {
      id: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9._-]*$',
        description: "Lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.",
      },
      sqlstate: {
        type: 'string',
        pattern: '^[0-9A-Z]{5}$',
        description: 'A five-character SQLSTATE code such as 08003. Quote it in YAML ("08003") so it stays a string.',
      },
      duration: {
        description: 'a duration such as 1500ms, 90s, 5m or 5min, 2h, 1d, or a bare number of seconds',
        anyOf: [{ type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|sec|m|min|h|d)?\\s*$' }, { type: 'number', minimum: 0 }],
        examples: ['90s', '15m', '2h'],
      },
      cause,
      rule,
      evidence,
      strength: { enum: strengths, description: 'weak = x2, moderate = x4, strong = x10, decisive = x100.' },
      condition,
      remediationStep,
    },
  };
}
