/**
 * Credential shapes and the carriers that quote them, for the redaction property test.
 *
 * A shape turns two random "secret segments" into the credential text a program would log
 * (`password=<a>&<b>`, `postgresql://etl:<a>/<b>@db`, a PEM block, ...). The test asserts
 * that no segment survives in any rendering, so a partial mask (the value cut at `&`, a URL
 * read as host:port) is a leak too. A carrier puts a line holding the credential where a
 * real log would have it, next to a failure of the 08003 family, so the pipeline quotes it.
 */
export interface Shape {
  name: string;
  /** The credential as the program wrote it (before any JSON encoding by the carrier). */
  make(a: string, b: string): string;
  /** Shapes with a key of their own also fit as a structured document value. */
  key?: string;
}

const NAMES = [
  'password', 'pwd', 'passwd', 'PGPASSWORD', 'db_password', 'secret', 'client_secret', 'clientSecret',
  'token', 'access_token', 'apikey', 'api_key', 'x-api-key', 'accountKey', 'servicePrincipalKey',
  'sasToken', 'aws_secret_access_key', 'private_key',
];

export const SHAPES: Shape[] = [
  ...NAMES.map((k) => ({ name: `${k}=`, key: k, make: (a: string, b: string) => `${k}=${a}${b}` })),
  ...NAMES.map((k) => ({ name: `"${k}": "..."`, key: k, make: (a: string, b: string) => `{"host": "db", "${k}": "${a}-${b}", "port": 5432}` })),
  { name: "libpq password='..''..'", make: (a, b) => `host=db user=etl password='${a}''s ${b}' dbname=x` },
  { name: "python repr 'password': 'x'", make: (a, b) => `{'host': 'db', 'password': '${a}\\'${b}', 'port': 5432}` },
  { name: 'key: value (yaml)', make: (a, b) => `password: ${a}${b}` },
  { name: 'Pwd=ab&cd;', make: (a, b) => `Driver={PostgreSQL Unicode};Server=db;Uid=etl;Pwd=${a}&${b};Database=x` },
  { name: 'Pwd={braced;}', make: (a, b) => `Server=db;Uid=etl;Pwd={${a};${b}}};Database=x` },
  { name: 'Password=with space;', make: (a, b) => `Host=db;Username=etl;Password=${a} ${b};Database=x` },
  { name: 'AccountKey=', make: (a, b) => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${a}+${b}==;EndpointSuffix=core.windows.net` },
  { name: 'SAS sig=', make: (a, b) => `https://acct.blob.core.windows.net/c/p.parquet?sv=2022-11-02&sp=r&sig=${a}%2B${b}%3D` },
  { name: 'URL userinfo', make: (a, b) => `postgresql://etl:${a}${b}@db.internal:5432/shop` },
  { name: 'URL digits/slash', make: (a, b) => `postgresql://etl:2024/${a}${b}@db:5432/shop` },
  { name: 'URL digits-only password', make: (a, b) => `postgresql://etl:${digits(a)}${digits(b)}@db:5432/shop` },
  { name: "URL apostrophe", make: (a, b) => `postgresql+psycopg2://etl:${a}'${b}@db/shop` },
  { name: 'URL unencoded @', make: (a, b) => `postgres://etl:${a}@${b}@db:5432/shop` },
  { name: 'JDBC password param', make: (a, b) => `jdbc:postgresql://db:5432/shop?user=etl&password=${a}${b}&ssl=true` },
  { name: 'ALTER ROLE PASSWORD', make: (a, b) => `ALTER ROLE etl WITH LOGIN PASSWORD '${a}''${b}'` },
  { name: 'CREATE USER PASSWORD', make: (a, b) => `CREATE USER etl PASSWORD '${a}${b}' VALID UNTIL 'infinity'` },
  { name: 'Authorization: Bearer', make: (a, b) => `Authorization: Bearer ${a}.${b}` },
  { name: 'JWT', make: (a, b) => `eyJhbGciOiJIUzI1NiJ9.eyJ${a}.${b}` },
  { name: 'ghp_', make: (a, b) => `ghp_${pad(a + b, 36)}` },
  { name: 'github_pat_', make: (a, b) => `github_pat_11${pad(a, 20)}_${pad(b, 59)}` },
  { name: 'xoxb-', make: (a, b) => `xoxb-1234567890-${digits(a)}-${a}${b}` },
  { name: 'xoxp-', make: (a, b) => `xoxp-1234567890-9876543210-${a}${b}` },
  { name: 'Slack webhook', make: (a, b) => `https://hooks.slack.com/services/T0${up(a)}/B0${up(b)}/${a}${b}` },
  { name: 'AWS AKIA', make: (a, b) => `AKIA${up(a + b).slice(0, 16).padEnd(16, 'Q')}` },
  {
    name: 'PEM private key',
    make: (a, b) => `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${a}\n${b}AKCAQEA\n-----END RSA PRIVATE KEY-----`,
  },
];

function pad(s: string, n: number): string {
  return (s + 'x7Kq'.repeat(n)).slice(0, n);
}
function up(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, 'Z');
}
function digits(s: string): string {
  return [...s].map((c) => String(c.charCodeAt(0) % 10)).join('');
}

/** The parts of a credential that must never appear: what `make` puts in (or derives from the segments). */
export function secretParts(shape: Shape, a: string, b: string): string[] {
  const text = shape.make(a, b);
  const parts = [a, b, digits(a), digits(b), up(a), up(b)].filter((p) => p.length >= 6 && text.includes(p));
  return [...new Set(parts)];
}

export interface Carrier {
  name: string;
  /** File name and content of a log that quotes `credential` next to an 08003-family failure. */
  make(credential: string, shape: Shape, secret: string): { name: string; text: string };
}

const FAIL = 'psycopg2.OperationalError: server closed the connection unexpectedly';

export const CARRIERS: Carrier[] = [
  {
    name: 'plain (python logging)',
    make: (c) => ({ name: 'app.log', text: `2024-05-01 02:00:00,000 ERROR etl.load: ${FAIL} (while using ${c})\n` }),
  },
  {
    name: 'traceback SQL literal',
    make: (c) => ({
      name: 'app.log',
      text: [
        '2024-05-01 02:00:00,000 ERROR etl.load: statement failed',
        'Traceback (most recent call last):',
        '  File "/app/load.py", line 12, in run',
        '    conn.execute(stmt)',
        `sqlalchemy.exc.OperationalError: (${FAIL.replace(': ', ') ')}`,
        `[SQL: ${c}]`,
        '(Background on this error at: https://sqlalche.me/e/20/e3q8)',
        '',
      ].join('\n'),
    }),
  },
  {
    name: 'JSON-escaped (dbt --log-format json)',
    make: (c) => {
      const msg = `Postgres adapter: ${FAIL.replace('psycopg2.OperationalError: ', '')} (connection ${c})\n`;
      const line = {
        data: { base_msg: msg, name: 'Postgres adapter' },
        info: { code: 'E001', level: 'error', msg, name: 'AdapterEventDebug', ts: '2024-05-01T12:00:03.000000Z' },
      };
      return { name: 'dbt.log', text: JSON.stringify(line) + '\n' };
    },
  },
  {
    name: 'JSON-in-JSON (ADF error message)',
    make: (c) => {
      const inner = JSON.stringify({ error: 'ERROR [08003] connection does not exist', linkedService: c });
      const doc = {
        errorCode: '2200',
        message: `Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,Message=ERROR [08003] connection does not exist; details: ${inner}`,
        failureType: 'UserError',
        target: 'CopyOrders',
        details: [],
      };
      return { name: 'adf-error.json', text: JSON.stringify(doc) + '\n' };
    },
  },
  {
    name: 'pretty-printed document (ADF run output)',
    make: (c, shape, secret) => {
      // The linked-service document as ADF exports it: the secret is the `value` of a
      // SecureString object lines below its key.
      const props: Record<string, unknown> = { connectVia: { referenceName: 'ir', type: 'IntegrationRuntimeReference' } };
      if (shape.key) props[shape.key] = { type: 'SecureString', value: secret };
      else props.connectionString = c;
      const doc = {
        errorCode: '2200',
        message: "Failure happened on 'Source' side. ErrorCode=UserErrorOdbcOperationFailed,Message=ERROR [08003] connection does not exist;",
        failureType: 'UserError',
        target: 'CopyOrders',
        linkedService: { name: 'ls_pg', properties: { type: 'AzurePostgreSql', typeProperties: props } },
      };
      return { name: 'adf-activity.json', text: JSON.stringify(doc, null, 4) + '\n' };
    },
  },
];
