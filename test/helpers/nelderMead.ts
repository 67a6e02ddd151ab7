/** A plain Nelder–Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) limited to `calls` f-evaluations. */
export function nelderMead(f: (x: number[]) => number, x0: number[], calls: number, step: number[]): { x: number[]; fx: number } {
  const n = x0.length;
  let used = 0;
  const evalf = (x: number[]) => {
    used++;
    return f(x);
  };
  let simplex = [x0, ...x0.map((_, j) => x0.map((v, k) => (k === j ? v + step[j] : v)))].map((x) => ({ x, fx: evalf(x) }));
  while (used < calls) {
    simplex.sort((p, q) => p.fx - q.fx);
    const worst = simplex[n];
    const centroid = x0.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const at = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const r = { x: at(-1), fx: NaN };
    r.fx = evalf(r.x);
    if (r.fx < simplex[0].fx) {
      const e = { x: at(-2), fx: NaN };
      e.fx = used < calls ? evalf(e.x) : Infinity;
      simplex[n] = e.fx < r.fx ? e : r;
    } else if (r.fx < simplex[n - 1].fx) {
      simplex[n] = r;
    } else {
      const c = { x: at(0.5), fx: NaN };
      c.fx = used < calls ? evalf(c.x) : Infinity;
      if (c.fx < worst.fx) simplex[n] = c;
      else {
        const best = simplex[0];
        simplex = [best, ...simplex.slice(1).map((p) => ({ x: p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])), fx: NaN }))];
        for (const p of simplex.slice(1)) p.fx = evalf(p.x);
      }
    }
  }
  simplex.sort((p, q) => p.fx - q.fx);
  return simplex[0];
}
