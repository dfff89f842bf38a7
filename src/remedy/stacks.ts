/**
 * The stacks pgtriage fits remediation to: one registry from which the rule loader's accepted
 * keys, stack detection, the lint of missing (cause, stack) pairs and docs/remediation.md all
 * derive. Insertion order is the order steps are shown in when several stacks are seen.
 *
 * `supersedes`: when this stack is seen, steps of the listed ones are dropped, because the
 * specific stack owns the knob (Django opens the psycopg connections itself; a dbt profile, not
 * psycopg2 code, sets the driver's options; ADF configures Npgsql through its linked service).
 */
export type Component = 'client' | 'orchestrator' | 'pooler' | 'server';

export interface StackDef {
  title: string;
  component: Component;
  supersedes?: readonly string[];
  /** Wording that shows the stack in an event's text or exception/driver class. */
  detect?: RegExp;
}

export const STACK_DEFS = {
  django: { title: 'Django (persistent connections)', component: 'client', supersedes: ['psycopg2', 'psycopg'], detect: /\bdjango\b|CONN_MAX_AGE/i },
  celery: { title: 'Celery workers', component: 'orchestrator', detect: /\bcelery\b|ForkPoolWorker-\d+/ },
  airflow: { title: 'Apache Airflow', component: 'orchestrator', supersedes: ['sqlalchemy'], detect: /\bairflow\b|taskinstance\.py|AIRFLOW_CTX_/ },
  dbt: { title: 'dbt (postgres / redshift adapters)', component: 'orchestrator', supersedes: ['psycopg2', 'psycopg'] },
  adf: { title: 'Azure Data Factory', component: 'orchestrator', supersedes: ['npgsql'] },
  sqlalchemy: { title: 'SQLAlchemy', component: 'client', detect: /\bsqlalchemy\b|sqlalche\.me/i },
  psycopg2: { title: 'psycopg2', component: 'client', supersedes: ['psycopg'], detect: /psycopg2/ },
  psycopg: { title: 'psycopg 3 / psycopg_pool', component: 'client', detect: /\bpsycopg(?!2)(?:_pool)?\b|psycopg\.(?:errors|OperationalError)/ },
  asyncpg: { title: 'asyncpg', component: 'client', detect: /asyncpg/ },
  npgsql: { title: 'Npgsql / EF Core', component: 'client', detect: /Npgsql/i },
  jdbc: { title: 'pgjdbc / HikariCP / Spring', component: 'client', detect: /org\.postgresql|PSQLException|HikariPool|com\.zaxxer\.hikari|pgjdbc/ },
  node: { title: 'node-postgres / pg-pool / Prisma / Knex', component: 'client', detect: /Connection terminated unexpectedly|not queryable|node_modules|pg-pool|\bprisma\b|\bknex\b|idleTimeoutMillis/i },
  go: { title: 'Go (pgx, lib/pq, database/sql)', component: 'client', detect: /\bpgx(?:pool)?\b|github\.com\/lib\/pq|\bpq: |database\/sql|\bgoroutine \d+/ },
  rails: { title: 'Ruby on Rails / ActiveRecord / ruby-pg', component: 'client', detect: /ActiveRecord::|\bPG::[A-Z]\w+|\.rb:\d+:in /},
  php: { title: 'PHP PDO / pgsql', component: 'client', detect: /\bPDOException\b|SQLSTATE\[[0-9A-Z]{5}\]|\bpg_connect\b|\.php(?::| on line )\d+/ },
  pgbouncer: { title: 'PgBouncer', component: 'pooler', detect: /pgbouncer/i },
  server: { title: 'PostgreSQL server (self-managed, Azure Flexible Server, RDS/Aurora)', component: 'server' },
} as const satisfies Record<string, StackDef>;

export type StackId = keyof typeof STACK_DEFS;
export const STACK_IDS = Object.keys(STACK_DEFS) as StackId[];
/** Keys a cause's `remediation` map accepts: every stack, and `generic` for any stack. */
export const REMEDIATION_KEYS: readonly string[] = [...STACK_IDS, 'generic'];

export function stackDef(id: string): StackDef | undefined {
  return (STACK_DEFS as Record<string, StackDef>)[id];
}
