import { lastValueFrom, tap } from 'rxjs';
import { ArgumentError } from '../base/ArgumentError.js';
import type { HyperoptOptions } from '../run/HyperoptOptions.js';
import type { Objective } from '../trial/Objective.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { hyperopt as coreHyperopt } from '../run/hyperopt.js';
import { run$ } from '../run/internal/run$.js';
import { checkHyperoptOptions } from '../run/internal/checkHyperoptOptions.js';
import { checkOptions, show } from '../base/check.js';
import { runFailure } from '../run/internal/runFailure.js';
import { checkSpace } from '../space/checkSpace.js';
import { failedTrialOf } from '../trial/internal/startTrial.js';
import { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { decodeTrial, trialEncoder } from '../sinks/internal/trialCodec.js';
import { checkJournalSpace, checkRegularFile, readJournal, type JournalContents, type JournalWriter } from './internal/journalFile.js';
import { lockJournal } from './internal/journalLock.js';
import { replaySampler } from './internal/replaySampler.js';
import type { Trial } from '../trial/Trial.js';
import { checkJournalOptions, checkJournalPath, openJournalFor, runLine } from './internal/journalOptions.js';
import { samplerFromJSON } from './internal/samplerFromJSON.js';
import { terminalProgress, type TerminalProgressOption } from './internal/terminalProgress.js';

/** `hyperopt`'s options plus, on Node, a journal to write and resume from, and the terminal progress bar. */
export interface NodeHyperoptOptions<S extends Space = Space> extends Omit<HyperoptOptions<S>, 'progress'> {
  /** The progress bar on stderr (`true`), none (`false`) or your own display. @default stderr is a terminal */
  readonly progress?: TerminalProgressOption;
  /**
   * A JSON-lines file that gets one line per finished trial. If it already
   * holds trials of this space, the run resumes: they are reloaded and only
   * the rest of `iterations` runs. Give `{ path, fsync: true }` to also flush
   * each line to the device. Cannot be combined with `ho`.
   * @default no journal
   */
  readonly journal?: string | { readonly path: string; readonly fsync?: boolean };
}

/**
 * `hyperopt` with a journal (Node only; re-exported by `hyperopt-rx/node`).
 * Without `journal` it is the core `hyperopt`. With it, each trial is
 * appended to the file as it finishes, and the same call on an existing
 * journal resumes: `iterations` counts the whole journaled run, so the rerun
 * does only what is left. Resuming runs the recorded run again with the
 * recorded sampler (class and seed, rebuilt from the journal) and answers
 * every evaluation the journal holds from it instead of calling the
 * objective: RandomSampler and LHSampler draw the same sequence, Hyperband
 * goes through the same brackets, rungs and promotions (mid-bracket
 * included), BOHB refits its model on the recorded results, and only what
 * never finished (or was in flight when the process died) is evaluated.
 * More `iterations` than recorded starts a new run after it (`i` goes on
 * counting, like `ho` continuation). A journal written for another space is
 * an ArgumentError('journal').
 *
 * ## Example
 * ```ts
 * import { hyperopt } from 'hyperopt-rx/node';
 * import { linrange } from 'hyperopt-rx';
 * // Kill it and run it again: it continues where it stopped.
 * const ho = await hyperopt(
 *   { space: { x: linrange(-2, 2, 401) }, iterations: 100, journal: 'run.jsonl' },
 *   async ({ x }) => x * x,
 * );
 * console.log(ho.trials.length); // Logs: 100
 * ```
 * @see loadJournal
 */
export async function hyperopt<S extends Space, St = unknown>(
  options: NodeHyperoptOptions<S>,
  objective: Objective<ParamsOf<S>, St>,
): Promise<Hyperoptimizer<ParamsOf<S>>> {
  if (options === null || typeof options !== 'object') return coreHyperopt(options, objective);
  options = { ...options, progress: terminalProgress(options.progress, true) };
  if (options.journal === undefined) return coreHyperopt(options as HyperoptOptions<S>, objective);
  const { journal, ...rest } = options;
  const { path, fsync } = checkJournal(journal);
  if (rest.ho !== undefined) throw new ArgumentError('journal', 'cannot be combined with ho: the journal is the optimizer to continue');
  // Every option is checked before the file is written or any objective runs.
  const space = checkSpace(rest.space);
  const checked = checkJournalOptions(path, { space, fsync });
  checkRegularFile(path); // before the lock: a FIFO or a device gets its error, and no lock file beside it
  // One writer per journal: locked before reading, so what is read is what the next line is appended to.
  const release = lockJournal(path);
  let writer: JournalWriter;
  let contents: JournalContents<Trial> | undefined;
  let first: ReturnType<typeof checkHyperoptOptions>;
  let lastSampler: Sampler;
  let given: Sampler | undefined;
  try {
    // Read once, each trial line decoded as it is read (a journal of any size resumes).
    contents = readJournal<Trial>(path, checked.onWarning, {
      decoder: (header) => (checkJournalSpace(path, { header }, space), (record, where) => decodeTrial(space, record, where)),
    });
    // A journal's own sampler (class and seed) unless one is given: a resumed run draws what the first did.
    const lastRecorded = contents?.runs[contents.runs.length - 1];
    const rebuilt = contents && rest.sampler === undefined ? await samplerFromJSON(lastRecorded!.sampler) : undefined;
    if (contents && rest.sampler === undefined && rebuilt === undefined) {
      throw new ArgumentError('sampler', `must be given to resume ${path}: it was written by ${JSON.stringify(lastRecorded?.sampler?.name ?? 'an unknown sampler')}, which cannot be rebuilt here`);
    }
    first = checkHyperoptOptions({ ...(rest as HyperoptOptions<Space>), sampler: rest.sampler ?? rebuilt }, objective as Objective);
    given = rest.sampler === undefined ? undefined : first.sampler;
    lastSampler = rebuilt ?? first.sampler;
    writer = openJournalFor({ ...checked, sampler: first.sampler, iterations: first.iterations }, contents, release);
  } catch (error) {
    release();
    throw error;
  }
  const ho = new Hyperoptimizer<ParamsOf<S>>({ space, iterations: first.iterations, sampler: given ?? lastSampler });
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
    if (first.iterations > planned) phases.push({ sampler: given ?? lastSampler, iterations: first.iterations - planned, start: -1, past: [], recorded: [], newRun: true });
    if (planned > first.iterations) ho.extend(planned - first.iterations);
  }

  const encode = trialEncoder(space);
  const write = (trial: Trial) => writer.append(encode(trial));
  try {
    for (const phase of phases) {
      const start = phase.newRun ? ho.nextIndex : phase.start;
      const past = phase.newRun ? ho.trials.slice() : phase.past;
      const sampler = replaySampler(phase.sampler, {
        recorded: phase.recorded,
        start,
        past,
        onMismatch: once((t) => checked.onWarning(`hyperopt-rx: journal ${path}: the sampler drew other params for trial ${t.i} than the journal holds; the journal's results stand`)),
      });
      const run = checkHyperoptOptions({ ...(rest as HyperoptOptions<Space>), sampler, iterations: phase.iterations, ho: undefined }, objective as Objective);
      try {
        if (phase.newRun) writer.append(runLine(phase.sampler, phase.iterations, start));
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

function checkJournal(journal: unknown): { path: string; fsync: boolean | undefined } {
  if (typeof journal === 'string') return { path: checkJournalPath(journal), fsync: undefined };
  if (journal !== null && typeof journal === 'object' && !Array.isArray(journal)) {
    checkOptions('journal', journal, ['path', 'fsync']);
    const { path, fsync } = journal as { path: unknown; fsync?: unknown };
    if (fsync !== undefined && typeof fsync !== 'boolean') throw new ArgumentError('journal.fsync', `must be a boolean, got ${show(fsync)}`);
    return { path: checkJournalPath(path, 'journal.path'), fsync };
  }
  throw new ArgumentError('journal', `must be a file path or { path, fsync }, got ${show(journal)}`);
}
