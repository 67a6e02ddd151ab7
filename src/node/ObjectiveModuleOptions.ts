import type { Space } from '../space/Space.js';

/** Where the objective lives: shared by every executor. */
export interface ObjectiveModuleOptions {
  /**
   * The ES module (.js or .mjs; worker threads cannot load TypeScript) that
   * exports the objective: a path (resolved against the current directory)
   * or a `file:` URL such as `new URL('./objective.js', import.meta.url)`.
   */
  readonly module: string | URL;
  /** The export that is the objective. @default 'default' */
  readonly exportName?: string;
  /**
   * The run's space. Given, parameter values that cannot be copied to a
   * worker (functions, class instances) cross as their index in the
   * candidate vector and the worker takes the element of its own copy of the
   * space (the module's `spaceExport`); identity is kept. Without it, params
   * cross by structured clone.
   */
  readonly space?: Space;
  /** The module's export holding that same space. @default 'space' */
  readonly spaceExport?: string;
  /**
   * Stream the objective's intermediate values (an Observable's or async
   * iterable's emissions) back as they come, like an in-process streaming
   * objective: trials record `steps`, and a candidate's `prune` rule (ASHA,
   * Hyperband with a pruner) can stop a trial early, as an abort does (see
   * `abortGraceMs`; the queue cancels the job). Off, only the last value
   * crosses. @default false
   */
  readonly stream?: boolean;
  /**
   * When a trial is aborted or pruned, its objective's `signal` fires in the
   * worker (stop a program it started, free a GPU...); a thread or process
   * still running it this many milliseconds later is terminated and
   * replaced. @default 1000
   */
  readonly abortGraceMs?: number;
}
