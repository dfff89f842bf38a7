/** `n` one-line psycopg2 incidents ten minutes apart (each its own incident), from the `from`-th on. */
export function manyIncidents(n, from = 0) {
  const t0 = Date.UTC(2024, 4, 1);
  const lines = [];
  for (let i = from; i < from + n; i++) {
    const t = new Date(t0 + i * 600_000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    lines.push(`${t} ERROR etl.load: psycopg2.OperationalError: server closed the connection unexpectedly\n`);
  }
  return lines.join('');
}
