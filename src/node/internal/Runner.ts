import type { PlainResult } from './objectiveRuntime.mjs';
import type { WireTask } from './WireTask.js';

/** Somewhere to run the objective module: a thread pool, a process pool, or this thread. */
export interface Runner {
  /** Runs one trial; aborting `signal` stops it (for pools: terminates its thread or process). */
  run(task: WireTask, signal?: AbortSignal): Promise<PlainResult>;
  /** Loads the module in one worker; rejects with an ArgumentError naming `module` or `exportName`. */
  probe(): Promise<void>;
  close(): Promise<void>;
}
