/**
 * A continuous (or integer) interval in a search space, made by `uniform`,
 * `logUniform` or `intUniform`. Plain data, so spaces serialise to JSON.
 */
export interface Range<T extends number = number> {
  readonly kind: 'uniform' | 'logUniform' | 'intUniform';
  readonly lo: number;
  readonly hi: number;
  /** Phantom field carrying the value type for `ParamsOf`; never set. */
  readonly __value?: T;
}

const KINDS: ReadonlySet<unknown> = new Set(['uniform', 'logUniform', 'intUniform']);

/** True for a `Range` made by `uniform`, `logUniform` or `intUniform`. */
export function isRange(value: unknown): value is Range {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    KINDS.has((value as Range).kind) &&
    typeof (value as Range).lo === 'number' &&
    typeof (value as Range).hi === 'number'
  );
}
