/**
 * One side per record. Formats that know their layout set `origin`; a record no format claimed
 * (`unknown`: a line pasted into a ticket, a log of an unrecognised layout) is given a side here,
 * once, before any rule looks at it, so one line never fires both the client's and the server's
 * rule for the same fact.
 *
 * - A driver or ORM exception class in the text (`psycopg.OperationalError: ...`,
 *   `org.postgresql.util.PSQLException`, `error: ...` of node-postgres after a class) is the
 *   client's: only a client prints its own exception.
 * - Wording only the server (or the pooler) writes is theirs: messages about "the client"
 *   (`... from client`, `... to client`, `on client connection`), and a bare severity tag
 *   (`FATAL:`, `PANIC:`, `LOG:`) opening the line with no class before it — libpq relays a
 *   server FATAL to the client only after a driver's class or inside its own message.
 * - Anything else stays `unknown`, and rules for either side may read it.
 */
import type { LogEvent, Origin } from '../events.js';

const DRIVER_CLASS = /\b[A-Za-z_][\w.]*(?:Error|Exception|Warning)\b(?:\)|:| \()|\bPSQLException\b|\bNpgsql\w*Exception\b|\bPG::\w+/;
const ABOUT_THE_CLIENT = /\b(?:from|to) client\b|\bon client connection\b|\bclient backend\b|\bdisconnection: session time:|\bconnection (?:received|authorized):/;
/** A severity tag at the start of the line (after an optional time and `[pid]`), one or more spaces after the colon. */
const BARE_SEVERITY = /^(?:[\d\-:.,T +Z]{8,40}(?:[A-Z]{2,5} )?)?(?:\[\d+\]:? ?)?(?:[\w@\[\].-]* )?(?:(?:FATAL|PANIC|LOG|DETAIL|HINT|STATEMENT):\s+|ERROR:\s{2})\S/;

export function sideOf(event: LogEvent): Origin {
  if (event.origin !== 'unknown') return event.origin;
  const first = event.text.length > 600 ? event.text.slice(0, 600) : event.text;
  const head = first.split('\n', 1)[0];
  if (event.fields.driver || event.fields.exception || DRIVER_CLASS.test(head)) return 'client';
  if (ABOUT_THE_CLIENT.test(head) || BARE_SEVERITY.test(head)) return 'server';
  return 'unknown';
}

/** Gives an unclaimed record its side (mutates `event.origin`; returns it for chaining). */
export function decideSide(event: LogEvent): LogEvent {
  if (event.origin === 'unknown') event.origin = sideOf(event);
  return event;
}
