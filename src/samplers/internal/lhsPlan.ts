// Optimized Latin hypercube plans: random plans, the inverse Audze–Eglais
// fitness and the genetic algorithm of LatinHypercubeSampling.jl (`LHCoptim!`),
// reimplemented from its description (design/algorithms.md §4). Pure functions
// on typed arrays, no Rx. Plans are 0-based: a continuous column is a
// permutation of 0..n-1, a categorical column holds levels 0..L-1 (Julia uses
// 1-based values; distances do not change under that shift).
import type { Rng } from './rng.js';
import { createRng } from './rng.js';
import { ArgumentError } from '../../base/ArgumentError.js';
import { fromUnit } from '../../space/fromUnit.js';
import { isRange, type Range } from '../../space/Range.js';

/** How the plan treats one column. */
export type PlanColumn =
  | { readonly kind: 'continuous' }
  | {
      readonly kind: 'categorical';
      /** Number of levels L: the column holds each of 0..L-1 floor or ceil(n/L) times. */
      readonly levels: number;
    };

/** An n×d integer plan, column-major: row r of column k is `data[k * rows + r]`. */
export interface Plan {
  readonly rows: number;
  readonly columns: number;
  readonly data: Int32Array;
}

export interface OptimizedPlan {
  readonly plan: Plan;
  /** The best fitness of the initial population, then after each generation (length generations + 1). */
  readonly history: Float64Array;
}

/**
 * Hyperopt.jl's default number of GA generations for an n-row, d-column
 * LHSampler plan: `(200000 ÷ n) ÷ d`, integer divisions left to right
 * (n = 100, d = 3: 666; n = 1000, d = 10: 20).
 */
export function defaultGenerations(rows: number, columns: number): number {
  return Math.floor(Math.floor(200000 / rows) / columns);
}

/**
 * Work units one GA generation costs (population 100): the pairwise
 * distances of every individual, its per-row operations and a fixed
 * per-individual overhead, calibrated on this GA (about 1.3 ns per unit).
 */
function generationWork(rows: number, columns: number): number {
  return 100 * (((rows * (rows - 1)) / 2) * columns + rows * columns + 600);
}

/** About 0.05–0.1 s of planning: Hyperopt.jl's counts take seconds (100 × 3: 1.3 s; n = 2: 50,000 generations). */
export const GENERATION_BUDGET = 4e7;

/**
 * The default generations: `limit` (Hyperopt.jl's count) capped so that a
 * plan costs about `GENERATION_BUDGET` work units, and at least one. The GA
 * reaches most of its gain early (100 × 3: 90 % of the 666-generation
 * fitness at 0 generations, 95 % at 30), so the cap keeps planning near
 * 0.1 s for a few percent of fitness.
 */
export function budgetedGenerations(rows: number, columns: number, limit = defaultGenerations(rows, columns)): number {
  return Math.min(limit, Math.max(1, Math.floor(GENERATION_BUDGET / generationWork(rows, columns))));
}

/**
 * Work units above which a sampler leaves its plan random instead of
 * optimising it (25 × GENERATION_BUDGET, about 1.3 s a generation): the GA
 * scores a population of 100 plans at O(rows² × columns) each, so 2,500 × 3
 * and 1,000 × 10 are still optimised, while 20,000 × 2 would take a minute
 * for its first population alone.
 */
export const OPTIMIZE_WORK_LIMIT = 25 * GENERATION_BUDGET;

/** True when the GA over a `rows` × `columns` plan fits OPTIMIZE_WORK_LIMIT. */
export function optimizable(rows: number, columns: number): boolean {
  return generationWork(rows, columns) <= OPTIMIZE_WORK_LIMIT;
}

/** `round(num / den)` for non-negative integers with ties to even, as Julia's `round` does. */
export function roundHalfEven(num: number, den: number): number {
  const q = Math.floor(num / den);
  const twice = 2 * (num - q * den);
  if (twice > den) return q + 1;
  if (twice < den) return q;
  return q % 2 === 0 ? q : q + 1;
}

/**
 * How many of n rows get each of L levels: level i (0-based) fills
 * `round(i·n/L) … round((i+1)·n/L) − 1` with round-half-to-even, so n = 5,
 * L = 2 gives [2, 3] (JS `Math.round` would give [3, 2]) and n = 6, L = 4
 * gives [2, 1, 1, 2]. Each count is floor(n/L) or ceil(n/L).
 */
export function levelCounts(rows: number, levels: number): number[] {
  const counts = new Array<number>(levels);
  for (let i = 0; i < levels; i++) counts[i] = roundHalfEven((i + 1) * rows, levels) - roundHalfEven(i * rows, levels);
  return counts;
}

/** A random plan: each continuous column a uniform random permutation, each categorical column its balanced levels shuffled. */
export function randomPlan(rows: number, columns: readonly PlanColumn[], rng: Rng): Plan {
  const d = columns.length;
  const data = new Int32Array(rows * d);
  for (let k = 0; k < d; k++) fillColumn(data, k * rows, rows, columns[k], rng);
  return { rows, columns: d, data };
}

function fillColumn(data: Int32Array, offset: number, n: number, column: PlanColumn, rng: Rng): void {
  if (column.kind === 'continuous') {
    for (let r = 0; r < n; r++) data[offset + r] = r;
  } else {
    for (let level = 0, r = 0; level < column.levels; level++) {
      const end = roundHalfEven((level + 1) * n, column.levels);
      for (; r < end; r++) data[offset + r] = level;
    }
  }
  shuffle(data, offset, n, rng);
}

function shuffle(data: Int32Array, offset: number, n: number, rng: Rng): void {
  for (let r = n - 1; r > 0; r--) {
    const s = Math.floor(rng() * (r + 1));
    const t = data[offset + r];
    data[offset + r] = data[offset + s];
    data[offset + s] = t;
  }
}

/**
 * The fitness the GA maximises: the inverse Audze–Eglais criterion
 * `1 / Σ_{i<j} 1 / D_ij`, D_ij the squared distance between rows i and j on
 * the integer grid (categorical columns included), summed over i ascending,
 * then j < i ascending, as Julia's is. Coincident rows make it 0. This is
 * LatinHypercubeSampling.jl's default fitness; its other options (periodic
 * distances, another power, per-level terms) no sampler uses.
 *
 * ## Example
 * ```ts
 * planFitness({ rows: 3, columns: 2, data: Int32Array.of(0, 1, 2, 0, 2, 1) }); // 1.1111…
 * ```
 */
export function planFitness(plan: Plan): number {
  return new Fitness(plan.rows, plan.columns).of(plan.data, 0);
}

/** Individuals per generation, as LatinHypercubeSampling.jl has them. */
const POPULATION = 100;
/** Individuals drawn per tournament (Julia's ntour). */
const TOURNAMENT_SIZE = 2;
/** Chance that a tournament's best wins (Julia's ptour); else the next best. */
const TOURNAMENT_PROBABILITY = 0.8;

/**
 * LatinHypercubeSampling.jl's `LHCoptim!(X, generations)` with its default
 * options: a genetic algorithm that maximises `planFitness` over plans with
 * X's column multisets (`columns`, default every column continuous). A
 * population of 100 (X and random plans); each generation keeps the best as
 * individual 0 and replaces the others by tournament winners (2 drawn, the
 * better wins with probability 0.8), then varies them: fixed-point crossover of continuous
 * columns between neighbours (1, 2), (3, 4), …, segment inversion of any
 * column with probability 1/d, and one swap of two rows in a random column.
 * Julia's quirks are kept: its "dynamic" mutation table is read at the last
 * generation, so every individual gets exactly one swap; and the fitness of
 * individual 0 is not refreshed when a new best moves in, so the next
 * tournament ranks the new elite with the old elite's fitness. The best
 * fitness never decreases. Plans of fewer than 2 rows are returned as is.
 *
 * ## Example
 * ```ts
 * const rng = createRng(1);
 * const { plan, history } = optimizePlan(randomPlan(100, allContinuous(3), rng), 666, rng);
 * history[666] >= history[0]; // true
 * ```
 */
export function optimizePlan(initial: Plan, generations: number, rng: Rng, columns: readonly PlanColumn[] = allContinuous(initial.columns)): OptimizedPlan {
  const { rows: n, columns: d } = initial;
  const P = POPULATION;
  if (columns.length !== d) throw new ArgumentError('columns', `has ${columns.length} entries for a plan of ${d} columns`);
  if (!Number.isInteger(generations) || generations < 0) throw new ArgumentError('generations', `must be a non-negative integer, got ${generations}`);
  const history = new Float64Array(generations + 1);
  if (n < 2) {
    // Nothing to optimise (and no two distinct rows to swap).
    history.fill(planFitness(initial));
    return { plan: { rows: n, columns: d, data: initial.data.slice() }, history };
  }

  const size = n * d; // one individual's plan
  const fitness = new Fitness(n, d);
  let pop = new Int32Array(P * size);
  let next = new Int32Array(P * size);
  const scores = new Float64Array(P);

  // 1. Population: X, then random plans with the same column kinds.
  pop.set(initial.data, 0);
  for (let p = 1; p < P; p++) {
    for (let k = 0; k < d; k++) fillColumn(pop, p * size + k * n, n, columns[k], rng);
  }
  for (let p = 0; p < P; p++) scores[p] = fitness.of(pop, p * size);
  let best = argmax(scores);
  let eliteScore = scores[best];
  copyPlan(pop, best, next, 0, size);
  history[0] = eliteScore;

  const continuous: number[] = [];
  for (let k = 0; k < d; k++) if (columns[k].kind === 'continuous') continuous.push(k);
  const order = new Int32Array(P);
  const ranks = new Int32Array(TOURNAMENT_SIZE);
  const childA = new Int32Array(n);
  const childB = new Int32Array(n);
  const seen = new Uint8Array(n);

  for (let generation = 1; generation <= generations; generation++) {
    // a. Tournament selection into individuals 1..P-1; ranks by ascending fitness.
    sortByFitness(scores, order);
    for (let p = 1; p < P; p++) {
      copyPlan(pop, tournament(order, ranks, TOURNAMENT_PROBABILITY, rng), next, p, size);
    }
    // b. Crossover of continuous columns between neighbours (1, 2), (3, 4), …
    for (let p = 1; p + 1 < P; p += 2) {
      for (const k of continuous) {
        if (rng() < 1 / continuous.length) {
          const a = p * size + k * n;
          const b = (p + 1) * size + k * n;
          fixedPointCrossover(next, a, b, n, childA, seen, rng);
          fixedPointCrossover(next, b, a, n, childB, seen, rng);
          next.set(childA, a);
          next.set(childB, b);
        }
      }
    }
    // c. Inversion (each column with probability 1/d), then one swap mutation.
    for (let p = 1; p < P; p++) {
      const offset = p * size;
      for (let k = 0; k < d; k++) if (rng() < 1 / d) invertSegment(next, offset + k * n, n, rng);
      swapMutation(next, offset, n, d, rng);
    }
    // d. Evaluate; individual 0, the elite, is unchanged, so its fitness is known.
    scores[0] = eliteScore;
    for (let p = 1; p < P; p++) scores[p] = fitness.of(next, p * size);
    best = argmax(scores);
    if (best !== 0) copyPlan(next, best, next, 0, size);
    eliteScore = scores[best];
    history[generation] = eliteScore;
    // The children become the parents; `scores[0]` keeps the old elite's fitness (Julia's quirk).
    const parents = next;
    next = pop;
    pop = parents;
    copyPlan(pop, 0, next, 0, size);
  }
  return { plan: { rows: n, columns: d, data: next.slice(0, size) }, history };
}

/** Every column continuous: a plain Latin hypercube. */
export function allContinuous(columns: number): PlanColumn[] {
  return Array.from({ length: columns }, () => ({ kind: 'continuous' as const }));
}

/**
 * The cell of a vector of `length` candidates that stratum `stratum` of
 * `strata` picks, with u in [0, 1) placing the point inside the stratum.
 * Equal lengths give exactly `stratum`, so each candidate is used once; a
 * shorter vector spreads its candidates evenly over the strata, a longer one
 * picks among the candidates a stratum covers.
 */
export function stratumIndex(stratum: number, strata: number, length: number, u: number): number {
  const first = Math.floor((stratum * length) / strata);
  const last = Math.ceil(((stratum + 1) * length) / strata) - 1;
  const k = Math.floor(((stratum + u) * length) / strata);
  // The clamp only guards against rounding at the stratum's edges.
  return k < first ? first : k > last ? last : k;
}

/**
 * The value of a space entry for stratum `stratum` of `strata`, u in [0, 1)
 * placing it inside the stratum: stratified in the unit interval, then mapped
 * as `fromUnit` maps. Vectors and `intUniform` pick a cell with
 * `stratumIndex`, so a length equal to `strata` uses each element once.
 */
export function continuousValue(entry: readonly unknown[] | Range, stratum: number, strata: number, u: number): unknown {
  if (!isRange(entry)) return entry[stratumIndex(stratum, strata, entry.length, u)];
  if (entry.kind === 'intUniform') return entry.lo + stratumIndex(stratum, strata, entry.hi - entry.lo + 1, u);
  return fromUnit(entry, (stratum + u) / strata);
}

/** The plan's generator for a run: `seed` for the first run, a fresh one per continuation (`start` > 0). */
export function planRng(seed: number | string, start: number): Rng {
  return createRng(start === 0 ? seed : `${seed}/${start}`);
}

/** Copies individual p of `from` over individual q of `to` (a loop: no subarray view to allocate per copy). */
function copyPlan(from: Int32Array, p: number, to: Int32Array, q: number, size: number): void {
  for (let k = 0, x = p * size, y = q * size; k < size; k++) to[y + k] = from[x + k];
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let p = 1; p < values.length; p++) if (values[p] > values[best]) best = p;
  return best;
}

/** Indices by ascending fitness, ties in index order (Julia's `sortperm` is stable). */
function sortByFitness(scores: Float64Array, order: Int32Array): void {
  for (let p = 0; p < order.length; p++) order[p] = p;
  // Insertion sort: stable, and the population is small and mostly sorted from the previous generation.
  for (let p = 1; p < order.length; p++) {
    const x = order[p];
    const s = scores[x];
    let q = p - 1;
    while (q >= 0 && scores[order[q]] > s) {
      order[q + 1] = order[q];
      q--;
    }
    order[q + 1] = x;
  }
}

/** Draws distinct ranks, tries them best first, each winning with probability `probability`; the last one wins regardless. */
export function tournament(order: Int32Array, ranks: Int32Array, probability: number, rng: Rng): number {
  const P = order.length;
  const size = ranks.length;
  for (let t = 0; t < size; t++) {
    let rank = Math.floor(rng() * P);
    for (let u = 0; u < t; u++) {
      if (ranks[u] === rank) {
        rank = Math.floor(rng() * P);
        u = -1; // drawn before: draw again and recheck
      }
    }
    ranks[t] = rank;
  }
  // Best (highest) rank first; an insertion sort, as tournaments are tiny.
  for (let t = 1; t < size; t++) {
    const r = ranks[t];
    let u = t - 1;
    for (; u >= 0 && ranks[u] < r; u--) ranks[u + 1] = ranks[u];
    ranks[u + 1] = r;
  }
  for (let t = 0; t < size - 1; t++) if (rng() <= probability) return order[ranks[t]];
  return order[ranks[size - 1]];
}

/**
 * A child of parents A (at a) and B (at b): A's first c entries, c uniform in
 * 1..n-1, then B's entries in B's order that are not yet present, so a
 * permutation stays a permutation. A = [3,1,4,2,5], B = [5,4,3,2,1], c = 2 → [3,1,5,4,2].
 */
export function fixedPointCrossover(data: Int32Array, a: number, b: number, n: number, child: Int32Array, seen: Uint8Array, rng: Rng): void {
  const cut = 1 + Math.floor(rng() * (n - 1));
  seen.fill(0);
  for (let r = 0; r < cut; r++) {
    child[r] = data[a + r];
    seen[child[r]] = 1;
  }
  for (let r = 0, w = cut; w < n; r++) {
    const v = data[b + r];
    if (!seen[v]) child[w++] = v;
  }
}

/** Reverses the entries between two distinct random positions, both included. */
export function invertSegment(data: Int32Array, offset: number, n: number, rng: Rng): void {
  const x = Math.floor(rng() * n);
  let y = Math.floor(rng() * (n - 1));
  if (y >= x) y++; // two distinct positions
  let lo = offset + Math.min(x, y);
  let hi = offset + Math.max(x, y);
  while (lo < hi) {
    const t = data[lo];
    data[lo++] = data[hi];
    data[hi--] = t;
  }
}

/** Swaps two distinct random rows of one random column. */
export function swapMutation(data: Int32Array, offset: number, n: number, d: number, rng: Rng): void {
  const x = Math.floor(rng() * n);
  let y = Math.floor(rng() * (n - 1));
  if (y >= x) y++; // two distinct rows
  const column = offset + Math.floor(rng() * d) * n;
  const t = data[column + x];
  data[column + x] = data[column + y];
  data[column + y] = t;
}

/**
 * `planFitness` of individuals stored in a population array, fast: 1/D
 * summed over pairs four at a time from a row-major copy, each term added in
 * the defined order, so the value is exact to the last bit.
 */
class Fitness {
  readonly #rowMajor: Float64Array;

  constructor(
    readonly n: number,
    readonly d: number,
  ) {
    this.#rowMajor = new Float64Array(n * d);
  }

  /** The fitness of the plan at `offset` in `plans`. */
  of(plans: Int32Array, offset: number): number {
    return 1 / this.#inverseSum(plans, offset);
  }
  /** Σ 1/D over pairs (i ascending, j < i ascending), D computed on the fly, four pairs per step sharing row i's loads. */
  #inverseSum(plans: Int32Array, offset: number): number {
    const { n, d } = this;
    const x = this.#rowMajor;
    for (let k = 0; k < d; k++) for (let r = 0; r < n; r++) x[r * d + k] = plans[offset + k * n + r];
    let sum = 0;
    for (let i = 1; i < n; i++) {
      const oi = i * d;
      let j = 0;
      for (; j + 3 < i; j += 4) {
        const o0 = j * d;
        const o1 = o0 + d;
        const o2 = o1 + d;
        const o3 = o2 + d;
        let D0 = 0;
        let D1 = 0;
        let D2 = 0;
        let D3 = 0;
        for (let k = 0; k < d; k++) {
          const v = x[oi + k];
          const t0 = v - x[o0 + k];
          const t1 = v - x[o1 + k];
          const t2 = v - x[o2 + k];
          const t3 = v - x[o3 + k];
          D0 += t0 * t0;
          D1 += t1 * t1;
          D2 += t2 * t2;
          D3 += t3 * t3;
        }
        sum += 1 / D0;
        sum += 1 / D1;
        sum += 1 / D2;
        sum += 1 / D3;
      }
      for (; j < i; j++) {
        const oj = j * d;
        let D = 0;
        for (let k = 0; k < d; k++) {
          const t = x[oi + k] - x[oj + k];
          D += t * t;
        }
        sum += 1 / D;
      }
    }
    return sum;
  }
}
