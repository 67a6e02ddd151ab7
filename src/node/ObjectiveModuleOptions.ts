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
}
