import { describe, expect, it } from 'vitest';
import { redactReport, redactText, redactUrlPasswords } from '../../src/report/redact.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderOptions } from '../../src/report/reporter.js';
import { renderText } from '../../src/report/text.js';
import { causeEvidence, makeReport, sqlalchemyIncident, stalePoolCause } from './factory.js';

const cases: [string, string, string][] = [
  // [name, input, expected]
  ['SQLAlchemy URL', 'postgresql://etl:S3cret@db:5432/x', 'postgresql://etl:***@db:5432/x'],
  [
    'SQLAlchemy repr in an error',
    "sqlalchemy.exc.OperationalError: could not connect, url=postgres+psycopg2://etl:p%40ss@db.internal:5432/warehouse?sslmode=require",
    'sqlalchemy.exc.OperationalError: could not connect, url=postgres+psycopg2://etl:***@db.internal:5432/warehouse?sslmode=require',
  ],
  ['unencoded @ and / in the password', 'postgresql://etl:p@ss/w@rd@db:5432/x', 'postgresql://etl:***@db:5432/x'],
  [
    'Azure single-server user@server',
    'postgresql://etl@myserver:S3cret@myserver.postgres.database.azure.com:5432/db',
    'postgresql://etl@myserver:***@myserver.postgres.database.azure.com:5432/db',
  ],
  ['a port is not a password', 'postgresql://db:5432/x?user=etl@srv', 'postgresql://db:5432/x?user=etl@srv'],
  ['JDBC query password', 'jdbc:postgresql://host:5432/db?user=u&password=p4ss&ssl=true', 'jdbc:postgresql://host:5432/db?user=u&password=***&ssl=true'],
  ['libpq key=value', "psycopg2.connect('host=db port=5432 user=etl password=secret dbname=x')", "psycopg2.connect('host=db port=5432 user=etl password=*** dbname=x')"],
  ['libpq quoted', "host=db password='se cret' dbname=x", "host=db password='***' dbname=x"],
  ['libpq quoted with escaped quote', "password='it\\'s' dbname=x", "password='***' dbname=x"],
  [
    'ADF linked service (ODBC)',
    "ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [08003] connection does not exist; Connection string: Server=x.postgres.database.azure.com;Database=d;Port=5432;UID=etl;Password=S3cret!;SSL Mode=Require,Source=Microsoft.DataTransfer.Runtime.GenericOdbcConnectors,'",
    "ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [08003] connection does not exist; Connection string: Server=x.postgres.database.azure.com;Database=d;Port=5432;UID=etl;Password=***;SSL Mode=Require,Source=Microsoft.DataTransfer.Runtime.GenericOdbcConnectors,'",
  ],
  ['ODBC Pwd with spaces', 'Driver={PostgreSQL Unicode};Server=db;Uid=etl;Pwd=correct horse;', 'Driver={PostgreSQL Unicode};Server=db;Uid=etl;Pwd=***;'],
  ['ODBC braced', 'Uid=etl;Pwd={p;w}}d};Database=x', 'Uid=etl;Pwd={***};Database=x'],
  ['Npgsql', 'Host=db;Username=etl;Password=S3cret;Database=x', 'Host=db;Username=etl;Password=***;Database=x'],
  ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldGwifQ.c2lnbmF0dXJl', 'Authorization: Bearer ***'],
  ['bare JWT', 'token expired: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldGwifQ.c2lnbmF0dXJl at 10:02', 'token expired: *** at 10:02'],
  [
    'Azure SAS',
    'https://acct.blob.core.windows.net/stage/part-0001.parquet?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-05-02&sig=AbC%2Bdef%3D',
    'https://acct.blob.core.windows.net/stage/part-0001.parquet?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-05-02&sig=***',
  ],
  [
    'storage account key',
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc+def/ghi==;EndpointSuffix=core.windows.net',
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;EndpointSuffix=core.windows.net',
  ],
  ['AWS secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ***'],
  ['AWS env', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG', 'AWS_SECRET_ACCESS_KEY=***'],
  ['PGPASSWORD', 'PGPASSWORD=hunter2 psql -h db -U etl', 'PGPASSWORD=*** psql -h db -U etl'],
  ['generic pairs', 'api_key=abc123 token=xyz secret=shh client_secret: s3', 'api_key=*** token=*** secret=*** client_secret: ***'],
  ['JSON config', '{"host": "db", "password": "x y", "user": "etl"}', '{"host": "db", "password": "***", "user": "etl"}'],
  ['Python dict repr', "{'host': 'db', 'password': 'x', 'port': 5432}", "{'host': 'db', 'password': '***', 'port': 5432}"],
  // the encodings a report really quotes
  ['JSON-escaped (dbt JSON line)', String.raw`"msg": "connect {\"password\": \"x y\"} failed"`, String.raw`"msg": "connect {\"password\": \"***\"} failed"`],
  ['JSON-escaped key=value', String.raw`"msg": "dsn password=\"hunter2\" host=db"`, String.raw`"msg": "dsn password=\"***\" host=db"`],
  ['JSON-in-JSON', String.raw`{\"pwd\": \"a\\\"b\"}`, String.raw`{\"pwd\": \"***\"}`],
  [
    'pretty-printed ADF SecureString',
    '"password": {\n    "type": "SecureString",\n    "value": "S3cret"\n}',
    '"password": {\n    "type": "SecureString",\n    "value": "***"\n}',
  ],
  ['ALTER ROLE literal', "[SQL: ALTER ROLE etl WITH LOGIN PASSWORD 'it''s']", "[SQL: ALTER ROLE etl WITH LOGIN PASSWORD '***']"],
  ['CREATE USER literal', "CREATE USER etl PASSWORD 'S3cret' VALID UNTIL 'infinity'", "CREATE USER etl PASSWORD '***' VALID UNTIL 'infinity'"],
  ['libpq doubled quote', "password='it''s' dbname=x", "password='***' dbname=x"],
  ['a message cut mid-quote', "connect failed: password='S3cr", "connect failed: password='***"],
  ['URL digits then slash is a password', 'postgresql://etl:2024/Summer@db/x', 'postgresql://etl:***@db/x'],
  ["URL password with an apostrophe", "postgresql://etl:it's@db/x", 'postgresql://etl:***@db/x'],
  ['ODBC value with &', 'Uid=etl;Pwd=ab&cd;Database=x', 'Uid=etl;Pwd=***;Database=x'],
  ['service principal key and client secret', 'servicePrincipalKey=abc clientSecret: def', 'servicePrincipalKey=*** clientSecret: ***'],
  ['GitHub tokens', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789 github_pat_11ABCDEFG0123456789_abcdefghijk', 'ghp_*** github_pat_***'],
  ['Slack tokens and webhook', 'xoxb-123-456-abcdef https://hooks.slack.com/services/T000/B000/XXXXXXXX', 'xoxb-*** https://hooks.slack.com/services/***'],
  ['AWS access key id', 'key id AKIAIOSFODNN7EXAMPLE used', 'key id AKIA*** used'],
  ['PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQ\nAAAA\n-----END PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----'],
];

describe('redactText', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [, input] of cases) {
      const once = redactText(input);
      expect(redactText(once)).toBe(once);
    }
  });

  it('leaves ordinary PostgreSQL messages alone', () => {
    for (const s of [
      'FATAL:  password authentication failed for user "etl"',
      'FATAL:  terminating connection due to idle-in-transaction timeout',
      'ERROR:  duplicate key value violates unique constraint "orders_pkey"',
      'connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused',
      'postgresql://db.internal:5432/warehouse',
      'https://sqlalche.me/e/14/e3q8',
      '"continuationToken": null',
      'password_encryption = scram-sha-256',
      'ssl_key_file = server.key',
      'DETAIL:  Key (id)=(5) already exists.',
      'access_key_id=AKIA is shown elsewhere',
    ]) {
      expect(redactText(s)).toBe(s);
    }
  });

  it('is linear time on 1 MB adversarial inputs', { timeout: 60_000 }, () => {
    const N = 1 << 20;
    const fill = (s: string) => s.repeat(Math.ceil(N / s.length)).slice(0, N);
    const inputs = [
      fill('a'),
      fill('://a:'),
      fill('://a:1/'),
      'x://' + fill('u:'),
      fill('password='),
      fill("password='"),
      fill('password="'),
      fill('pwd={'),
      fill('password: '),
      fill('xpassword'),
      fill('a.b-c_'),
      fill("password='\\"),
      fill('token=a b'),
      fill('Pwd=a '),
      fill('eyJ'),
      fill('eyJabcd.'),
      'eyJ' + fill('a'),
      fill('bearer '),
      fill('Authorization: '),
      fill("://u:p password='x\" sig={ eyJabcd.eyJabcd. Bearer "),
    ];
    const started = performance.now();
    for (const s of inputs) redactText(s);
    const perInput = (performance.now() - started) / inputs.length;
    // quadratic behaviour on 1 MB would take minutes; linear is a few ms each
    expect(perInput).toBeLessThan(2000);
  });
});

describe('redactUrlPasswords', () => {
  it('handles several URLs in one text', () => {
    expect(redactUrlPasswords('a=postgresql://u:p@h/x b=redis://:pw@cache:6379/0')).toBe('a=postgresql://u:***@h/x b=redis://:***@cache:6379/0');
  });
});

describe('redactReport', () => {
  function secretReport() {
    const cause = stalePoolCause();
    cause.evidence[0] = causeEvidence({ text: 'engine url postgresql://etl:S3cret@db:5432/x' });
    cause.contradicting = [causeEvidence({ text: 'PGPASSWORD=hunter2', direction: 'against', weight: -0.2 })];
    const incident = sqlalchemyIncident({
      message: 'connect failed: host=db password=libpqpw',
      causes: [cause],
    });
    incident.evidence[0]!.text = 'Server=x.postgres.database.azure.com;UID=etl;Password=AdfPw1!;SSL Mode=Require';
    const report = makeReport({ incidents: [incident] });
    report.neighbours[0]!.text = 'jdbc:postgresql://db/x?user=u&password=jdbcpw';
    report.warnings = ['logs/x.log: Authorization: Bearer abcdefghijklmnop'];
    return report;
  }
  const secrets = /S3cret|hunter2|libpqpw|AdfPw1|jdbcpw|abcdefghijklmnop/;

  it('masks every quoted text and keeps sources/ids exact, without touching the input', () => {
    const report = secretReport();
    const before = JSON.stringify(report);
    const redacted = redactReport(report);
    expect(JSON.stringify(report)).toBe(before);
    expect(JSON.stringify(redacted)).not.toMatch(secrets);
    expect(redacted.incidents[0]!.source).toBe('logs/etl.log');
    expect(redacted.incidents[0]!.causes[0]!.evidence[0]!.text).toBe('engine url postgresql://etl:***@db:5432/x');
  });

  it('every format is redacted by default and keeps secrets with redact: false', () => {
    const report = secretReport();
    for (const render of [renderText, renderMarkdown]) {
      expect(render(report, renderOptions())).not.toMatch(secrets);
      const kept = render(report, renderOptions({ redact: false, explain: true }));
      expect(kept).toContain('S3cret');
      expect(kept).toContain('AdfPw1!');
    }
  });
});
