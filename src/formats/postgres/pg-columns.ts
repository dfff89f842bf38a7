/**
 * The columns csvlog and jsonlog have in common, turned into one server event the same way.
 * Each format only finds its columns (by position or by key); what a column means lives here.
 */
import type { LogEvent } from '../../events.js';
import { parseTimestamp } from '../common/timestamp.js';
import { applyClassification, classifyServerMessage, identity, pgLevel, sqlstateList, type ServerEventFields } from './pg-messages.js';

/** One entry's columns as the format read them; undefined is a column the entry left out. */
export interface ServerColumns {
  timestamp?: string;
  pid?: string | number;
  user?: string;
  database?: string;
  /** Already reduced to the host: csvlog writes `host:port`, jsonlog the host alone. */
  clientAddr?: string;
  sessionId?: string;
  application?: string;
  severity?: string;
  sqlstate?: string;
  message?: string;
  detail?: string;
  hint?: string;
  /** The statement, else the internal query. */
  sql?: string;
}

export function fillServerEvent(event: LogEvent, fields: ServerEventFields, c: ServerColumns): void {
  const ts = parseTimestamp(c.timestamp ?? '');
  if (ts) {
    event.ts = ts.ts;
    if (ts.naive) event.tsNaive = true;
  }
  if (typeof c.pid === 'number' ? Number.isInteger(c.pid) : c.pid !== undefined && /^\d+$/.test(c.pid)) fields.pid = Number(c.pid);
  const user = identity(c.user);
  if (user) fields.user = user;
  const database = identity(c.database);
  if (database) fields.database = database;
  if (c.clientAddr) fields.clientAddr = c.clientAddr;
  if (c.sessionId) fields.sessionId = c.sessionId;
  const application = identity(c.application);
  if (application) fields.application = application;
  if (c.severity) {
    fields.severity = c.severity;
    const level = pgLevel(c.severity);
    if (level) event.level = level;
  }
  const codes = sqlstateList(c.sqlstate);
  if (codes) fields.sqlstates = codes;
  if (c.message !== undefined) fields.message = c.message;
  if (c.detail !== undefined) fields.detail = c.detail;
  if (c.hint !== undefined) fields.hint = c.hint;
  if (c.sql !== undefined) fields.sql = c.sql;
  applyClassification(fields, classifyServerMessage(c.message, c.detail));
}
