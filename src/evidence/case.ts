import type { LogEvent, Origin } from '../events.js';
import { ConfigStore } from './config.js';
import { Marks } from './timeline.js';
import type { ExprValue, ValueOrigin } from '../rules/expr/index.js';
import { poolShownBy } from './pool.js';

/**
 * Everything the evidence and scoring stages know about one case: the inputs analysed together
 * (all of them, or one directory with `--per-directory`). Evidence, configuration and counts
 * never cross cases, so each case owns its own.
 */
export class Case {
  /** Which sides wrote the case's records: tells what evidence is missing and feeds `inputs.*`. */
  private readonly origins = new Set<Origin>();
  /** Settings read from configuration files and logged engine configs. */
  readonly config = new ConfigStore();
  /**
   * Times of incidents (`incidents`, `server-incidents`) and of records matched by rules that
   * `when:` conditions refer to (`rule:<id>`), and of server lines saying a session ended inside
   * an open transaction (`tx-open`).
   */
  readonly marks = new Marks();

  /**
   * Client failures with no time of their own. Their context is every record of the case's
   * other sources (nothing places them in time), so by the same relation they may be any of
   * the server's failures: a server-view failure does not stand beside them as one of its own.
   */
  untimedClientFailures = 0;

  /** The first record that showed a connection pool (see evidence/pool.ts). */
  private pool: { name: string; origin: ValueOrigin } | undefined;

  constructor(readonly key: string) {}

  /** Whether a pool manages the case's connections: true with the record that showed it; false when a client log shows none; unknown otherwise. */
  poolManaged(): ExprValue | undefined {
    if (this.pool) return { value: true, origin: this.pool.origin };
    return this.hasClientLog ? { value: false } : undefined;
  }

  /** Takes in what every event of the case says about the case itself. */
  observe(event: LogEvent): void {
    this.origins.add(event.origin);
    if (event.fields.config) this.config.add(event);
    if (!this.pool) {
      const name = poolShownBy(event);
      if (name) this.pool = { name, origin: { source: event.source, line: event.line, text: event.text.split('\n', 1)[0].slice(0, 300) } };
    }
    if (opensTransaction(event)) this.marks.add('tx-open', event);
  }

  nearestMark(key: string, ts: number, windowMs: number): ValueOrigin | undefined {
    return this.marks.nearest(key, ts, windowMs);
  }

  saw(origin: Origin): boolean {
    return this.origins.has(origin);
  }

  /** An application or orchestrator log is part of the case. */
  get hasClientLog(): boolean {
    return this.saw('client') || this.saw('orchestrator');
  }
}

/** A server record saying a session ended while a transaction was open. */
function opensTransaction(event: LogEvent): boolean {
  const f = event.fields;
  return f.serverEvent === 'idle-in-transaction-timeout' || f.serverEventKind === 'eof-in-transaction';
}
