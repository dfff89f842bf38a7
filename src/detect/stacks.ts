import type { LogEvent } from '../events.js';
import { STACK_DEFS } from '../remedy/stacks.js';

const REGISTRY_DETECTED = ['django', 'celery', 'airflow', 'psycopg2', 'go', 'rails', 'php'] as const;

/**
 * Which stacks an event shows, so remediation fits the user's setup: a dbt-only log gets
 * dbt profile advice, an ADF error gets linked-service advice.
 */
export function stacksOf(event: LogEvent): string[] {
  const stacks = new Set<string>();
  const t = event.text;
  const f = event.fields;
  const cls = `${f.exception ?? ''} ${f.driver ?? ''}`;
  if (/\bsqlalchemy\b/i.test(cls) || t.includes('sqlalche.me')) stacks.add('sqlalchemy');
  if (/psycopg/i.test(cls) || t.includes('psycopg')) stacks.add('psycopg');
  if (/asyncpg/i.test(cls) || t.includes('asyncpg')) stacks.add('asyncpg');
  if (event.format.startsWith('dbt-') || /\bdbt\b/.test(t)) stacks.add('dbt');
  if (event.format.startsWith('adf-') || /ErrorCode[:"=]|UserErrorOdbc|Activity failed/.test(t)) stacks.add('adf');
  if (/org\.postgresql|PSQLException|HikariPool|pgjdbc/.test(t)) stacks.add('jdbc');
  if (/Npgsql/i.test(t)) stacks.add('npgsql');
  if (/Connection terminated unexpectedly|not queryable|node_modules|ECONNRESET|pg-pool/.test(t)) stacks.add('node');
  if (/pgbouncer/i.test(t)) stacks.add('pgbouncer');
  // The stacks added with the remediation model are detected from the registry's own wording.
  for (const id of REGISTRY_DETECTED) if (STACK_DEFS[id].detect.test(t) || STACK_DEFS[id].detect.test(cls)) stacks.add(id);
  return [...stacks];
}
