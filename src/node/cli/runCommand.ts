import { writeFileSync } from 'node:fs';
import { Hyperband } from '../../multifidelity/Hyperband.js';
import { plot } from '../../plots/plot.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import { formatValue } from '../../sinks/internal/formatValue.js';
import type { Trial } from '../../trial/Trial.js';
import { hyperoptWithJournal, type JournalHooks } from '../internal/hyperoptWithJournal.js';
import { importOptional } from '../internal/importOptional.js';
import { recordedSampler, type JournalContents } from '../internal/journalFile.js';
import { programGroupsGone } from '../internal/programGroups.js';
import { isProgramsRecord, recordPrograms, stopLeftoverPrograms, type ProgramsRecord } from '../internal/programLeftovers.js';
import { short } from '../internal/TrialBar.js';
import { programObjective } from '../programObjective.js';
import { renderSvg } from '../renderSvg.js';
import { stderrStream, type CliIO } from './CliIO.js';
import { checkResume, commandRecord, isCommandRecord, type CommandRecord } from './commandRecord.js';
import { failureSummary } from './failures.js';
import { runHelp } from './help.js';
import { checkProgram, checkScript, commandWarnings } from './preflight.js';
import { RunDisplay } from './RunDisplay.js';
import { parseRunFlags, type RunFlags } from './runFlags.js';
import { prunedSampler } from './pruneFlags.js';
import { UsageError } from './UsageError.js';

/** The exit code of a run in which some trial failed, under --fail-exit. */
export const FAILED_TRIALS_EXIT = 3;
/** The exit code of an interrupted run, whatever it found (128 + SIGINT, as shells report it). */
export const INTERRUPTED_EXIT = 130;

/** `hyperopt-rx run`: tunes a program; resolves with the exit code (see help.ts's EXIT_CODES). */
export async function runCommand(argv: readonly string[], io: CliIO): Promise<number> {
  if (asksForHelp(argv)) {
    io.stdout(runHelp());
    return 0;
  }
  const flags = parseRunFlags(argv);
  const direction = flags.maximize ? 'maximize' : 'minimize';
  const params = Object.keys(flags.space);
  if (!flags.hyperband && flags.command.some((a) => a.includes('{resources}'))) {
    throw new UsageError('{resources} is only set under --hyperband MAX[,eta]');
  }
  // Placeholders that name no parameter are refused here; a program that cannot start, just after: before trial 0 and before any journal line.
  const objective = programObjective(flags.command, { params, timeoutMs: flags.timeoutMs, killGraceMs: flags.killGraceMs });
  checkProgram(flags.command[0]);
  checkScript(flags.command);
  // --plot needs vega and vega-lite (optional): say so before any trial runs, not after.
  if (flags.plot !== undefined) await importOptional('--plot', ['vega', 'vega-lite'], () => import('vega-lite'));
  const stream = stderrStream(io);
  const display = new RunDisplay({ stream, bar: flags.progress ?? (stream as { isTTY?: boolean }).isTTY === true, verbose: flags.verbose, direction });
  for (const warning of commandWarnings(flags.space, flags.command, flags.hyperband !== undefined)) display.message(`hyperopt-rx: warning: ${warning}\n`);

  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      display.stop();
      process.exit(INTERRUPTED_EXIT);
    }
    interrupted = true;
    display.interrupt('\nhyperopt-rx: interrupted, stopping the trials in flight (again to quit at once)\n');
    controller.abort();
  };
  const current = commandRecord({ program: flags.command, space: flags.spaceFile, sampler: samplerDescription(flags), direction });
  // What the journal says, from the run's one read of it: the programs an earlier run left, the command that wrote it, the seed to go on with.
  let leftovers: ProgramsRecord | undefined;
  let recorded: CommandRecord | undefined;
  const hooks: JournalHooks = {
    onRecord: (record) => {
      if (isProgramsRecord(record)) leftovers = record;
      if (isCommandRecord(record)) recorded = record;
    },
    onRead: (contents) => {
      if (contents === undefined) return;
      // Programs that a kill -9 of an earlier run left running would compete with the resumed ones (stopped even if the resume is refused).
      const stopped = stopLeftoverPrograms(leftovers);
      if (stopped > 0) display.message(`hyperopt-rx: stopped ${stopped} program${stopped === 1 ? '' : 's'} that an earlier run of ${flags.journal} left running\n`);
      for (const warning of checkResume(recorded, current, flags.journal!, flags.forceResume)) display.message(`hyperopt-rx: warning: ${warning}\n`);
      const trials = contents.runs.flatMap((run) => run.trials);
      const best = bestOf(trials, direction);
      const failed = trials.filter((t) => t.status === 'failed').length;
      display.resumed(trials.length, best?.value ?? NaN, failed);
      const bestText = best === undefined ? 'no value yet' : `best so far ${short(best.value)}, trial ${best.i}`;
      display.message(`hyperopt-rx: resuming ${trials.length} trial${trials.length === 1 ? '' : 's'} from ${flags.journal} (${bestText})\n`);
    },
    sampler: (contents) => buildSampler(flags, flags.seed ?? recordedSeed(contents)),
    record: current as unknown as Record<string, unknown>,
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // the terminal closed: its detached programs would not get the hangup
  let ho: Hyperoptimizer;
  let stopRecording: (() => void) | undefined;
  try {
    if (flags.journal !== undefined) stopRecording = recordPrograms(flags.journal);
    ho = await hyperoptWithJournal(
      {
        space: flags.space,
        iterations: flags.iterations,
        concurrency: flags.concurrency,
        onError: 'skip',
        signal: controller.signal,
        progress: display.progress,
        journal: flags.journal,
        direction,
      },
      objective,
      hooks,
    );
  } finally {
    display.stop();
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
  io.stderr(failureSummary(ho.trials, flags.command[0]));
  if (flags.plot !== undefined && ho.trials.length > 0) await writePlot(flags.plot, ho, io);
  const best = ho.best;
  if (best === undefined) {
    io.stderr(
      `hyperopt-rx: no trial produced a value${flags.journal === undefined || counts.failed === 0 ? '' : ` (the journal ${flags.journal} holds the failed trials: remove it, or use another --journal, to run them again)`}\n`,
    );
    return interrupted ? INTERRUPTED_EXIT : 1;
  }
  io.stdout(`best value: ${formatValue(best.value)} (trial ${best.i}${best.resources === undefined ? '' : `, resources ${best.resources}`})\n`);
  ho.printbest(io.stdout); // the largest value under --maximize
  if (interrupted) return INTERRUPTED_EXIT;
  return flags.failExit && counts.failed > 0 ? FAILED_TRIALS_EXIT : 0;
}

/** `--help` or `-h` among the command's own flags (not the program's, after `--`). */
function asksForHelp(argv: readonly string[]): boolean {
  const split = argv.indexOf('--');
  return (split < 0 ? argv : argv.slice(0, split)).some((a) => a === '--help' || a === '-h');
}

/** The best trial by value in `direction`, ignoring failed ones. */
function bestOf(trials: readonly Trial[], direction: 'minimize' | 'maximize'): Trial | undefined {
  let best: Trial | undefined;
  for (const t of trials) {
    if (Number.isNaN(t.value) || t.status !== 'ok') continue;
    if (best === undefined || (direction === 'maximize' ? t.value > best.value : t.value < best.value)) best = t;
  }
  return best;
}

/** The sampler as the flags name it, for the journal's command record. */
function samplerDescription(flags: RunFlags): string {
  return flags.hyperband ? `${flags.sampler.name} under hyperband ${flags.hyperband.maxResource},${flags.hyperband.eta ?? 3}` : flags.sampler.name;
}

function buildSampler(flags: RunFlags, seed: number | string | undefined): Sampler {
  const inner = flags.sampler.build(seed);
  return prunedSampler(flags.hyperband ? new Hyperband({ ...flags.hyperband, inner }) : inner, flags.pruner);
}

/** Resuming without --seed: the seed the journal recorded, so the sequence goes on. */
function recordedSeed(contents: JournalContents<unknown> | undefined): number | string | undefined {
  const recorded = contents && recordedSampler(contents);
  const seed = (recorded?.inner as { seed?: unknown } | undefined)?.seed ?? recorded?.seed;
  return typeof seed === 'number' || typeof seed === 'string' ? seed : undefined;
}

async function writePlot(path: string, ho: Hyperoptimizer, io: CliIO): Promise<void> {
  writeFileSync(path, await renderSvg(plot(ho)));
  io.stderr(`hyperopt-rx: wrote ${path}\n`);
}
