/** The seven root causes of 08003 the product promises by stable id (tests share this list). */
export const SEVEN_CAUSES = [
  'idle-in-transaction-timeout',
  'stale-pool-after-restart',
  'held-across-external-call',
  'tcp-keepalive-nat-drop',
  'pool-recycle-exceeds-server-timeout',
  'pgbouncer-transaction-mode',
  'admin-terminated-backend',
] as const;
