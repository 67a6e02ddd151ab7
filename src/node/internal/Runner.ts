import type { PlainResult } from './objectiveRuntime.mjs';
import type { WireTask } from './WireTask.js';

/** Somewhere to run the objective module: a thread pool, a process pool, this thread, or the queue's workers. */
export interface Runner {
  /**
   * Runs one trial; aborting `signal` stops it (for pools: terminates its
   * thread or process). With `onStep`, each value the objective emits is
   * passed on as it comes, all of them before the promise resolves.
   */
  run(task: WireTask, signal?: AbortSignal, onStep?: (result: PlainResult) => void): Promise<PlainResult>;
  /** Loads the module in one worker (the queue: connects to Redis); rejects with an ArgumentError naming `module` or `exportName`. */
  probe(): Promise<void>;
  close(): Promise<void>;
}
