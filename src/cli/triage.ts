/**
 * The analysis run of the CLI, imported by main.ts once the command line asks for one: the
 * settings, the rule pack, the inputs, the session fed from them and the report written.
 */
import { feedSources, followInto } from '../input/feed.js';
import { expandInputs } from '../input/sources.js';
import { DEFAULT_RULES_DIR, loadRulePacks } from '../input/rule-files.js';
import { splitZones } from './zones.js';
import type { RulePack } from '../rules/types.js';
import { reporters, reporterNames } from '../report/index.js';
import { canStream, type RenderOptions } from '../report/reporter.js';
import { shouldColor } from '../report/color.js';
import { TriageSession } from '../session.js';
import type { Report } from '../report-types.js';
import { EXIT_ERROR, EXIT_INCIDENTS, EXIT_OK, resolveOptions, UsageError, type CliOptions, type ParsedArgs } from './args.js';
import { printConfig, readConfig } from './config.js';
import { Progress, wantProgress } from './progress.js';
import { resolveWindow } from './window.js';
import { verdict } from '../report/common.js';
import { sanitizeLine } from '../report/sanitize.js';
import { openOutput, say, writeAll, type Output } from './output.js';
import { HELD_OUTPUT_CHARS, HeldOutput, regularFiles } from './held-output.js';
import type { ZoneShift } from '../records/alignment.js';

export async function triage(parsed: ParsedArgs): Promise<number> {
  const { config, how } = await readConfig(parsed.config);
  const options = resolveOptions(parsed, config);
  if (parsed.printConfig) return writeAll(printConfig({ file: config?.file, how }, options.settings, options.origins));
  const reporter = reporters[options.format as keyof typeof reporters];
  if (!reporter) throw new UsageError(`unknown --format "${options.format}" (choose ${reporterNames.join(', ')})`);
  const pack = await loadPack(options);
  if (options.command === 'rules') return (await import('./rules-command.js')).runRulesCommand(options, pack);
  for (const notice of pack.notices) say(`pgtriage: ${notice}`);

  const follow = options.follow;
  if (follow && options.inputs.length === 0) throw new UsageError('--follow needs files or globs to follow');
  if (follow && options.inputs.includes('-')) throw new UsageError('--follow reads files; a pipe into stdin is already read as it comes');
  const inputs = options.inputs.length ? options.inputs : process.stdin.isTTY ? [] : ['-'];
  if (inputs.length === 0) throw new UsageError('no input: give log files, directories or globs, or pipe a log into stdin');
  // `path@tz=ZONE` suffixes are taken off before the inputs are expanded.
  const zones = splitZones(inputs);
  // Followed paths are expanded by the follower on every poll (files may appear later).
  const { sources, problems, skipped } = follow
    ? { sources: [], problems: [], skipped: [] }
    : await expandInputs(zones.inputs, () => process.stdin, { ignore: options.ignore, followSymlinks: options.followSymlinks });
  // Each problem is said once, here and at once; the report's copy of it is not repeated below.
  for (const p of problems) process.stderr.write(`pgtriage: ${sanitizeLine(p.input)}: ${p.message}\n`);
  if (sources.length === 0 && !follow) return EXIT_ERROR;
  const said = new Set(problems.map((p) => `${p.input}: ${p.message}`));
  // Opened before the analysis, so an unwritable path fails at once.
  const out: Output = await openOutput(options.outputFile, process.stdout);
  const toTerminal = options.outputFile === undefined && !!process.stdout.isTTY;

  const render: RenderOptions = {
    color: shouldColor({ env: process.env, isTTY: toTerminal, flag: options.color }),
    explain: options.explain,
    redact: options.redact,
    width: options.width ?? (toTerminal ? process.stdout.columns : undefined),
    ...(options.maxChars !== undefined ? { maxChars: options.maxChars } : {}),
    perDirectory: options.perDirectory,
  };
  const live = follow || sources.some((s) => s.name === '<stdin>');
  render.live = live;
  // Every format but ndjson is written from a document stream, so the run never keeps every
  // incident: JSON writes each as it is concluded, text and Markdown fold each into its
  // problem (O(problems) memory) and lay the report out at the end (live input: as they come).
  const streaming = !options.quiet && (!!reporter.createStream || (canStream(reporter) && options.format === 'ndjson'));
  const progress = !follow && wantProgress(options.progress, process.stderr, process.env)
    ? new Progress(sources, process.stderr, () => session.analyzer.incidentsFound)
    : undefined;
  // A run over files may be read again with a naive source at a zone offset (session.zoneShifts):
  // its output is held back until that is decided, up to a bound past which it is written as usual.
  const held = options.zoneShift && !live && sources.length > 1 && !options.quiet ? new HeldOutput(HELD_OUTPUT_CHARS, (text) => out.write(text)) : undefined;
  const write = (text: string) => {
    progress?.clear();
    if (!held?.hold(text)) out.write(text);
  };
  let documentStream: ReturnType<NonNullable<typeof reporter.createStream>> | undefined;
  const start = (shifts?: ZoneShift[]) => {
    documentStream = options.quiet ? undefined : reporter.createStream?.(render);
    const made = new TriageSession(pack, {
      inputFormat: options.inputFormat,
      format: { pgPrefix: options.pgPrefix },
      skewMs: options.skewMs,
      prefilter: options.prefilter,
      perDirectory: options.perDirectory,
      window: resolveWindow(options.since, options.until, follow ? [] : sources.map((s) => s.name), live || sources.some((s) => !s.readSmall), { tz: options.tz, zoneOf: zones.zoneOf }),
      tz: options.tz,
      zoneOf: zones.zoneOf,
      ...(shifts ? { shifts } : {}),
      retainIncidents: !streaming,
      problemIds: options.format !== 'text' && options.format !== 'markdown' && options.format !== 'github',
      ...(options.maxLineChars ? { lineLimits: { maxLineChars: options.maxLineChars } } : {}),
      onIncident: streaming
        ? (incident) => write(documentStream ? documentStream.incident(incident) : reporter.renderIncident!(incident, render))
        : undefined,
    });
    for (const p of problems) made.failSource(p.input, p.message);
    for (const entry of skipped) made.skipFile(entry);
    if (documentStream) write(documentStream.begin());
    return made;
  };
  let session = start();

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  // Between slices of input: wait for the output to drain; stop reading once it cannot take more.
  const pace = (): Promise<void> | undefined => {
    if (out.stopped) abort.abort();
    return out.drained()?.catch(() => abort.abort());
  };
  let report: Report;
  try {
    if (follow) {
      const { Follower } = await import('../input/follow.js');
      const follower = new Follower(zones.inputs, {
        data: (name, chunk) => session.write(name, chunk),
        problem: (name, message) => process.stderr.write(`pgtriage: ${sanitizeLine(name)}: ${message}\n`),
      });
      await followInto(session, follower, { quietMs: options.quietMs, signal: abort.signal });
    } else {
      await feedSources(session, progress ? progress.wrap(sources) : sources, { quietMs: live ? options.quietMs : undefined, signal: abort.signal, pace });
    }
    progress?.stop();
    report = session.finish();
    if (held?.holding) {
      const shifts = abort.signal.aborted ? [] : session.zoneShifts();
      if (shifts.length > 0 && (await regularFiles(sources))) {
        // Read again with the naive sources at their offset; the first run's output is dropped.
        held.drop();
        session = start(shifts);
        await feedSources(session, sources, { signal: abort.signal, pace });
        report = session.finish();
      } else held.release();
    }
  } finally {
    process.off('SIGINT', onSigint);
    // After Ctrl-C a still-open stdin pipe must not keep the process alive.
    if (abort.signal.aborted && live && !follow) process.stdin.destroy();
  }
  if (!options.quiet) for (const w of report.warnings) if (!said.has(w)) process.stderr.write(`pgtriage: warning: ${sanitizeLine(w)}\n`);
  if (options.quiet) write(`pgtriage: ${sanitizeLine(verdict(report).text)}\n`);
  else if (documentStream) write(documentStream.end(report));
  else write(streaming ? reporter.renderSummary!(report, render) : reporter.render(report, render));
  await out.close(); // throws OutputError (exit 2) when the report could not be written whole

  return exitCode(report, options.strict);
}

/**
 * 2 when nothing could be analysed: every input failed before its first byte or was binary (an
 * empty file counts as analysed). A source that broke mid-way (truncated gzip) was analysed up
 * to the damage. With --strict, any failed or binary input, or no record at all, is also 2.
 * Otherwise 1 with incidents, 0 without.
 */
export function exitCode(report: Report, strict: boolean): number {
  const analysed = report.sources.filter((s) => !s.error || s.bytes > 0).length - report.stats.sourcesBinary;
  if (analysed === 0) return EXIT_ERROR;
  if (strict && (report.stats.sourcesFailed > 0 || report.stats.sourcesBinary > 0 || report.stats.records === 0)) return EXIT_ERROR;
  return report.stats.incidents > 0 ? EXIT_INCIDENTS : EXIT_OK;
}

async function loadPack(options: CliOptions): Promise<RulePack> {
  // `pgtriage rules test ./my-rules` loads the named packs too (after the defaults), so
  // `--rules` is not needed to test a pack of one's own.
  const named = options.command === 'rules' ? options.inputs.filter((p) => !options.rules.includes(p)) : [];
  const dirs = [...(options.noDefaultRules ? [] : [DEFAULT_RULES_DIR]), ...options.rules, ...named];
  if (dirs.length === 0) throw new UsageError('--no-default-rules needs at least one --rules DIR');
  return loadRulePacks(dirs);
}

