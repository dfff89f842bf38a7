/**
 * Socket failures by errno class, whatever the platform or runtime printed. The same reset reads
 * `Connection reset by peer` (glibc, macOS), `read: connection reset by peer` (Go),
 * `ECONNRESET` (Node), `ConnectionResetError` / `[WinError 10054]` (Python),
 * `An existing connection was forcibly closed by the remote host` (Windows, .NET) or
 * `java.net.SocketException: Connection reset` (JVM). Rules test the class
 * (`field: { errno: ECONNRESET }`); the byte prefilter asks this table for the wordings of a
 * class, so a wording added here is found everywhere without touching a rule.
 *
 * Sources (message texts as the systems print them):
 * - glibc strerror: sysdeps/gnu/errlist.h; macOS: `man 2 intro` (`Operation timed out` for ETIMEDOUT)
 * - Go: syscall/zerrors_linux_*.go error strings (lowercase), io.ErrUnexpectedEOF "unexpected EOF"
 * - Node: nodejs.org/api/errors.html#common-system-errors (error codes as printed)
 * - Python: docs.python.org/3/library/exceptions.html#os-exceptions (ConnectionResetError, ...)
 * - Windows: learn.microsoft.com/windows/win32/debug/system-error-codes--9000-11999- (WSAE* texts)
 * - JDK: java.net.SocketException messages "Connection reset", "Broken pipe", "Software caused connection abort"
 */
export type ErrnoClass = 'ECONNRESET' | 'ECONNABORTED' | 'EPIPE' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ECONNREFUSED' | 'EOF';

interface Wording {
  text: string;
  /** Matched ignoring case (runtimes differ only in capitals: glibc vs Go). */
  icase?: boolean;
  /** Only as a whole word (`EPIPE`, not inside another token). */
  word?: boolean;
}

const w = (text: string, opts: Omit<Wording, 'text'> = {}): Wording => ({ text, ...opts });

export const ERRNO_WORDING: Record<ErrnoClass, Wording[]> = {
  ECONNRESET: [
    w('connection reset by peer', { icase: true }), // glibc, macOS, Go
    w('ECONNRESET', { word: true }), // Node, errno symbol
    w('WSAECONNRESET'),
    w('WinError 10054'), // Python on Windows
    w('(10054)'), // .NET SocketException (10054)
    w('An existing connection was forcibly closed by the remote host'), // Windows 10054
    w('ConnectionResetError'), // Python
    w('java.net.SocketException: Connection reset'), // JDK
  ],
  ECONNABORTED: [
    w('Software caused connection abort', { icase: true }), // glibc, macOS, JDK
    w('ECONNABORTED', { word: true }),
    w('WSAECONNABORTED'),
    w('WinError 10053'),
    w('(10053)'),
    w('An established connection was aborted by the software in your host machine'), // Windows 10053
    w('ConnectionAbortedError'),
  ],
  EPIPE: [
    w('broken pipe', { icase: true }), // glibc, macOS, Go, JDK
    w('EPIPE', { word: true }),
    w('BrokenPipeError'),
  ],
  ETIMEDOUT: [
    w('Connection timed out', { icase: true }), // glibc, Go
    w('Operation timed out'), // macOS
    w('ETIMEDOUT', { word: true }),
    w('WSAETIMEDOUT'),
    w('WinError 10060'),
    w('(10060)'),
    w('did not properly respond after a period of time'), // Windows 10060
  ],
  EHOSTUNREACH: [
    w('No route to host', { icase: true }),
    w('EHOSTUNREACH', { word: true }),
    w('WSAEHOSTUNREACH'),
    w('WinError 10065'),
    w('A socket operation was attempted to an unreachable host'), // Windows 10065
  ],
  ECONNREFUSED: [
    w('Connection refused', { icase: true }),
    w('ECONNREFUSED', { word: true }),
    w('WSAECONNREFUSED'),
    w('WinError 10061'),
    w('(10061)'),
    w('No connection could be made because the target machine actively refused it'), // Windows 10061
    w('ConnectionRefusedError'),
  ],
  // Not an errno: the peer closed the stream (FIN) without a protocol goodbye.
  EOF: [
    w('unexpected EOF'), // Go io.ErrUnexpectedEOF (lib/pq, pgx)
    w('EOF detected'), // libpq `SSL SYSCALL error: EOF detected`
    w('read: EOF'),
  ],
};

/** Every wording of the given classes, for the prefilter (which compares case-insensitively). */
export function errnoWordings(classes: readonly string[]): string[] {
  return classes.flatMap((c) => ERRNO_WORDING[c.toUpperCase() as ErrnoClass]?.map((x) => x.text) ?? []);
}

function matches(text: string, lower: string, x: Wording): boolean {
  const at = x.icase ? lower.indexOf(x.text.toLowerCase()) : text.indexOf(x.text);
  if (at < 0) return false;
  if (!x.word) return true;
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at + x.text.length);
  return !isWordChar(before) && !isWordChar(after);
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** The errno classes named in `text`, in table order. */
export function errnoClasses(text: string): ErrnoClass[] {
  const lower = text.toLowerCase();
  return (Object.keys(ERRNO_WORDING) as ErrnoClass[]).filter((c) => ERRNO_WORDING[c].some((x) => matches(text, lower, x)));
}

/**
 * Wording of a connection being set up, not of one in use: the same errno at connect time is a
 * server that could not be reached (an 08001 neighbour), never a lost session. Each runtime
 * names the operation: libpq `could not connect to server` / `connection to server at ... failed`
 * / `timeout expired`, Go `dial tcp`, Node `connect ETIMEDOUT`, JDK `java.net.ConnectException`,
 * urllib3 `Failed to establish a new connection`, aiohttp `Cannot connect to host`, Npgsql
 * `Exception while connecting`, PHP PDO's connect-time `SQLSTATE[08006] [7]` (the driver code in
 * brackets after the state; a failure on an open connection prints `SQLSTATE[08006]: ...: 7`).
 */
const CONNECT_PHASE =
  /could not connect to server|connection to server (?:at|on socket) .{0,200}?failed|timeout expired|\bdial tcp|\bconnect (?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|java\.net\.ConnectException|Failed to establish a new connection|Cannot connect to host|Exception while connecting|Failed to connect to|\bSQLSTATE\[[0-9A-Z]{5}\] \[\d+\]/i;

export function isConnectPhase(text: string): boolean {
  return CONNECT_PHASE.test(text.length > 200_000 ? text.slice(0, 200_000) : text);
}

/**
 * Every wording of the table in one case-insensitive alternation: almost no record names a
 * socket failure, and one search tells so, where the table walk lowers the whole text and
 * searches for each wording in turn. A hit only means the table is consulted.
 */
const ANY_WORDING = new RegExp(
  Object.values(ERRNO_WORDING)
    .flat()
    .map((x) => x.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'i',
);
const NON_ASCII = /[^\x00-\x7f]/;

/** The errno classes of a record and whether it failed while connecting (a refusal always is). */
export function socketFailure(text: string): { errno: ErrnoClass[]; connect: boolean } {
  // (Outside ASCII, toLowerCase folds letters the regex's ignore-case does not: the table decides.)
  if (!ANY_WORDING.test(text) && !isConnectPhase(text) && !NON_ASCII.test(text)) return { errno: [], connect: false };
  const errno = errnoClasses(text);
  return { errno, connect: errno.includes('ECONNREFUSED') || isConnectPhase(text) };
}
