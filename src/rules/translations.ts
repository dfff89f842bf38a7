import { SERVER_TRANSLATIONS } from './server-translations.js';

/**
 * A `contains` that quotes a PostgreSQL server message also holds for its translations: a server
 * with `lc_messages` in another language prints `Verbindung wird abgebrochen ...` for
 * `terminating connection due to administrator command`. The translations come from the server's
 * own catalogs (`server-translations.ts`), and being rule literals they reach the prefilter too.
 */
export function withTranslations(values: readonly string[]): string[] {
  const out = [...values];
  for (const v of values) {
    const t = SERVER_TRANSLATIONS[v];
    if (!t) continue;
    for (const s of Object.values(t)) if (!out.includes(s)) out.push(s);
  }
  return out;
}
