/** One rung of a successive-halving bracket: how many configurations run, with what budget. */
export interface HyperbandRung {
  readonly size: number;
  /** The cumulative budget of each evaluation in this rung (`r * eta^k`), passed as `trial.resources`. */
  readonly resources: number;
}

/** One Hyperband bracket: `n` configurations start with `r` resources, `s + 1` rungs. */
export interface HyperbandBracket {
  readonly s: number;
  readonly n: number;
  readonly r: number;
  readonly rungs: readonly HyperbandRung[];
}

// R is Hyperband's `maxResource` (the largest budget), named as in Li et al. and Hyperopt.jl so the formulas read as there.

/** Julia's default `isapprox` tolerance: sqrt(eps(Float64)). */
const RTOL = Math.sqrt(Number.EPSILON);

/**
 * The largest bracket index, `floor(log_eta(R))`, except that a quotient
 * within Julia's `isapprox` tolerance below an integer counts as that integer:
 * `log(243) / log(3)` is 4.999999999999999 in IEEE arithmetic and must give 5.
 * Negative for R < 1 (no brackets).
 */
export function maxBracket(R: number, eta: number): number {
  const x = Math.log(R) / Math.log(eta);
  const c = Math.ceil(x);
  return Math.abs(x - c) <= RTOL * Math.max(Math.abs(x), Math.abs(c)) ? c : Math.floor(x);
}

/**
 * Hyperband's brackets in running order (`s = s_max` down to 0), counted as
 * Hyperopt.jl counts them: `n = ceil((B / R) * (eta^s / (s + 1)))`,
 * `r = R / eta^s`, rung k runs `r * eta^k` and keeps `floor((n / eta^k) / eta)`
 * for the next rung. Floats are evaluated in Julia's order so that budgets
 * match it to the last bit (R = 50, eta = 3: 27/9/3/1, 12/4/1, 6/2, 4 = 69).
 */
export function hyperbandBrackets(R: number, eta: number): HyperbandBracket[] {
  const sMax = maxBracket(R, eta);
  const B = (sMax + 1) * R;
  const brackets: HyperbandBracket[] = [];
  for (let s = sMax; s >= 0; s--) {
    const n = Math.ceil((B / R) * (eta ** s / (s + 1)));
    const r = R / eta ** s;
    brackets.push({ s, n, r, rungs: rungSizes(n, s + 1, eta).map((size, k) => ({ size, resources: r * eta ** k })) });
  }
  return brackets;
}

/**
 * Sizes of `count` rungs that start with `n` configurations: rung k + 1 keeps
 * `floor((n / eta^k) / eta)` of rung k (Julia keeps the float `n_k`, not floored).
 */
export function rungSizes(n: number, count: number, eta: number): number[] {
  const sizes = [n];
  for (let k = 0; k + 1 < count; k++) sizes.push(Math.floor(n / eta ** k / eta));
  return sizes;
}

/** Evaluations of one Hyperband iteration: the sum of all rung sizes. */
export function hyperbandEvaluations(R: number, eta: number): number {
  let total = 0;
  for (const bracket of hyperbandBrackets(R, eta)) for (const rung of bracket.rungs) total += rung.size;
  return total;
}
