/**
 * Localized server logs: lines built from PostgreSQL's own message catalogs (the committed
 * translation table), in the Debian prefix. A server-only German log gives its incident, and the
 * same line beside a client log is joined as evidence.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/index.js';
import { SERVER_TRANSLATIONS } from '../../src/rules/server-translations.js';

const tr = (msgid: string, locale: string) => {
  const t = SERVER_TRANSLATIONS[msgid]?.[locale];
  if (!t) throw new Error(`no ${locale} translation of "${msgid}" in the table`);
  return t;
};

describe('localized server messages', () => {
  it('the table holds the rules’ server messages in the main locales', () => {
    for (const locale of ['de', 'fr', 'es', 'ja', 'zh_CN', 'ru']) {
      expect(tr('terminating connection due to administrator command', locale)).not.toBe('terminating connection due to administrator command');
      expect(tr('terminating connection due to idle-in-transaction timeout', locale).length).toBeGreaterThan(10);
    }
  });

  it.each(['de', 'fr', 'es'])('%s: a server-only log gives the idle-in-transaction incident', async (locale) => {
    const text = `2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  ${tr('terminating connection due to idle-in-transaction timeout', locale)}`;
    const report = await triage({ name: 'postgresql.log', content: text });
    expect(report.incidents.map((i) => [i.line, i.causes[0].id])).toEqual([[1, 'idle-in-transaction-timeout']]);
  });

  it('de: beside the client log, the translated server line decides the cause', async () => {
    const client = [
      '2025-03-02 04:17:39,120 ERROR billing.sync: batch 12 failed',
      'Traceback (most recent call last):',
      '  File "/srv/billing/sync.py", line 91, in push',
      'psycopg2.OperationalError: server closed the connection unexpectedly',
    ].join('\n');
    const server = `2025-03-02 04:17:38.900 UTC [4242] billing@ledger FATAL:  ${tr('terminating connection due to administrator command', 'de')}`;
    const report = await triage([
      { name: 'app.log', content: client },
      { name: 'postgresql.log', content: server },
    ]);
    expect(report.incidents).toHaveLength(1);
    expect(report.incidents[0].evidence.some((e) => e.source === 'postgresql.log')).toBe(true);
    expect(report.incidents[0].causes[0].id).toBe('admin-terminated-backend');
  });

  it('ja: a translated severity still lets the wording make the incident', async () => {
    const text = `2025-03-02 04:17:38.900 UTC [4242] billing@ledger 致命的エラー:  ${tr('terminating connection due to administrator command', 'ja')}`;
    const report = await triage({ name: 'postgresql.log', content: text });
    expect(report.incidents).toHaveLength(1);
  });
});
