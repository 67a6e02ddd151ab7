import { lastValueFrom, tap } from 'rxjs';
import { ArgumentError } from '../../base/ArgumentError.js';
import { hyperopt as coreHyperopt } from '../../run/hyperopt.js';
import type { HyperoptOptions } from '../../run/HyperoptOptions.js';
import { checkHyperoptOptions, type CheckedOptions } from '../../run/internal/checkHyperoptOptions.js';
import { run$ } from '../../run/internal/run$.js';
import { runFailure } from '../../run/internal/runFailure.js';
import type { Sampler } from '../../samplers/Sampler.js';
import { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import { decodeTrial, trialEncoder } from '../../sinks/internal/trialCodec.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { ParamsOf, Space } from '../../space/Space.js';
import { failedTrialOf } from '../../trial/internal/startTrial.js';
import type { Objective } from '../../trial/Objective.js';
import type { Trial } from '../../trial/Trial.js';
import type { Direction } from '../../trial/Direction.js';
import type { NodeHyperoptOptions } from '../NodeHyperoptOptions.js';
import { checkJournalDirection, checkJournalSpace, recordedDirection, type JournalContents, type JournalHeader } from './journalFile.js';
import { checkDirection, lossViews } from '../../trial/internal/lossView.js';
import { checkJournal, runLine, type CheckedJournalOptions } from './journalOptions.js';
import { openLockedJournal } from './openLockedJournal.js';
import { replaySampler } from './replaySampler.js';
import { samplerFromJSON } from './samplerFromJSON.js';
import { terminalProgress } from './terminalProgress.js';

/** What the command line adds to a run, from the same single read of its journal. */
export interface JournalHooks {
  /**
   * The sampler when the options give none, from the journal as read
   * (undefined: no journal yet, or none asked for). @default the journal's
   * own, rebuilt; the core default without a journal
   */
  readonly sampler?: (contents: JournalContents<Trial> | undefined) => Sampler;
  /** Each journal line of another kind, as read (see `readJournal`'s `onRecord`). */
  readonly onRecord?: (record: Record<string, unknown>, lineNumber: number) => void;
  /** Called once the journal is read (undefined: none yet), under its lock, before `sampler` and any trial. */
  readonly onRead?: (contents: JournalContents<Trial> | undefined) => void;
  /** A line of another kind (`"kind"`) to append once the journal is open, before any trial: the command line's command. */
  readonly record?: Record<string, unknown>;
}

/** The node `hyperopt` (see there), with the command line's hooks. */
export async function hyperoptWithJournal<S extends Space, St = unknown>(
  options: NodeHyperoptOptions<S>,
  objective: Objective<ParamsOf<S>, St>,
  hooks: JournalHooks = {},
): Promise<Hyperoptimizer<ParamsOf<S>>> {
  if (options === null || typeof options !== 'object') return coreHyperopt(options, objective);
  options = { ...options, progress: terminalProgress(options.progress, true) };
  if (options.journal === undefined) {
    const sampler = options.sampler ?? hooks.sampler?.(undefined);
    return coreHyperopt((sampler === undefined ? options : { ...options, sampler }) as HyperoptOptions<S>, objective);
  }
  const { journal, ...rest } = options;
  const { path, fsync } = checkJournal(journal);
  if (rest.ho !== undefined) throw new ArgumentError('journal', 'cannot be combined with ho: the journal is the optimizer to continue');
  // Every option is checked once, before the file is written or any objective runs.
  const space = checkSpace(rest.space);
  const givenDirection = rest.direction === undefined ? undefined : checkDirection(rest.direction);
  const checked: CheckedJournalOptions = { path, space, fsync, onWarning: console.warn };
  // The journal's one read: under its lock, each trial line decoded as it is read (a journal of any size resumes).
  const decoder = (header: JournalHeader) => (
    checkJournalSpace(path, { header }, space),
    (record: Record<string, unknown>, where: string) => decodeTrial(space, record, where)
  );
  const { contents, writer, plan } = openLockedJournal<Trial, Plan>(checked, { decoder, onRecord: hooks.onRecord }, (contents) => {
    hooks.onRead?.(contents);
    // Left out, the journal's direction goes on (as `ho`'s does); the other one is refused: its values would rank backwards.
    if (contents && givenDirection !== undefined) checkJournalDirection(path, contents, givenDirection);
    const direction = givenDirection ?? (contents ? recordedDirection(contents) : 'minimize');
    // The caller's sampler, else the journal's own (class and seed): a resumed run draws what the first did.
    const sampler = rest.sampler ?? hooks.sampler?.(contents);
    const lastRecorded = contents?.runs[contents.runs.length - 1];
    const rebuilt = contents && sampler === undefined ? samplerFromJSON(lastRecorded!.sampler) : undefined;
    if (contents && sampler === undefined && rebuilt === undefined) {
      throw new ArgumentError(
        'sampler',
        `must be given to resume ${path}: it was written by ${JSON.stringify(lastRecorded?.sampler?.name ?? 'an unknown sampler')}, which cannot be rebuilt here`,
      );
    }
    const first = checkHyperoptOptions({ ...(rest as HyperoptOptions<Space>), sampler: sampler ?? rebuilt, direction }, objective as Objective);
    return {
      first,
      given: sampler === undefined ? undefined : first.sampler,
      lastSampler: rebuilt ?? first.sampler,
      sampler: first.sampler,
      iterations: first.iterations,
      direction,
    };
  });
  const { first, given: givenSampler, lastSampler, direction } = plan;
  const ho = new Hyperoptimizer<ParamsOf<S>>({ space, iterations: first.iterations, sampler: givenSampler ?? lastSampler, direction });
  const phases: Phase[] = [];
  if (!contents) phases.push({ sampler: first.sampler, iterations: first.iterations, start: 0, past: [], recorded: [], newRun: false });
  else {
    // 1. The last recorded run, replayed: what it finished is answered from the journal, the rest runs.
    const runs = contents.runs;
    const last = runs[runs.length - 1];
    const earlier = runs.slice(0, -1).flatMap((run) => run.trials);
    const recorded = last.trials;
    for (const run of runs) for (const t of run.trials) ho.record(t as never);
    const start = last.start ?? (recorded.length > 0 ? recorded.reduce((m, t) => Math.min(m, t.i), Infinity) : nextIndexOf(earlier));
    if (last.iterations !== undefined) phases.push({ sampler: lastSampler, iterations: last.iterations, start, past: earlier, recorded, newRun: false });
    // 2. More iterations than the journal's runs planned: a new run continues from there.
    const planned = runs.reduce((n, run) => n + (run.iterations ?? run.trials.length), 0);
    if (first.iterations > planned)
      phases.push({ sampler: givenSampler ?? lastSampler, iterations: first.iterations - planned, start: -1, past: [], recorded: [], newRun: true });
    if (planned > first.iterations) ho.extend(planned - first.iterations);
  }

  const encode = trialEncoder(space);
  const write = (trial: Trial) => writer.append(encode(trial));
  try {
    if (hooks.record !== undefined) writer.append(hooks.record);
    for (const phase of phases) {
      const start = phase.newRun ? ho.nextIndex : phase.start;
      const past = phase.newRun ? ho.trials.slice() : phase.past;
      // The replayed sampler is handed recorded results as the loop hands it live ones: as losses.
      const sampler = replaySampler(phase.sampler, {
        recorded: lossViews(phase.recorded, direction),
        start,
        past: lossViews(past, direction),
        onMismatch: once((t) =>
          checked.onWarning(`hyperopt-rx: journal ${path}: the sampler drew other params for trial ${t.i} than the journal holds; the journal's results stand`),
        ),
      });
      const run = checkHyperoptOptions({ ...(rest as HyperoptOptions<Space>), sampler, iterations: phase.iterations, ho: undefined, direction }, objective as Objective);
      try {
        if (phase.newRun) writer.append(runLine(phase.sampler, phase.iterations, start, direction));
        // The line is on disk before the trial counts as recorded; a trial whose line cannot be written
        // (a full disk) still finished: it is kept, and the write error rejects the run.
        await lastValueFrom(
          run$(run, objective).pipe(
            tap((trial) => {
              try {
                write(trial);
              } finally {
                ho.record(trial);
              }
            }),
          ),
          { defaultValue: undefined },
        );
      } catch (error) {
        const failed = failedTrialOf(error);
        if (failed) {
          try {
            write(failed);
          } catch {
            // the journal cannot take it: the objective's error is the one to report
          }
          ho.record(failed as never);
        }
        throw runFailure(error, ho); // as the core hyperopt: the objective's error untouched, as cause
      }
      if (first.signal?.aborted) break;
    }
  } finally {
    writer.close();
  }
  return ho;
}

/** One run to do: the recorded run to finish (replaying what it did), or a new one. */
interface Phase {
  readonly sampler: Sampler;
  readonly iterations: number;
  readonly start: number;
  readonly past: readonly Trial[];
  readonly recorded: readonly Trial[];
  readonly newRun: boolean;
}

function nextIndexOf(trials: readonly Trial[]): number {
  return trials.reduce((n, t) => Math.max(n, t.i + 1), 0);
}

function once<T>(f: (value: T) => void): (value: T) => void {
  let called = false;
  return (value) => {
    if (!called) {
      called = true;
      f(value);
    }
  };
}

/** What a run decides once its journal is read: the checked options and the samplers of its phases. */
interface Plan {
  readonly first: CheckedOptions;
  /** The caller's sampler (or the hook's), checked; undefined when the journal's own is rebuilt. */
  readonly given: Sampler | undefined;
  /** The sampler that replays the last recorded run. */
  readonly lastSampler: Sampler;
  /** The header's, for a new journal. */
  readonly sampler: Sampler;
  readonly iterations: number;
  /** The run's: the caller's, else the journal's, else 'minimize'. */
  readonly direction: Direction;
}
