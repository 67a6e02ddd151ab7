import { lastValueFrom, tap } from 'rxjs';
import { ArgumentError } from '../ArgumentError.js';
import type { HyperoptOptions } from '../HyperoptOptions.js';
import type { Objective } from '../Objective.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { hyperopt as coreHyperopt } from '../hyperopt.js';
import { run$ } from '../hyperopt$.js';
import { checkHyperoptOptions } from '../internal/checkHyperoptOptions.js';
import { show } from '../internal/check.js';
import { failedTrialOf } from '../operators/internal/runTrial.js';
import { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { decodeTrial, encodeTrial } from '../sinks/internal/trialCodec.js';
import { readJournal, recordedSampler, checkJournalSpace } from './internal/journalFile.js';
import { checkJournalOptions, openJournalFor } from './internal/journalOptions.js';
import { samplerFromJSON } from './internal/samplerFromJSON.js';

/** `hyperopt`'s options plus, on Node, a journal to write and resume from. */
export interface NodeHyperoptOptions<S extends Space = Space> extends HyperoptOptions<S> {
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
 * appended to the file as it finishes, and a run started again on the same
 * file resumes: the finished trials are reloaded, `iterations` counts the
 * whole journaled run (so the rerun does what is left), the sampler's seed
 * comes from the journal when no sampler is given, and RandomSampler and
 * LHSampler go on with their sequence (`i` goes on counting). A journal
 * written for another space is an ArgumentError('journal').
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
  if (options === null || typeof options !== 'object' || options.journal === undefined) return coreHyperopt(options, objective);
  const { journal, ...rest } = options;
  const { path, fsync } = checkJournal(journal);
  if (rest.ho !== undefined) throw new ArgumentError('journal', 'cannot be combined with ho: the journal is the optimizer to continue');
  // Every option is checked before the file is touched or any objective runs.
  const first = checkHyperoptOptions(rest as HyperoptOptions<Space>, objective as Objective);
  const checked = checkJournalOptions(path, { space: first.space, fsync });
  const contents = readJournal(path, checked.onWarning);
  if (contents) checkJournalSpace(path, contents, first.space);

  let sampler: Sampler = first.sampler;
  if (contents && rest.sampler === undefined) {
    const recorded = recordedSampler(contents);
    const rebuilt = await samplerFromJSON(recorded);
    if (rebuilt === undefined) {
      throw new ArgumentError('sampler', `must be given to resume ${path}: it was written by ${JSON.stringify(recorded?.name ?? 'an unknown sampler')}, which cannot be rebuilt here`);
    }
    sampler = rebuilt;
  }
  const past = contents ? contents.trials.map((t, k) => decodeTrial(first.space, t, `journal line of trial ${k}`)) : [];
  const ho = new Hyperoptimizer<ParamsOf<S>>({ space: first.space, iterations: first.iterations, sampler });
  for (const t of past) ho.record(t as never);
  const remaining = remainingIterations(sampler, first.space, first.iterations, past.length);
  if (remaining <= 0) return ho;

  const run = checkHyperoptOptions({ ...(rest as HyperoptOptions<Space>), sampler, iterations: remaining, ho: ho as Hyperoptimizer }, objective as Objective);
  const writer = openJournalFor({ ...checked, sampler, iterations: first.iterations }, contents);
  const write = (trial: Parameters<typeof encodeTrial>[1]) => writer.append(encodeTrial(first.space, trial));
  try {
    // The line is on disk before the trial counts as recorded.
    await lastValueFrom(run$(run, objective).pipe(tap((trial) => (write(trial), ho.record(trial)))), { defaultValue: undefined });
  } catch (error) {
    const failed = failedTrialOf(error);
    if (failed) {
      write(failed);
      ho.record(failed as never);
    }
    if (error !== null && typeof error === 'object') Object.assign(error, { ho });
    throw error;
  } finally {
    writer.close();
  }
  return ho;
}

function checkJournal(journal: unknown): { path: string; fsync: boolean | undefined } {
  if (typeof journal === 'string') return { path: journal, fsync: undefined };
  if (journal !== null && typeof journal === 'object' && typeof (journal as { path?: unknown }).path === 'string') {
    const { path, fsync } = journal as { path: string; fsync?: unknown };
    if (fsync !== undefined && typeof fsync !== 'boolean') throw new ArgumentError('journal.fsync', `must be a boolean, got ${show(fsync)}`);
    return { path, fsync };
  }
  throw new ArgumentError('journal', `must be a file path or { path, fsync }, got ${show(journal)}`);
}

/**
 * What is left of the journaled run. A sampler whose evaluations are its
 * iterations (random, LHS, BOHB) has `iterations - done` to go; a
 * multi-fidelity one (Hyperband) counts in brackets and skips finished
 * evaluations itself from `past`, so it gets its iterations unchanged.
 */
function remainingIterations(sampler: Sampler, space: Space, iterations: number, done: number): number {
  const evaluations = sampler.evaluations?.(space, iterations);
  if (evaluations !== undefined && evaluations !== iterations) return done >= evaluations ? 0 : iterations;
  return iterations - done;
}
