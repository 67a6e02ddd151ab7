/**
 * `n` evenly spaced points from `lo` to `hi` with numpy.linspace semantics
 * (`i * step + lo`, last point exactly `hi`), as problems.md defines the grid
 * form. Not the library's `linrange`, which interpolates like Julia's
 * LinRange and can differ by 1 ulp.
 */
export function grid(lo: number, hi: number, n = 1000): number[] {
  const step = (hi - lo) / (n - 1);
  const g = new Array<number>(n);
  for (let i = 0; i < n; i++) g[i] = i * step + lo;
  g[n - 1] = hi;
  return g;
}
