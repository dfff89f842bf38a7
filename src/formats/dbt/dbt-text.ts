/**
 * dbt console output and `logs/dbt.log` text (format `dbt-text`).
 *
 * Line prefixes: console `HH:MM:SS  ` (two spaces), debug/dbt.log
 * `HH:MM:SS.ffffff [level] [Thread-1  ]: `, or none (pasted fragments). Colour codes are removed
 * first. Records: the per-invocation `=====... time | invocation id =====...` separator, node
 * progress lines, the end-of-run error block (`Failure in model ...`, `Database Error in model
 * ...`, `Runtime Error in model ...`, with its indented message lines), the summary lines, and
 * any other prefixed line (with its unprefixed continuation lines, e.g. multi-line SQL).
 */
import type { EventFields, LogEvent, RawRecord } from '../../events.js';
import type { Continuation, FormatParser, RecordState } from '../types.js';
import { ADAPTER_ERROR, ERROR_HEADER, readDbtError } from './dbt-error-block.js';
import { newPyState, pyStartPhase, pyStep, type PyState } from '../python/traceback-lines.js';
import { pyExtract, mainException } from '../python/traceback-fields.js';
import { lastNonBlank, makeEvent, normLevel, readTime, stripAnsi } from '../common/client-util.js';

const CONSOLE = /^(\d{2}:\d{2}:\d{2})  (.*)$/;
const DEBUG = /^(\d{2}:\d{2}:\d{2}\.\d{3,6}) \[(debug|info|warn|error|fatal)\s*\](?: \[([^\]]*)\]:)? ?(.*)$/;
const SEPARATOR = /^={10,} (\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?) \| ([0-9A-Za-z-]+) ={10,}\s*$/;
const PROGRESS =
  /^(\d+) of (\d+) (START|OK|ERROR|SKIP|PASS|FAIL|WARN|PARTIALLY|NO-OP|RUN)\b(.*?)(?:\s*\.{2,}\s*|\s+)\[([A-Za-z][A-Za-z -]*?)(?: in ([\d.]+)s)?\]\s*$/;
const SUMMARY = /^(?:Completed (?:successfully|with \d+ (?:error|warning|partial success))|Done\. PASS=\d+|Finished running )/;
const MODEL_IN_DESC = /\bmodel ([\w."`$-]+)/;
/** dbt node error headers whose kind starts a new block even when indented. */
const OUTER_KINDS = new Set(['Failure', 'Warning', 'ERROR']);

interface Split {
  /** 'console' | 'debug' | 'none' */
  prefix: 'console' | 'debug' | 'none';
  time?: string;
  level?: string;
  thread?: string;
  body: string;
}

/** Strips colour and the dbt line prefix. */
function split(raw: string): Split {
  const line = raw.charCodeAt(0) === 0x1b || raw.charCodeAt(0) === 91 || raw.indexOf('\x1b') >= 0 ? stripAnsi(raw) : raw;
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57 && line.charCodeAt(2) === 58 /* : */) {
    const d = DEBUG.exec(line);
    if (d) return { prefix: 'debug', time: d[1], level: d[2], thread: d[3]?.trim(), body: d[4] };
    const m = CONSOLE.exec(line);
    if (m) return { prefix: 'console', time: m[1], body: m[2] };
  }
  return { prefix: 'none', body: line };
}

type Kind = 'separator' | 'progress' | 'summary' | 'block' | 'line';

interface DbtState extends RecordState {
  kind: Kind;
  /** A Database/Runtime/... header is already part of this block. */
  inner: boolean;
  /** Python traceback/message machine for free `line` records. */
  py?: PyState;
}

function headerKind(body: string): { outer: boolean } | undefined {
  const h = ERROR_HEADER.exec(body);
  if (!h) return undefined;
  return { outer: OUTER_KINDS.has(h[1] ?? h[2] ?? 'ERROR') && !h[1] };
}

function classify(s: Split): { kind: Kind; inner: boolean } | undefined {
  const body = s.body;
  if (s.prefix === 'none' && body.charCodeAt(0) === 61 /* = */ && SEPARATOR.test(body)) {
    return { kind: 'separator', inner: false };
  }
  const h = headerKind(body);
  if (h) return { kind: 'block', inner: !h.outer };
  const t = s.prefix === 'none' ? body : body.trimStart();
  if (PROGRESS.test(t)) return { kind: 'progress', inner: false };
  if (SUMMARY.test(t)) return { kind: 'summary', inner: false };
  if (s.prefix !== 'none' && body.trim() !== '' && body.charCodeAt(0) !== 32) return { kind: 'line', inner: false };
  return undefined;
}

export const dbtText: FormatParser = {
  id: 'dbt-text',
  origin: 'orchestrator',
  describe: 'dbt console and logs/dbt.log text: progress lines, "Database/Runtime Error in model ..." blocks, run summary, invocation separators',
  start(line: string): RecordState | undefined {
    const c = line.charCodeAt(0);
    // Cheap gate: digit (time or progress), '=' separator, ESC/'[' colour, or a known word.
    if (!((c >= 48 && c <= 57) || c === 61 || c === 0x1b || c === 91 || c === 32 || c === 9 ||
      c === 68 || c === 82 || c === 70 || c === 69 || c === 67 || c === 80 || c === 87 || c === 85 || c === 73 || c === 86)) {
      return undefined;
    }
    const s = split(line);
    const k = classify(s);
    if (!k) return undefined;
    const st: DbtState = { kind: k.kind, inner: k.inner };
    if (k.kind === 'line') {
      const first = pyStartPhase(s.body);
      st.py = newPyState(first && first.role === 'tb' ? 'frames' : 'log');
    }
    if (k.kind === 'separator' || k.kind === 'progress' || k.kind === 'summary') st.complete = true;
    return st;
  },
  continues(state: RecordState, line: string): Continuation {
    const st = state as DbtState;
    if (st.kind !== 'block' && st.kind !== 'line') return 'no';
    const s = split(line);
    if (s.prefix !== 'none') {
      if (st.kind === 'line') return 'no';
      const body = s.body;
      if (body.trim() === '') return 'may';
      const h = headerKind(body);
      if (h) {
        if (h.outer || st.inner) return 'no';
        st.inner = true;
        return 'must';
      }
      return body.charCodeAt(0) === 32 ? 'must' : 'no';
    }
    if (SEPARATOR.test(line)) return 'no';
    if (st.kind === 'line') return st.py ? pyStep(st.py, line).cont : 'may';
    // error block, unprefixed line
    if (line.trim() === '') return 'may';
    const h = headerKind(line);
    if (h) {
      if (h.outer || st.inner) return 'no';
      st.inner = true;
      return 'must';
    }
    const c = line.charCodeAt(0);
    return c === 32 || c === 9 ? 'must' : 'may';
  },
  parse(record: RawRecord): LogEvent[] {
    const lines = record.lines;
    if (lines.length === 0) return [];
    try {
      const splits = lines.map(split);
      const first = splits[0];
      const k = classify(first) ?? { kind: 'line' as Kind, inner: false };
      const fields: EventFields = {};
      let level = normLevel(first.level);
      let time;
      if (first.thread) fields.thread = first.thread;
      if (first.time) fields.timeOfDay = first.time;
      switch (k.kind) {
        case 'separator': {
          const m = SEPARATOR.exec(first.body);
          if (m) {
            time = readTime(m[1]);
            fields.sessionId = m[2];
          }
          fields.message = first.body.replace(/^=+\s*|\s*=+$/g, '');
          break;
        }
        case 'progress': {
          const t = first.body.trim();
          const m = PROGRESS.exec(t);
          fields.message = t;
          if (m) {
            const model = MODEL_IN_DESC.exec(m[4]);
            if (model) {
              const name = model[1].replace(/["`]/g, '');
              fields.model = name.slice(name.lastIndexOf('.') + 1);
            }
            if (m[6]) fields.durationMs = Math.round(Number(m[6]) * 1000);
            const status = m[5].toUpperCase();
            if (m[3] === 'ERROR' || m[3] === 'FAIL' || status.startsWith('ERROR') || status.startsWith('FAIL')) level = 'error';
          }
          break;
        }
        case 'summary':
          fields.message = first.body.trim();
          break;
        case 'block': {
          const info = readDbtError(splits.map((s) => s.body));
          fields.model = info.model;
          fields.modelPath = info.modelPath;
          fields.message = info.message;
          fields.detail = info.detail;
          if (info.kind && !OUTER_KINDS.has(info.kind)) fields.exception = `${info.kind} Error`;
          if (info.sqlstates.length > 0) fields.sqlstates = info.sqlstates;
          level = 'error';
          break;
        }
        case 'line': {
          const bodies = splits.map((s) => s.body);
          const start = pyStartPhase(bodies[0]);
          const phase = start && start.role === 'tb' ? 'frames' : 'log';
          const { exceptions, logBlock } = pyExtract(bodies, { phase, role: phase === 'log' ? 'log' : 'tb' }, bodies[0]);
          if (exceptions.length > 0) Object.assign(fields, mainException(exceptions));
          else if (logBlock) {
            // `Postgres adapter: Postgres error: <driver text>` carries the database message.
            const adapter = logBlock.message ? ADAPTER_ERROR.exec(logBlock.message) : null;
            fields.message = adapter ? adapter[1] : logBlock.message;
            if (adapter) level = 'error';
            fields.detail = logBlock.detail;
            if (logBlock.sqlstates.length > 0) fields.sqlstates = logBlock.sqlstates;
          }
          break;
        }
      }
      return [
        makeEvent(record, 'dbt-text', 'orchestrator', fields, {
          span: { first: 0, last: lastNonBlank(splits.map((s) => s.body)) },
          time,
          level,
        }),
      ];
    } catch {
      return [makeEvent(record, 'dbt-text', 'orchestrator', {})];
    }
  },
};
