/**
 * Log Analytics exports of Azure Data Factory runs as CSV (format `adf-csv`): the portal's
 * default download of an `ADFActivityRun` / `ADFPipelineRun` query. The header row names the
 * columns (`TimeGenerated [UTC]`, `PipelineName`, `ActivityName`, `Status`, `ErrorCode`,
 * `ErrorMessage`, `FailureType`, `Error`, ...; the portal appends ` [UTC]` to time columns), so
 * the format learns the columns per source from it and then reads each row as the same record
 * the JSON reader reads (`adf-json.ts`): one event per failed row, its message the inner error
 * text and its time the row's end. Quoted fields may hold newlines, so a row continues while a
 * quote is open. Without the header no line is claimed: a CSV of something else stays generic.
 */
import type { LogEvent, RawRecord } from '../../events.js';
import type { FormatParser, RecordState } from '../types.js';
import { splitCsv } from '../postgres/pg-csv.js';
import { adfJsonEvents } from './adf-json.js';

/** Columns only ADF run tables have together; two of them make a header. */
const ADF_COLUMNS = ['ActivityRunId', 'PipelineRunId', 'PipelineName', 'ActivityName', 'ErrorMessage', 'FailureType', 'ActivityType', 'RunId'];

interface CsvState extends RecordState {
  header?: boolean;
  quotes: number;
}

const quoteCount = (line: string) => {
  let n = 0;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) n++;
  return n;
};

/** `TimeGenerated [UTC]` -> `TimeGenerated`; surrounding quotes and a BOM are gone already. */
const columnName = (raw: string) => raw.replace(/\s*\[[^\]]*\]\s*$/, '').trim();

function headerColumns(line: string): string[] | undefined {
  if (!line.includes(',') || line.length > 8000) return undefined;
  const cols = splitCsv(line.replace(/^\uFEFF/, '')).map(columnName);
  const known = cols.filter((c) => ADF_COLUMNS.includes(c)).length;
  return known >= 2 ? cols : undefined;
}

/**
 * The portal writes times as it shows them, `12/1/2025, 3:04:05.123 AM` in an en-US browser,
 * or ISO; both are read (the column's ` [UTC]` says the zone).
 */
const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))? ?(AM|PM)?$/i;

export function portalTime(text: string): string | undefined {
  const m = US_TIME.exec(text.trim());
  if (!m) return undefined;
  let hour = Number(m[4]) % 12;
  if (m[8]?.toUpperCase() === 'PM') hour += 12;
  else if (!m[8]) hour = Number(m[4]);
  const pad = (n: number | string, w = 2) => String(n).padStart(w, '0');
  const frac = (m[7] ?? '000').padEnd(3, '0').slice(0, 3);
  return `${m[3]}-${pad(m[1])}-${pad(m[2])}T${pad(hour)}:${m[5]}:${m[6]}.${frac}Z`;
}

const TIME_COLUMNS = ['TimeGenerated', 'End', 'Start'];

export function adfCsvFormat(): FormatParser {
  let columns: string[] | undefined;
  return {
    id: 'adf-csv',
    origin: 'orchestrator',
    describe: 'Azure Data Factory runs exported from Log Analytics as CSV (ADFActivityRun, ADFPipelineRun)',
    start(line) {
      const header = headerColumns(line);
      if (header) {
        columns = header;
        return { header: true, quotes: 0, complete: true } satisfies CsvState;
      }
      if (!columns || line.trim() === '') return undefined;
      return { quotes: quoteCount(line) };
    },
    continues(state, line) {
      const s = state as CsvState;
      if (s.header || s.quotes % 2 === 0) return 'no';
      s.quotes += quoteCount(line);
      return 'must';
    },
    parse(record: RawRecord, state): LogEvent[] {
      if ((state as CsvState).header || !columns) return [];
      const values = splitCsv(record.lines.join('\n'));
      const row: Record<string, string> = {};
      columns.forEach((c, i) => {
        if (values[i] !== undefined && values[i] !== '') row[c] = values[i];
      });
      for (const c of TIME_COLUMNS) if (row[c]) row[c] = portalTime(row[c]) ?? row[c];
      // The end of a run still in progress is not a time; the JSON reader knows that shape.
      const events = adfJsonEvents(record, row);
      for (const e of events) {
        e.format = 'adf-csv';
        // Rules read the decoded error texts, not the row with its CSV quoting.
        e.matchText = [row.ErrorMessage, row.Error].filter(Boolean).join('\n') || undefined;
      }
      return events;
    },
    perSource: () => adfCsvFormat(),
  };
}
