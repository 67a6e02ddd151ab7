import { ArgumentError } from '../../base/ArgumentError.js';
import type { HyperoptRunOptions } from '../HyperoptOptions.js';
import type { Objective } from '../../trial/Objective.js';
import type { Sampler } from '../../samplers/Sampler.js';
import { RandomSampler } from '../../samplers/RandomSampler.js';
import { checkSampler } from '../../samplers/internal/checkSampler.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { Space } from '../../space/Space.js';
import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import type { Progress } from '../../sinks/Progress.js';
import { checkConcurrency, checkFunction, checkKnownKeys, checkOneOf, checkPositiveInteger, show } from '../../base/check.js';
import { describeSpace, sameSpace, spaceDifference } from '../../space/describeSpace.js';
import type { Direction } from '../../trial/Direction.js';
import { checkDirection } from '../../trial/internal/lossView.js';

const KNOWN = ['space', 'iterations', 'sampler', 'concurrency', 'ho', 'onError', 'signal', 'progress', 'direction'] as const;

export interface CheckedOptions {
  readonly space: Space;
  readonly sampler: Sampler;
  readonly iterations: number;
  readonly concurrency: number;
  readonly onError: 'fail' | 'skip';
  readonly ho?: Hyperoptimizer;
  readonly signal?: AbortSignal;
  readonly progress: Progress | undefined;
  readonly direction: Direction;
}

/** What callers may pass: space and ho each optional in the type, since a run without either is refused here, naming `space`. */
type UncheckedOptions = HyperoptRunOptions & { readonly space?: Space; readonly ho?: Hyperoptimizer<any> };

/** Every option checked once, at the edge, before any objective runs. */
export function checkHyperoptOptions(options: UncheckedOptions, objective: Objective): CheckedOptions {
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', `must be an object, got ${show(options)}`);
  // The journal needs a file system: say where it lives instead of "not a known option".
  if ((options as { journal?: unknown }).journal !== undefined) {
    throw new ArgumentError('journal', "is an option of the Node hyperopt: import { hyperopt } from 'hyperopt-rx/node' (the core runs anywhere and writes no files)");
  }
  checkKnownKeys('options', options, KNOWN);
  checkFunction('objective', objective);
  const ho = options.ho;
  if (ho !== undefined && (ho === null || typeof ho !== 'object' || typeof ho.record !== 'function')) {
    throw new ArgumentError('ho', `must be a Hyperoptimizer to continue, got ${show(ho)}`);
  }
  const space = checkSpace(options.space ?? ho?.space);
  if (ho && options.space !== undefined && !sameSpace(describeSpace(space), describeSpace(ho.space))) {
    throw new ArgumentError('space', `differs from the space of the Hyperoptimizer to continue (ho): ${spaceDifference(describeSpace(ho.space), describeSpace(space))}`);
  }
  const sampler: Sampler = options.sampler === undefined ? (ho?.sampler ?? new RandomSampler()) : checkSampler('sampler', options.sampler);
  let iterations: number | undefined = options.iterations;
  if (iterations === undefined) {
    if (sampler.defaultIterations === undefined) throw new ArgumentError('iterations', `is required with ${sampler.name} (a positive integer)`);
    iterations = sampler.defaultIterations;
  }
  iterations = checkPositiveInteger('iterations', iterations);
  const concurrency = checkConcurrency('concurrency', options.concurrency ?? 1);
  const onError = checkOneOf('onError', options.onError ?? 'fail', ['fail', 'skip'] as const);
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
    throw new ArgumentError('signal', `must be an AbortSignal, got ${show(signal)}`);
  }
  const progress = checkProgress(options.progress);
  const direction = checkDirection(options.direction ?? ho?.direction ?? 'minimize');
  if (ho && direction !== ho.direction) {
    throw new ArgumentError('direction', `is '${direction}', but the Hyperoptimizer to continue (ho) was run with '${ho.direction}': a run cannot change direction`);
  }
  sampler.validate?.(space, iterations);
  return { space, sampler, iterations, concurrency, onError, ho, signal, progress, direction };
}

/** The core has no terminal: `true` (the stderr bar) belongs to `hyperopt-rx/node`, which passes a display here. */
function checkProgress(progress: unknown): Progress | undefined {
  if (progress === undefined || progress === false) return undefined;
  if (typeof progress === 'function') return progress as Progress;
  if (progress === true) {
    throw new ArgumentError(
      'progress',
      "true asks for the terminal progress bar, which is Node-only: import hyperopt from 'hyperopt-rx/node', or pass your own display function",
    );
  }
  throw new ArgumentError('progress', `must be false or a progress display function (true with 'hyperopt-rx/node'), got ${show(progress)}`);
}
