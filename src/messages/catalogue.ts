/**
 * The wording pgtriage itself writes to its users (the rule pack's own words live in rules/),
 * keyed by a stable id in the manner of typescript-eslint's `meta.messages`. Code names an id
 * and hands over the values; only this table holds the sentences, so they can be reworded in
 * one place, and tests can assert which message was said, in which position, without quoting
 * prose. An id is a promise like a JSON key (`warningIds`, `incidents[].missingIds` carry
 * them): reword freely, never rename or reuse one.
 *
 * `{name}` is a placeholder; the type of `say` (./say.ts) requires exactly the names a
 * template uses. test/messages/catalogue.test.ts checks that every entry is used in src/.
 */
export const MESSAGES = {
  // --- What would decide it (incidents[].missing), src/score/missing.ts ---------------------
  'decide.overturn': 'Only {evidence} ({where}) would make {cause} overturn this ranking.',
  'decide.server-log':
    'The PostgreSQL server log for {when} would show whether the server ended the session (and why) or never saw it end.',
  'decide.between': 'To tell {a} from {b}: {evidence} — {where} (for {favours}).',
  'decide.whether': 'To tell whether it is {a}: {evidence} — {where} (for {favours}).',
  'decide.pool-mode':
    "The pooler's pool_mode (SHOW CONFIG on PgBouncer's admin console, or pgbouncer.ini), or whether the connection string's port is the pooler's, would decide it.",
  'decide.nothing':
    "Nothing in the input points at a specific cause; the server log, the pool settings and the job's own lines before the failure would.",
  // Where the deciding evidence would be found; `{when}` is a window or `decide.when-unknown`.
  'decide.where-server': 'the PostgreSQL server log for {when}',
  'decide.where-pooler': 'the PgBouncer log, or its pool_mode (SHOW CONFIG on the admin console, pgbouncer.ini)',
  'decide.where-settings':
    "the settings (pool lifetime, SHOW idle_session_timeout / idle_in_transaction_session_timeout, pgbouncer.ini pool_mode, or whether the DSN port is the pooler's)",
  'decide.where-client': "the application's own lines of the failing session between its last statement and the failure",
  'decide.when-unknown': 'the time of the failure',
  'decide.window': '{from}-{to} UTC',

  // --- The `unknown` hypothesis when the rule pack does not define it, src/score/rank.ts -----
  'unknown.title': 'Not enough evidence to name a cause',
  'unknown.summary':
    'The logs show the failure but nothing that singles out one cause; the causes nothing points at (and ones pgtriage does not model) share this mass.',

  // --- Warnings (report.warnings, with report.warningIds) ------------------------------------
  'warning.lines-truncated': '{count} over-long line(s) were cut at {max} characters',
  'warning.records-truncated': '{count} record(s) were cut at the record size cap',
  'warning.records-capped':
    '{count} record(s) joined an incident beyond the {cap} kept per incident (mostly matched by: {rules}); they count in its facts but are not kept or quoted',
  'warning.incidents-omitted': '{count} incident(s) beyond the report cap were counted but not listed',
  'warning.input-empty': 'the input was empty',
  'warning.prefilter-off': 'the byte prefilter is off because these rules have no literal text to look for: {rules}',
  'warning.source-failed': '{source}: {error}',
  'warning.concluded-early':
    '{count} incident(s) concluded before every file of their case was read up to them (too many waiting); their evidence may miss lines of files read later',
  'warning.only-nul': '{source}: contains only NUL bytes; skipped',
  'warning.binary': '{source}: looks like a binary file; skipped',
  'warning.control-burst': '{source}: {count} control byte(s) in {regions} KiB of the first {sample} KiB; read as text, quoted escaped',
  'warning.leading-nul': '{source}: skipped {count} NUL byte(s) at the start (a log truncated while its writer kept its offset?)',
  'warning.rule-pack-loop': 'rule pack {pack}: {entry} leads back into the pack (a symbolic link loop); not followed',
  'warning.rule-pack-broken-link': 'rule pack {pack}: {entry} is a broken symbolic link; skipped',
  'warning.rule-overrides': 'rule {rule} from {file}:{line} overrides the one from {previousFile}:{previousLine}',
  'warning.cause-overrides': 'cause {cause} from {file}:{line} overrides the earlier definition',
  'warning.sources-apart': '{case}sources that do not overlap in time cannot be joined: {groups}',
  'warning.sources-apart-naive': '{case}sources that do not overlap in time cannot be joined: {groups}; {hints}',
  'warning.zone-shifted':
    '{source} printed its times without a zone; they were read as local time at UTC{zone}, which lines up {matched} of its {failures} failure(s) with {against} (pass {source}@tz=ZONE to read them otherwise)',
  'warning.zone-hint': '{naive} printed its times without a zone: if they are local time at UTC{zone}, pass {naive}@tz={zone} (or --tz {zone})',

  // --- How each source was read (sources[].detection), src/report/summary.ts ----------------
  'detection.not-read': 'not read',
  'detection.partly-read': 'partly read, until the error; {rest}',
  'detection.binary': 'binary content, skipped',
  'detection.forced': 'forced with --input-format {format}',
  'detection.no-records': 'no records',
  'detection.main-format': '{format}: {count} record(s) matched its layout',
  'detection.main-format-and-others': '{format}: {count} record(s) matched its layout; also {others}',
} as const;

export type MessageId = keyof typeof MESSAGES;
