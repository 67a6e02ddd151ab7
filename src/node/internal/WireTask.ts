/**
 * Params on their way to a worker: values that cross as they are, and, for
 * values that cannot (functions, class instances, or for JSON non-finite
 * numbers), `[index, length]` into the candidate vector of the same name,
 * rebuilt in the worker from its own copy of the space.
 */
export interface WireParams {
  readonly values: Record<string, unknown>;
  readonly indices: Record<string, readonly [number, number]>;
}

/** One trial as a worker receives it. */
export interface WireTask {
  readonly i: number;
  readonly params: WireParams;
  readonly resources?: number;
  readonly state?: unknown;
}
