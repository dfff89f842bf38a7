/**
 * SQLSTATE evidence in client-side texts: driver exception class names that imply a code,
 * and the places where drivers and wrappers print a code next to the message.
 */

/** Driver exception class (last name component) → SQLSTATE, for the connection-loss family. */
const CLASS_CODES: Record<string, string> = {
  // psycopg2.errors / psycopg.errors (same class names in both drivers)
  AdminShutdown: '57P01',
  CrashShutdown: '57P02',
  CannotConnectNow: '57P03',
  IdleSessionTimeout: '57P05',
  IdleInTransactionSessionTimeout: '25P03',
  TransactionTimeout: '25P04',
  InFailedSqlTransaction: '25P02',
  TooManyConnections: '53300',
  InvalidPassword: '28P01',
  InvalidAuthorizationSpecification: '28000',
  InvalidSqlStatementName: '26000',
  DuplicatePreparedStatement: '42P05',
  ConnectionDoesNotExist: '08003',
  ConnectionFailure: '08006',
  ConnectionException: '08000',
  SqlclientUnableToEstablishSqlconnection: '08001',
  SqlserverRejectedEstablishmentOfSqlconnection: '08004',
  ProtocolViolation: '08P01',
  QueryCanceled: '57014',
  // asyncpg.exceptions
  ConnectionDoesNotExistError: '08003',
  AdminShutdownError: '57P01',
  CrashShutdownError: '57P02',
  CannotConnectNowError: '57P03',
  IdleSessionTimeoutError: '57P05',
  IdleInTransactionSessionTimeoutError: '25P03',
  TooManyConnectionsError: '53300',
  InvalidPasswordError: '28P01',
  InvalidSQLStatementNameError: '26000',
  DuplicatePreparedStatementError: '42P05',
  ConnectionFailureError: '08006',
  ProtocolViolationError: '08P01',
  QueryCanceledError: '57014',
};

/** Modules whose class names carry a SQLSTATE (psycopg2's base classes such as `OperationalError` do not). */
const CODED_MODULE = /^(?:psycopg2\.errors|psycopg\.errors|asyncpg\.exceptions(?:\._base)?)$/;

/** SQLSTATE implied by a printed exception class such as `psycopg2.errors.AdminShutdown`. */
export function codeForClass(cls: string | undefined): string | undefined {
  if (!cls) return undefined;
  const dot = cls.lastIndexOf('.');
  const name = dot < 0 ? cls : cls.slice(dot + 1);
  const code = Object.hasOwn(CLASS_CODES, name) ? CLASS_CODES[name] : undefined;
  if (!code) return undefined;
  if (dot < 0) return code; // bare class name as printed by some loggers
  return CODED_MODULE.test(cls.slice(0, dot)) ? code : undefined;
}

/** Driver class names that imply `code` (so a rule on that code can be prefiltered by them). */
export function classNamesForCode(code: string): string[] {
  return Object.keys(CLASS_CODES).filter((name) => CLASS_CODES[name] === code.toUpperCase());
}

/** True when `name` (last component) is one of the driver classes that imply a code. */
export function isCodedClassName(name: string): boolean {
  return  Object.hasOwn(CLASS_CODES, name);
}

/** SQLSTATE classes defined by PostgreSQL (first two characters). */
const CLASSES = new Set([
  '00', '01', '02', '03', '08', '09', '0A', '0B', '0F', '0L', '0P', '0Z', '20', '21', '22', '23', '24',
  '25', '26', '27', '28', '2B', '2D', '2F', '34', '38', '39', '3B', '3D', '3F', '40', '42', '44', '53',
  '54', '55', '57', '58', '72', 'F0', 'HV', 'P0', 'XX',
]);

/** Is `code` shaped like a PostgreSQL/ODBC SQLSTATE (5 chars, known class)? `08S01` is ODBC's. */
export function isSqlstate(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code) && CLASSES.has(code.slice(0, 2)) && /\d/.test(code);
}

// Where codes are printed next to a message. Each has one capture group: the code.
const CODE_PATTERNS: RegExp[] = [
  /\bERROR \[([0-9A-Z]{5})\]/gi, // ODBC: `ERROR [08003] ...`
  /\bSQL ?STATE\b[\s:=[(]*([0-9A-Z]{5})\b/gi, // `SQLSTATE 08006`, `SQLSTATE[08006]`, `SQL State  : 28P01`
  /\bpgcode\b[\s:='"]*([0-9A-Z]{5})\b/gi, // psycopg2 attribute dumps
  /\bCODE[=:]\s*'?([0-9A-Z]{5})\b/g, // `CODE=57P01` (r2dbc), `code: 08P01`
  /\bcode:\s+'?([0-9A-Z]{5})\b/g,
  /(?:^|[\s'"=,>(])([0-9A-Z]{5}): (?=\S)/g, // Npgsql `{SqlState}: {MessageText}`
];

/** Collects SQLSTATE codes printed in `text`, first-seen order, without duplicates. */
export function codesInText(text: string, into: string[] = []): string[] {
  if (text.length > 200_000) text = text.slice(0, 200_000);
  for (const re of CODE_PATTERNS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const code = m[1].toUpperCase();
      if (isSqlstate(code) && !into.includes(code)) into.push(code);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return into;
}

const CODED_CLASS_IN_TEXT =
  /\b(?:psycopg2\.errors|psycopg\.errors|asyncpg\.exceptions(?:\._base)?)\.([A-Z][A-Za-z]+)\b/g;

/** Codes implied by driver class names mentioned anywhere in `text` (e.g. inside a log message). */
export function codesFromClassNames(text: string, into: string[] = []): string[] {
  if (text.length > 200_000) text = text.slice(0, 200_000);
  CODED_CLASS_IN_TEXT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CODED_CLASS_IN_TEXT.exec(text)) !== null) {
    const code = CLASS_CODES[m[1]];
    if (code && !into.includes(code)) into.push(code);
  }
  return into;
}
