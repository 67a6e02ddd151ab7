import { readFileSync } from 'node:fs';

/** A test vector: input candidate vector and expected value. */
export interface TestVector {
  readonly v: readonly number[];
  readonly f: number;
}

/** A noisy counting-ones test vector, with the key of its noise stream. */
export interface NoisyTestVector extends TestVector {
  readonly seed: number;
  readonly trial: number;
  readonly budget: number;
}

/** bench/reference.json: test vectors, grid optima and the hyperoptjl grids (a copy of ../shared/bench). */
export interface Reference {
  readonly branin_grid_opt: { readonly f: number; readonly i: number; readonly j: number; readonly x: readonly number[] };
  readonly hartmann6_grid_opt: { readonly f: number; readonly idx: readonly number[]; readonly x: readonly number[] };
  readonly hyperoptjl_grid_opt: {
    readonly f: number;
    readonly a_idx: number;
    readonly b_idx: number;
    readonly c_idx: number;
    readonly a: number;
    readonly c: number;
  };
  readonly hyperoptjl_grid_a: readonly number[];
  readonly hyperoptjl_grid_c: readonly number[];
  readonly hyperoptjl_grid_c_exponent: readonly number[];
  readonly test_vectors: {
    readonly branin: readonly TestVector[];
    readonly hartmann6: readonly TestVector[];
    readonly hyperoptjl: readonly TestVector[];
    readonly counting_ones_true: readonly TestVector[];
    readonly counting_ones_noisy: readonly NoisyTestVector[];
    readonly noise_key: readonly { readonly seed: number; readonly trial: number; readonly budget: number; readonly key: number }[];
    readonly mulberry32: readonly { readonly key: number; readonly first5: readonly number[] }[];
  };
}

/** Read once; JSON.parse round-trips Python's repr floats exactly. */
export const reference: Reference = JSON.parse(readFileSync(new URL('../reference.json', import.meta.url), 'utf8')) as Reference;
