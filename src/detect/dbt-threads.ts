/**
 * What dbt's own lines say about each worker thread: which node it is running, which
 * invocation the lines belong to, and how long the thread's connection sat unused in dbt's
 * pool before the node re-used it.
 *
 * dbt.log interleaves the lines of its threads, and the line that carries the database error
 * (`Postgres adapter: Postgres error: ...`) does not name the node: only the thread's earlier
 * lines do (`Began running node`, `Re-using an available connection from the pool (formerly A,
 * now B)`). Giving that line its node lets the adapter error, the `ERROR creating` line and the
 * run summary's `Database Error in model` block (and run_results.json's entry) be one incident
 * per failed node, while two nodes failing at once stay two.
 *
 * Memory is bounded by construction: one small entry per (source, thread), at most
 * MAX_THREADS of them, the least recently seen dropped first.
 */
import type { LogEvent } from '../events.js';

const DBT_FORMATS = new Set(['dbt-text', 'dbt-json']);
const MAX_THREADS = 1024;

const BEGAN = /\bBegan running node (\S+)/;
const REUSE = /\bRe-using an available connection from the pool \(formerly (\S+?), now (\S+?)\)/;
const FINISHED = /\bFinished running node (\S+)/;

interface ThreadState {
  /** Name of the node the thread runs (the last part of its unique_id `model.project.name`). */
  node?: string;
  /** When the thread last finished a node: its connection goes back to dbt's pool then. */
  finishedTs?: number;
  /** How long the current node's re-used connection had been unused, ms. */
  idleMs?: number;
}

/** The lines dbt writes per thread that tell the node and the pool's idle time (read even when no rule looks at them). */
export const DBT_THREAD_ANCHORS = ['Began running node ', 'Re-using an available connection from the pool', 'Finished running node ', 'Done. PASS='];

/** dbt's last line of a run: `Done. PASS=3 WARN=0 ERROR=1 SKIP=0 TOTAL=4`. */
const RUN_DONE = /^Done\. PASS=\d+/;

export class DbtThreads {
  private readonly threads = new Map<string, ThreadState>();
  /** The invocation each source is in (dbt.log's `=== time | invocation id ===` header). */
  private readonly invocations = new Map<string, string>();
  /** Invocations whose run summary has ended (bounded like the rest). */
  private readonly done = new Set<string>();

  /**
   * Whether the dbt run that logged this failure may still repeat it: its source is still in
   * the same invocation and the run's `Done.` line has not been read. dbt repeats every node
   * error in the run summary, minutes or hours later; until then the failure stays open.
   */
  runOpen(event: LogEvent): boolean {
    if (!DBT_FORMATS.has(event.format)) return false;
    const inv = event.fields.sessionId;
    if (!inv || this.done.has(inv)) return false;
    return this.invocations.get(event.source) === inv;
  }

  /**
   * Adds to a dbt event what its thread's earlier lines said: the node (`model`), the
   * invocation (`sessionId`, which dbt formats treat as run-wide) and the pool idle time.
   */
  annotate(event: LogEvent): void {
    if (!DBT_FORMATS.has(event.format)) return;
    const f = event.fields;
    // dbt.log names its invocation once, in the header; dbt's JSON log on every line.
    const header = event.format === 'dbt-text' && f.sessionId !== undefined && !f.thread && event.text.includes('=====');
    if ((header || event.format === 'dbt-json') && f.sessionId && this.invocations.get(event.source) !== f.sessionId) {
      // A new invocation: the threads start over.
      this.invocations.delete(event.source);
      this.invocations.set(event.source, f.sessionId);
      if (this.invocations.size > MAX_THREADS) this.invocations.delete(this.invocations.keys().next().value as string);
      for (const key of [...this.threads.keys()]) if (key.startsWith(`${event.source}\u0000`)) this.threads.delete(key);
    }
    if (header) return;
    if (!f.sessionId) {
      const inv = this.invocations.get(event.source);
      if (inv) f.sessionId = inv;
    }
    if (f.sessionId && f.message && RUN_DONE.test(f.message)) {
      this.done.add(f.sessionId);
      if (this.done.size > MAX_THREADS) this.done.delete(this.done.values().next().value as string);
    }
    if (!f.thread || /^MainThread$/i.test(f.thread)) return;
    const key = `${event.source}\u0000${f.thread}`;
    let st = this.threads.get(key);
    if (st) this.threads.delete(key);
    else {
      st = {};
      if (this.threads.size >= MAX_THREADS) this.threads.delete(this.threads.keys().next().value as string);
    }
    this.threads.set(key, st);
    const text = f.message ?? event.text;
    const reuse = REUSE.exec(text);
    const began = reuse ? undefined : BEGAN.exec(text);
    const finished = reuse || began ? undefined : FINISHED.exec(text);
    if (began) {
      st.node = shortName(began[1]);
      st.idleMs = undefined;
    } else if (reuse) {
      st.node = shortName(reuse[2]);
      st.idleMs = event.ts !== undefined && st.finishedTs !== undefined && event.ts >= st.finishedTs ? event.ts - st.finishedTs : undefined;
    } else if (finished) {
      if (event.ts !== undefined) st.finishedTs = event.ts;
      st.node = undefined;
      st.idleMs = undefined;
    } else if (f.model) {
      // dbt's JSON log names the node on most of a thread's lines (node_info).
      st.node = f.model;
    } else if (st.node) {
      f.model = st.node;
      if (st.idleMs !== undefined && event.idleMs === undefined && event.level === 'error') event.idleMs = st.idleMs;
    }
  }
}

function shortName(uniqueId: string): string {
  return uniqueId.slice(uniqueId.lastIndexOf('.') + 1);
}
