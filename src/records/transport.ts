/**
 * What log transports put in front of an application's own line: syslog (RFC 3164 and 5424),
 * journald's short output, container runtimes (`<time> stdout F `), `docker compose` and
 * `kubectl --prefix` service prefixes, Heroku and Cloud Foundry routers, and the `> ` / `| `
 * quoting of tickets and chat. They are removed before any format looks at the line, so the
 * application's header is at column 0 again; the caller keeps the original line for quoting.
 *
 * Each prefix is anchored and ends at a fixed marker (`: `, ` F `, `| `), so stripping is linear
 * and never removes part of the application's text. A prefix that carries a time gives it, for
 * application lines that have none of their own.
 */

export interface Stripped {
  /** The line without its transport prefix(es). */
  text: string;
  /** The transport's timestamp text, when the prefix had one. */
  time?: string;
}

const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`;

/** Level words are never a host or a service name: `2025-... ERROR app: x` is an app line. */
const LEVELISH = /^(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|PANIC|LOG|STATEMENT|DETAIL|HINT)$/i;

interface Transport {
  id: string;
  re: RegExp;
  /** Group holding the prefix's time (0 = none); `host` group must not be a level word. */
  time: number;
  host?: number;
}

const TRANSPORTS: Transport[] = [
  // CRI (containerd, CRI-O) log files: 2025-03-02T04:17:39.120000000Z stdout F <line>
  { id: 'cri', re: new RegExp(`^(${ISO}) (?:stdout|stderr) [FP] `), time: 1 },
  // Heroku router / dyno drains: 2025-03-02T04:17:39.120+00:00 app[web.1]: <line>
  { id: 'heroku', re: new RegExp(`^(${ISO}) (?:app|heroku)\\[[\\w.-]{1,40}\\]: `), time: 1 },
  // Cloud Foundry: 2025-03-02T04:17:39.12+0000 [APP/PROC/WEB/0] OUT <line>
  { id: 'cloudfoundry', re: new RegExp(`^ *(${ISO}) \\[(?:APP|RTR|CELL|STG|API|SSH|LGR)(?:/[^\\]]{0,60})?\\] (?:OUT|ERR) `), time: 1 },
  // RFC 5424: <14>1 2025-03-02T04:17:39.120Z host app 311 - - <line>
  { id: 'syslog5424', re: new RegExp(`^<\\d{1,3}>1 (${ISO}|-) \\S{1,255} \\S{1,48} \\S{1,128} \\S{1,32} (?:-|\\[[^\\]]{0,2000}\\](?:\\[[^\\]]{0,2000}\\])*) ?`), time: 1 },
  // RFC 3164 / rsyslog: <14>Mar  2 04:17:39 host app[311]: <line>
  {
    id: 'syslog',
    re: /^(?:<\d{1,3}>)?((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2}) (\S{1,255}) [\w./@-]{1,64}(?:\[\d{1,10}\])?: /,
    time: 0,
    host: 2,
  },
  // journalctl -o short-iso: 2025-03-02T04:17:39+0000 host app[311]: <line>
  { id: 'journald', re: new RegExp(`^(${ISO}) (\\S{1,255}) [\\w./@-]{1,64}\\[\\d{1,10}\\]: `), time: 1, host: 2 },
  // PostgreSQL's own syslog sequence numbers after the syslog prefix: [3-1] <line>
  { id: 'pg-syslog-seq', re: /^\[\d{1,10}-\d{1,10}\] /, time: 0 },
  // kubectl logs --prefix: [pod/api-7d9f/app] <line>
  { id: 'kubectl', re: /^\[pod\/[\w.-]{1,253}\/[\w.-]{1,63}\] /, time: 0 },
  // docker compose: `db-1  | <line>` (service name padded to the longest)
  { id: 'compose', re: /^([A-Za-z0-9][\w.-]{0,62}?)(?:[-_]\d{1,3})? {1,40}\| /, time: 0, host: 1 },
  // Ticket and chat quoting: `> `, `>> `, `| `. One blank after each `>` belongs to the quote,
  // any further indentation to the quoted line (a traceback's `  File ...` must stay indented).
  { id: 'quote', re: /^(?:> ?){1,4}|^\| (?=\S)/, time: 0 },
];

/** First characters a transport prefix can start with: cheap rejection for ordinary lines. */
function mayHavePrefix(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 60 || c === 62 || c === 91 || c === 124 || c === 32 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Removes the transport prefixes of one line (a quoted compose line has two). Returns undefined
 * when there is none, so the common case allocates nothing.
 */
export function stripTransport(line: string): Stripped | undefined {
  let text = line;
  let time: string | undefined;
  for (let round = 0; round < 3; round++) {
    if (text.length < 3 || !mayHavePrefix(text.charCodeAt(0))) break;
    let hit = false;
    for (const t of TRANSPORTS) {
      const m = t.re.exec(text);
      if (!m || m[0].length === 0) continue;
      if (t.host && LEVELISH.test(m[t.host])) continue;
      const rest = text.slice(m[0].length);
      // A compose prefix in front of nothing is a table rule, not a transport.
      if (t.id === 'compose' && rest.trim() === '') continue;
      if (t.time && m[t.time] && m[t.time] !== '-') time ??= m[t.time];
      text = rest;
      hit = true;
      break;
    }
    if (!hit) break;
  }
  return text === line ? undefined : { text, time };
}
