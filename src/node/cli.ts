import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { ArgumentError } from '../base/ArgumentError.js';
import { MAX_TIMEOUT_MS } from '../base/check.js';
import type { Sampler } from '../samplers/Sampler.js';
import { RandomSampler } from '../samplers/RandomSampler.js';
import { LHSampler } from '../samplers/LHSampler.js';
import { BOHB } from '../samplers/BOHB.js';
import { Hyperband } from '../multifidelity/Hyperband.js';
import { plot } from '../plots/plot.js';
import { renderSvg } from './renderSvg.js';
import { workerCommand } from './workerCommand.js';
import { importOptional } from './internal/importOptional.js';
import { MissingPackageError } from './MissingPackageError.js';
import type { Space } from '../space/Space.js';
import { programObjective } from './programObjective.js';
import { programGroupsGone } from './internal/programGroups.js';
import { isProgramsRecord, recordPrograms, stopLeftoverPrograms, type ProgramsRecord } from './internal/programLeftovers.js';
import { spaceFromFile } from './internal/spaceFromFile.js';
import { recordedSampler, type JournalContents } from './internal/journalFile.js';
import { hyperoptWithJournal, type JournalHooks } from './internal/hyperoptWithJournal.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { formatValue } from '../sinks/internal/formatValue.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage:
  hyperopt-rx run --space space.json --iterations 100 [--sampler random|lhs|bohb]
                  [--hyperband MAX[,eta]] [--concurrency 4] [--timeout 60s] [--seed S]
                  [--journal run.jsonl] [--plot plot.svg] [--progress | --no-progress]
                  -- PROGRAM ARGS... {name}... [{resources}]
  hyperopt-rx worker --redis redis://host:port --queue NAME --module ./objective.js
  hyperopt-rx --version

run: evaluates PROGRAM once per trial. Each {name} in its arguments becomes the
sampled value of parameter "name" ({resources}: the budget under Hyperband), as
an argument of its own, never through a shell. The trial's value is the last
line of stdout that is a number, or a JSON line {"value": ...}.
A space file is JSON: an array is a candidate vector; { "linrange": [a, b, n] },
{ "explinrange": [a, b, n] }, { "uniform": [lo, hi] }, { "logUniform": [lo, hi] },
{ "intUniform": [lo, hi] } are ranges.
With --journal, each finished trial is appended to the file, and running the
same command again resumes: only what is left of --iterations runs.
Exit codes: 0 done, 1 the run failed (no trial succeeded), 2 bad flags or space file.
`;

/** Thrown for bad flags: printed with the usage hint, exit code 2. */
class UsageError extends Error {}

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
  const [command, ...rest] = argv;
  try {
    if ((command === 'run' || command === 'worker') && asksForHelp(rest)) {
      io.stdout(USAGE);
      return 0;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'worker':
        return await workerCommand(rest, { stderr: io.stderr });
      case '--version':
      case '-v':
      case 'version':
        io.stdout(`${version()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (expected run or worker)`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ArgumentError || error instanceof MissingPackageError) {
      io.stderr(`hyperopt-rx: ${error.message}\nRun "hyperopt-rx help" for usage.\n`);
      return 2;
    }
    io.stderr(`hyperopt-rx: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** `--help` or `-h` among the command's own flags (not the program's, after `--`). */
function asksForHelp(argv: readonly string[]): boolean {
  const split = argv.indexOf('--');
  return (split < 0 ? argv : argv.slice(0, split)).some((a) => a === '--help' || a === '-h');
}

/** The installed package's version (package.json sits one folder above src/ and dist/). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

interface RunFlags {
  readonly space: Space;
  readonly iterations?: number;
  readonly concurrency: number;
  readonly timeoutMs?: number;
  readonly samplerName: 'random' | 'lhs' | 'bohb';
  readonly hyperband?: { readonly maxResource: number; readonly eta?: number };
  readonly seed?: number | string;
  readonly journal?: string;
  readonly plot?: string;
  readonly progress?: boolean;
  readonly command: string[];
}

function parseRunFlags(argv: readonly string[]): RunFlags {
  const split = argv.indexOf('--');
  const flags = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...flags],
      strict: true,
      allowPositionals: false,
      options: {
        space: { type: 'string' },
        iterations: { type: 'string' },
        concurrency: { type: 'string' },
        timeout: { type: 'string' },
        sampler: { type: 'string' },
        hyperband: { type: 'string' },
        seed: { type: 'string' },
        journal: { type: 'string' },
        plot: { type: 'string' },
        progress: { type: 'boolean' },
        'no-progress': { type: 'boolean' },
      },
    }));
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(split < 0 && /positional/i.test(message) ? `${message} (put the program after --)` : message);
  }
  if (values.space === undefined) throw new UsageError('--space is required (a JSON space file)');
  if (command.length === 0) throw new UsageError('no program to run: put it after --, e.g. -- python3 train.py --lr {lr}');
  const hyperband = values.hyperband === undefined ? undefined : parseHyperband(values.hyperband as string);
  const iterations = values.iterations === undefined ? undefined : positiveInteger('--iterations', values.iterations as string);
  if (iterations === undefined && hyperband === undefined) throw new UsageError('--iterations is required (a positive integer)');
  const samplerName = (values.sampler ?? 'random') as string;
  if (!['random', 'lhs', 'bohb'].includes(samplerName)) throw new UsageError(`--sampler must be random, lhs or bohb, got ${JSON.stringify(samplerName)}`);
  if (values.progress && values['no-progress']) throw new UsageError('--progress and --no-progress contradict each other');
  const seedText = values.seed as string | undefined;
  return {
    space: spaceFromFile(values.space as string),
    iterations,
    concurrency: values.concurrency === undefined ? 1 : positiveInteger('--concurrency', values.concurrency as string),
    timeoutMs: values.timeout === undefined ? undefined : parseDuration(values.timeout as string),
    samplerName: samplerName as RunFlags['samplerName'],
    hyperband,
    seed: seedText === undefined ? undefined : /^-?\d+$/.test(seedText) ? Number(seedText) : seedText,
    journal: values.journal as string | undefined,
    plot: values.plot as string | undefined,
    progress: values.progress ? true : values['no-progress'] ? false : undefined,
    command,
  };
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/** MAX[,eta]: Hyperband's maxResource and eta. */
function parseHyperband(text: string): { maxResource: number; eta?: number } {
  const parts = text.split(',');
  const nums = parts.map(Number);
  if (parts.length > 2 || nums.some((n) => !Number.isFinite(n)) || !(nums[0] >= 1) || (parts.length === 2 && !(nums[1] > 1))) {
    throw new UsageError(`--hyperband must be MAX or MAX,eta (the largest budget, maxResource) with MAX >= 1 and eta > 1, got ${JSON.stringify(text)}`);
  }
  return parts.length === 2 ? { maxResource: nums[0], eta: nums[1] } : { maxResource: nums[0] };
}

/** "60s", "500ms", "2m", "1h", or plain seconds. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--timeout must be a duration such as 60s, 500ms, 2m or 1h, got ${JSON.stringify(text)}`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(ms >= 1)) throw new UsageError(`--timeout must be at least 1ms, got ${JSON.stringify(text)}`);
  if (Math.round(ms) > MAX_TIMEOUT_MS) throw new UsageError(`--timeout must be at most ${MAX_TIMEOUT_MS}ms (about 596h, the longest timer delay), got ${JSON.stringify(text)}`);
  return Math.round(ms);
}

function buildSampler(flags: RunFlags, seed: number | string | undefined): Sampler {
  const seeded = seed === undefined ? {} : { seed };
  const inner = flags.samplerName === 'lhs' ? new LHSampler(seeded) : flags.samplerName === 'bohb' ? new BOHB(seeded) : new RandomSampler(seeded);
  if (!flags.hyperband) return inner;
  return new Hyperband({ ...flags.hyperband, inner });
}

/** Resuming without --seed: the seed the journal recorded, so the sequence goes on. */
function recordedSeed(contents: JournalContents<unknown> | undefined): number | string | undefined {
  const recorded = contents && recordedSampler(contents);
  const seed = (recorded?.inner as { seed?: unknown } | undefined)?.seed ?? recorded?.seed;
  return typeof seed === 'number' || typeof seed === 'string' ? seed : undefined;
}

async function runCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const flags = parseRunFlags(argv);
  const params = Object.keys(flags.space);
  if (!flags.hyperband && flags.command.some((a) => a.includes('{resources}'))) {
    throw new UsageError('{resources} is only set under --hyperband MAX[,eta]');
  }
  const objective = programObjective(flags.command, { params, timeoutMs: flags.timeoutMs });
  // --plot needs vega and vega-lite (optional): say so before any trial runs, not after.
  if (flags.plot !== undefined) await importOptional('--plot', ['vega', 'vega-lite'], () => import('vega-lite'));

  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr('\nhyperopt-rx: interrupted, stopping the trials in flight (again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // the terminal closed: its detached programs would not get the hangup
  let ho: Hyperoptimizer;
  let stopRecording: (() => void) | undefined;
  // What the journal says, from the run's one read of it: the programs an earlier run left, and the seed to go on with.
  let leftovers: ProgramsRecord | undefined;
  const hooks: JournalHooks = {
    onRecord: (record) => {
      if (isProgramsRecord(record)) leftovers = record;
    },
    onRead: () => {
      // Programs that a kill -9 of an earlier run left running would compete with the resumed ones.
      const stopped = stopLeftoverPrograms(leftovers);
      if (stopped > 0) io.stderr(`hyperopt-rx: stopped ${stopped} program${stopped === 1 ? '' : 's'} that an earlier run of ${flags.journal} left running\n`);
    },
    sampler: (contents) => buildSampler(flags, flags.seed ?? recordedSeed(contents)),
  };
  try {
    if (flags.journal !== undefined) stopRecording = recordPrograms(flags.journal);
    ho = await hyperoptWithJournal(
      {
        space: flags.space,
        iterations: flags.iterations,
        concurrency: flags.concurrency,
        onError: 'skip',
        signal: controller.signal,
        progress: flags.progress,
        journal: flags.journal,
      },
      objective,
      hooks,
    );
  } finally {
    // The programs of aborted trials are still being stopped: until they are, Ctrl-C again must still kill them.
    await programGroupsGone();
    stopRecording?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }

  const counts = { ok: 0, failed: 0, pruned: 0 };
  for (const t of ho.trials) counts[t.status]++;
  io.stdout(`${ho.trials.length} trials (${counts.ok} ok, ${counts.failed} failed${counts.pruned ? `, ${counts.pruned} pruned` : ''})\n`);
  if (flags.plot !== undefined && ho.trials.length > 0) await writePlot(flags.plot, ho, io);
  const best = ho.best;
  if (best === undefined) {
    const first = ho.trials.find((t) => t.status === 'failed');
    io.stderr(`hyperopt-rx: no trial produced a value${first ? `; trial ${first.i}: ${first.error instanceof Error ? first.error.message : String(first.error)}` : ''}\n`);
    return 1;
  }
  io.stdout(`best value: ${formatValue(best.value)} (trial ${best.i}${best.resources === undefined ? '' : `, resources ${best.resources}`})\n`);
  ho.printmin(io.stdout);
  return interrupted ? 130 : 0;
}

async function writePlot(path: string, ho: Hyperoptimizer, io: CliIO): Promise<void> {
  writeFileSync(path, await renderSvg(plot(ho)));
  io.stderr(`hyperopt-rx: wrote ${path}\n`);
}

const defaultIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};
