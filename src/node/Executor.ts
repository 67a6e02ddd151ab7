import type { Objective } from '../trial/Objective.js';

/**
 * An objective that runs somewhere else: worker threads (`threads`), child
 * processes (`processes`) or machines behind a Redis queue (`queue`). It is
 * an ordinary `Objective`, so `hyperopt`, `hyperopt$` and `evaluate` take it
 * unchanged: sampling stays in this process (one RNG, no duplicate samples),
 * only the evaluations move. Close it when done (or `await using`).
 */
export type Executor<P = any, S = unknown> = Objective<P, S> & {
  /** Evaluations it can run at once (threads, processes, or the queue's `concurrency`): pass it as `hyperopt`'s `concurrency`. */
  readonly concurrency: number;
  /** Starts the workers and loads the module in one; rejects with an ArgumentError naming `module` or `exportName`, or when Redis is unreachable. Optional: the first trial does it too. */
  ready(): Promise<void>;
  /** Stops the workers (and cleans the queue); trials still running fail. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};
