/**
 * Thrown (or rejected with) for an invalid option, before any objective runs.
 * `option` names the offending option, e.g. `iterations` or `space.lr`.
 *
 * ## Example
 * ```ts
 * import { hyperopt, ArgumentError } from 'hyperopt-rx';
 * try { await hyperopt({ space: { x: [] }, iterations: 5 }, ({ x }) => x); }
 * catch (e) { if (e instanceof ArgumentError) console.log(e.option); } // Logs: space.x
 * ```
 */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
  constructor(
    /** The option at fault, as the user spells it (`concurrency`, `space.lr`, `dims[2]`). */
    readonly option: string,
    /** What is wrong with it; the message starts with the option's name. */
    problem: string,
  ) {
    super(`\`${option}\` ${problem}`);
  }
}
