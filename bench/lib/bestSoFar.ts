/** Running minimum: `out[k]` is the best of `values[0..k]` (NaN ignored, Infinity before any number). */
export function bestSoFar(values: readonly number[]): number[] {
  let best = Infinity;
  return values.map((v) => (best = v < best ? v : best));
}
