/**
 * The entry of the `pgtriage` binary: parses the command line and answers what needs no
 * analysis (help, version, completion, the bus commands' own module); the analysis itself
 * (triage.ts: rule pack, inputs, session, reporter) is imported only when a run needs it, so
 * `--help` and `--version` load neither the session nor the input layer.
 */
import { RulePackError } from '../rules/errors.js';
import { VERSION } from '../version.js';
import { EXIT_ERROR, helpText, parseArgv, resolveSettings, UsageError } from './args.js';
import { ConfigError, printConfig, readConfig } from './config.js';
import { OutputError, say, writeAll } from './output.js';
import { sanitizeLine } from '../report/sanitize.js';

/** Entry point of the `pgtriage` binary. Sets process.exitCode; never calls process.exit. */
export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  // Write errors on stdout are handled by its Output (EPIPE quiet, others exit 2); this
  // listener only keeps an unobserved one from crashing the process with a stack trace.
  process.stdout.on('error', () => undefined);
  try {
    process.exitCode = await run(argv);
  } catch (error) {
    process.exitCode = EXIT_ERROR;
    if (error instanceof OutputError) {
      process.stderr.write(`pgtriage: ${sanitizeLine(error.message)}\n`);
    } else if (error instanceof ConfigError) {
      process.stderr.write(error.problems.map((line) => `pgtriage: ${sanitizeLine(line)}\n`).join(''));
    } else if (error instanceof UsageError) {
      // A did-you-mean already says what to type; otherwise point at the help.
      const sub = argv[0] === 'consume' || argv[0] === 'publish' ? ` ${argv[0]}` : '';
      const hint = /did you mean/.test(error.message) ? '' : `Try 'pgtriage${sub} --help'.\n`;
      process.stderr.write(`pgtriage: ${sanitizeLine(error.message)}\n${hint}`);
    } else if (error instanceof RulePackError) {
      say(...error.errors.map((e) => `pgtriage: rule error: ${e.message}`));
    } else {
      say(`pgtriage: ${(error as Error)?.message ?? String(error)}`);
      if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
    }
  }
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseArgv(argv);
  const command = parsed.command;
  // The log-bus commands take their options from the same table; the NATS client loads only when used.
  if (command === 'consume' || command === 'publish') {
    const bus = await import('../bus/cli.js');
    if (parsed.help) return writeAll(bus.busHelp(command));
    const { config, how } = await readConfig(parsed.config);
    const { settings, origins } = resolveSettings(parsed, config);
    if (parsed.printConfig) return writeAll(printConfig({ file: config?.file, how }, settings, origins));
    return bus.runBusCommand(command, settings, parsed.inputs);
  }
  if (parsed.help) return writeAll(helpText());
  if (parsed.version) return writeAll(`pgtriage ${VERSION}\n`);
  // Commands other than the analysis load their modules when used, like the bus commands above.
  if (parsed.command === 'completion') return writeAll((await import('./completion.js')).completionScript(parsed.action as 'bash' | 'zsh' | 'fish'));
  return (await import('./triage.js')).triage(parsed);
}
