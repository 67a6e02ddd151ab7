import { ArgumentError } from '../base/ArgumentError.js';
import { workerCommand } from './workerCommand.js';
import { MissingPackageError } from './MissingPackageError.js';
import { defaultIO, type CliIO } from './cli/CliIO.js';
import { didYouMean } from './cli/didYouMean.js';
import { checkKnownFlags } from './cli/FlagSpec.js';
import { generalHelp, runHelp, version, workerHelp } from './cli/help.js';
import { runCommand } from './cli/runCommand.js';
import { UsageError } from './cli/UsageError.js';
import { WORKER_FLAGS } from './cli/workerFlags.js';
import { serveCommand, SERVE_USAGE } from './serve/serveCommand.js';
import { dashboardCommand, DASHBOARD_USAGE } from './dashboard/dashboardCommand.js';
import { showCommand, showHelp } from './show/showCommand.js';

export type { CliIO } from './cli/CliIO.js';

/** One command of `hyperopt-rx`: its line in the help, and what runs it (resolving with the exit code). */
export interface CliCommand {
  readonly summary: string;
  readonly run: (argv: readonly string[], io: CliIO) => Promise<number>;
  /** Its help text, for `help NAME` and `NAME --help`; without one, `help NAME` runs `NAME --help`. */
  readonly help?: () => string;
}

/** The commands, as the help lists them. A new command is one line here. */
const COMMANDS: Readonly<Record<string, CliCommand>> = {
  run: { summary: 'tune a program in any language: one run of it per trial', run: runCommand, help: runHelp },
  worker: { summary: 'serve the trials of a distributed queue (Redis)', run: runWorker, help: workerHelp },
  serve: { summary: 'an HTTP ask/tell service over a journal, with the live dashboard', run: serveCommand, help: () => SERVE_USAGE },
  dashboard: { summary: 'a live dashboard for a journal being written', run: dashboardCommand, help: () => DASHBOARD_USAGE },
  show: { summary: 'show a journal: best trial, top trials, CSV or JSON export, plots', run: showCommand, help: showHelp },
};

/**
 * The `hyperopt-rx` command line; resolves with the exit code.
 *
 * ## Example
 * ```sh
 * npx hyperopt-rx run --space space.json --iterations 20 --journal run.jsonl -- python3 train.py --lr {lr}
 * ```
 * (bin/hyperopt-rx.js calls `main(process.argv.slice(2))`.)
 */
export async function main(argv: readonly string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  try {
    switch (name) {
      case '--version':
      case '-v':
      case 'version':
        io.stdout(`${version()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return await help(name === 'help' ? rest[0] : undefined, io, name === undefined ? 2 : 0);
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined) {
      throw new UsageError(`unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')})${didYouMean(name, Object.keys(COMMANDS))}`);
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ArgumentError || error instanceof MissingPackageError) {
      const about = name !== undefined && Object.hasOwn(COMMANDS, name) ? ` ${name}` : '';
      io.stderr(`hyperopt-rx: ${error.message}\nRun "hyperopt-rx help${about}" for the flags.\n`);
      return 2;
    }
    io.stderr(`hyperopt-rx: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** `help [COMMAND]`: the overview, or one command's flags. */
async function help(name: string | undefined, io: CliIO, code: number): Promise<number> {
  if (name === undefined) {
    io.stdout(generalHelp(COMMANDS));
    return code;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined)
    throw new UsageError(`no command ${JSON.stringify(name)} to help with (commands: ${Object.keys(COMMANDS).join(', ')})${didYouMean(name, Object.keys(COMMANDS))}`);
  if (command.help === undefined) return command.run(['--help'], io);
  io.stdout(command.help());
  return 0;
}

/** `worker`: its help and flag names are checked here (with did-you-mean), the rest is workerCommand's. */
async function runWorker(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv.some((a) => a === '--help' || a === '-h')) {
    io.stdout(workerHelp());
    return 0;
  }
  checkKnownFlags(argv, WORKER_FLAGS, 'worker');
  return workerCommand(argv, { stdout: io.stdout, stderr: io.stderr });
}
