import type { Range } from './Range.js';

/**
 * A search space: each parameter is a candidate vector (any values, sampled
 * by identity) or a continuous `Range`.
 */
export type Space = Readonly<Record<string, readonly unknown[] | Range>>;

/** The parameter record a space yields: `{ a: number, b: boolean, ... }`. */
export type ParamsOf<S extends Space> = {
  -readonly [K in keyof S]: S[K] extends Range<infer T> ? T : S[K] extends readonly (infer E)[] ? E : never;
};
