import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  allContinuous,
  continuousValue,
  budgetedGenerations,
  defaultGenerations,
  fixedPointCrossover,
  invertSegment,
  levelCounts,
  optimizePlan,
  planFitness,
  randomPlan,
  roundHalfEven,
  stratumIndex,
  swapMutation,
  tournament,
  type Plan,
  type PlanColumn,
} from '../../src/samplers/internal/lhsPlan.js';
import { createRng, type Rng } from '../../src/samplers/internal/rng.js';
import { audzeEglais, type ReferenceColumn } from './lhsReference.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { uniform } from '../../src/space/uniform.js';
import { logUniform } from '../../src/space/logUniform.js';
import { intUniform } from '../../src/space/intUniform.js';

/** A plan from rows written as in Julia (1-based), stored 0-based and column-major. */
function planOf(rows: number[][]): Plan {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Int32Array(n * d);
  rows.forEach((row, r) => row.forEach((v, k) => (data[k * n + r] = v - 1)));
  return { rows: n, columns: d, data };
}

function column(plan: Plan, k: number): number[] {
  return Array.from(plan.data.subarray(k * plan.rows, (k + 1) * plan.rows));
}

function counts(values: number[], levels: number): number[] {
  const out = new Array<number>(levels).fill(0);
  for (const v of values) out[v]++;
  return out;
}

/** Replays fixed numbers, so each random choice of an operator can be set by hand. */
function scripted(...values: number[]): Rng {
  let k = 0;
  return () => {
    if (k >= values.length) throw new Error('scripted rng ran out');
    return values[k++];
  };
}

function minPairwiseDistance(plan: Plan): number {
  let min = Infinity;
  for (let i = 1; i < plan.rows; i++) {
    for (let j = 0; j < i; j++) {
      let D = 0;
      for (let k = 0; k < plan.columns; k++) D += (plan.data[k * plan.rows + i] - plan.data[k * plan.rows + j]) ** 2;
      min = Math.min(min, D);
    }
  }
  return Math.sqrt(min);
}

const columnsArb = fc.array(
  fc.oneof(
    fc.constant<PlanColumn>({ kind: 'continuous' }),
    fc.integer({ min: 1, max: 7 }).map((levels): PlanColumn => ({ kind: 'categorical', levels })),
  ),
  { minLength: 1, maxLength: 4 },
);

describe('budgetedGenerations', () => {
  it("caps Hyperopt.jl's count by the planning budget, keeping at least one generation", () => {
    expect(budgetedGenerations(100, 3)).toBe(25);
    expect(budgetedGenerations(1000, 10)).toBe(1);
    expect(budgetedGenerations(2, 2)).toBe(660);
    expect(budgetedGenerations(300, 2)).toBeLessThan(defaultGenerations(300, 2));
    expect(budgetedGenerations(100, 3, 20)).toBe(20); // never above the given limit
    expect(budgetedGenerations(5, 1, 500)).toBe(500);
  });
});

describe('defaultGenerations', () => {
  it("should be Hyperopt.jl's (200000 ÷ n) ÷ d", () => {
    expect(defaultGenerations(100, 3)).toBe(666);
    expect(defaultGenerations(300, 2)).toBe(333);
    expect(defaultGenerations(50, 2)).toBe(2000);
    expect(defaultGenerations(1000, 10)).toBe(20);
    expect(defaultGenerations(300000, 1)).toBe(0);
  });
});

describe('roundHalfEven and levelCounts', () => {
  it("should round ties to even like Julia's round", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map((x) => roundHalfEven(x * 10, 10))).toEqual([0, 2, 2, 4, 2, 3]);
    expect(roundHalfEven(5, 2)).toBe(2);
    expect(roundHalfEven(18, 4)).toBe(4);
  });

  it('should give the level counts of LatinHypercubeSampling.jl, not those of Math.round', () => {
    expect(levelCounts(5, 2)).toEqual([2, 3]);
    expect(levelCounts(6, 4)).toEqual([2, 1, 1, 2]);
    expect(levelCounts(10, 3)).toEqual([3, 4, 3]);
    expect(levelCounts(100, 2)).toEqual([50, 50]);
    expect(levelCounts(1, 2)).toEqual([0, 1]);
  });

  it('should use each level floor(n/L) or ceil(n/L) times, n in total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 60 }), (n, L) => {
        const c = levelCounts(n, L);
        expect(c.reduce((a, b) => a + b, 0)).toBe(n);
        for (const k of c) expect([Math.floor(n / L), Math.ceil(n / L)]).toContain(k);
      }),
    );
  });
});

describe('randomPlan', () => {
  it('should make continuous columns permutations and categorical columns balanced', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), columnsArb, fc.integer(), (n, columns, seed) => {
        const plan = randomPlan(n, columns, createRng(seed));
        columns.forEach((c, k) => {
          const values = column(plan, k);
          if (c.kind === 'continuous') expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, r) => r));
          else expect(counts(values, c.levels)).toEqual(levelCounts(n, c.levels));
        });
      }),
    );
  });
});

describe('audzeEglais (the reference in lhsReference.ts)', () => {
  it('should reproduce the worked examples (n = 3, d = 2)', () => {
    const spread = planOf([
      [1, 1],
      [2, 3],
      [3, 2],
    ]);
    const diagonal = planOf([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(audzeEglais(spread)).toBeCloseTo(1 / 0.9, 14);
    expect(audzeEglais(diagonal)).toBeCloseTo(1 / 1.125, 14);
    expect(audzeEglais(spread, { periodic: true })).toBeCloseTo(2 / 3, 14);
    expect(audzeEglais(diagonal, { periodic: true })).toBeCloseTo(2 / 3, 14);
  });

  it('should be 0 when two rows coincide, and scale with interSampleWeight', () => {
    expect(
      audzeEglais(
        planOf([
          [1, 1],
          [1, 1],
          [2, 2],
        ]),
      ),
    ).toBe(0);
    const plan = planOf([
      [1, 1],
      [2, 3],
      [3, 2],
    ]);
    expect(audzeEglais(plan, { interSampleWeight: 2 })).toBe(2 * audzeEglais(plan));
  });

  it('should use p in 1 / D^(p/2)', () => {
    const plan = planOf([
      [1, 1],
      [2, 3],
      [3, 2],
    ]); // D = 5, 5, 2
    expect(audzeEglais(plan, { aePower: 4 })).toBeCloseTo(1 / (1 / 25 + 1 / 25 + 1 / 4), 14);
  });

  it('should add weighted per-level terms for categorical columns, 0 for a level with fewer than two rows', () => {
    // Column 2 is categorical with levels 1, 1, 2: level 1 holds rows 1 and 2 (D = 1 + 0 = 1), level 2 one row.
    const plan = planOf([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    const columns: ReferenceColumn[] = [{ kind: 'continuous' }, { kind: 'categorical', levels: 2, weight: 0.5 }];
    const global = 1 / (1 / 1 + 1 / 5 + 1 / 2);
    expect(audzeEglais(plan, { columns })).toBeCloseTo(global + 0.5 * 1, 14);
    expect(audzeEglais(plan, { columns: [{ kind: 'continuous' }, { kind: 'categorical', levels: 2 }] })).toBe(global);
  });
});

describe('planFitness', () => {
  it("should be the reference fitness with Julia's defaults, to the last bit", () => {
    expect(
      planFitness(
        planOf([
          [1, 1],
          [2, 3],
          [3, 2],
        ]),
      ),
    ).toBe(1 / 0.9);
    expect(
      planFitness(
        planOf([
          [1, 1],
          [1, 1],
          [2, 2],
        ]),
      ),
    ).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), columnsArb, fc.integer(), (n, columns, seed) => {
        const plan = randomPlan(n, columns, createRng(seed));
        expect(planFitness(plan)).toBe(audzeEglais(plan, { columns }));
      }),
    );
  });
});

describe('GA operators', () => {
  it('should cross over as in the worked example A = [3,1,4,2,5], B = [5,4,3,2,1], c = 2 → [3,1,5,4,2]', () => {
    const data = Int32Array.of(3, 1, 4, 2, 5, 5, 4, 3, 2, 1).map((v) => v - 1);
    const child = new Int32Array(5);
    fixedPointCrossover(data, 0, 5, 5, child, new Uint8Array(5), scripted(0.25)); // cut = 1 + floor(0.25 * 4) = 2
    expect(Array.from(child, (v) => v + 1)).toEqual([3, 1, 5, 4, 2]);
  });

  it('should keep permutations permutations under crossover', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer(), (n, seed) => {
        const rng = createRng(seed);
        const a = randomPlan(n, allContinuous(2), rng).data;
        const child = new Int32Array(n);
        fixedPointCrossover(a, 0, n, n, child, new Uint8Array(n), rng);
        expect([...child].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, r) => r));
      }),
    );
  });

  it('should reverse the segment between two distinct positions, both included', () => {
    const data = Int32Array.of(1, 2, 3, 4, 5);
    invertSegment(data, 0, 5, scripted(0.3, 0.5)); // positions 1 and (2 → 3, skipping 1)
    expect(Array.from(data)).toEqual([1, 4, 3, 2, 5]);
  });

  it('should swap two distinct rows of one random column', () => {
    const data = Int32Array.of(0, 1, 2, 10, 11, 12); // 3 rows, 2 columns
    swapMutation(data, 0, 3, 2, scripted(0, 0, 0.9)); // rows 0 and 1, column 1
    expect(Array.from(data)).toEqual([0, 1, 2, 11, 10, 12]);
  });

  it('should let the better of two ranks win with probability ptour, else the worse', () => {
    const order = Int32Array.of(7, 3); // individual 7 worst, 3 best
    const ranks = new Int32Array(2);
    expect(tournament(order, ranks, 0.8, scripted(0, 0.6, 0.8))).toBe(3); // ranks 0 and 1; 0.8 <= ptour: the best wins
    expect(tournament(order, ranks, 0.8, scripted(0.9, 0.1, 0.81))).toBe(7); // ranks 1 and 0; 0.81 > ptour: the last wins
  });
});

describe('optimizePlan', () => {
  it('should keep every column multiset, never lose fitness, and report the fitness of the plan it returns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), columnsArb, fc.integer({ min: 0, max: 30 }), fc.integer(), (n, columns, generations, seed) => {
        const rng = createRng(seed);
        const { plan, history } = optimizePlan(randomPlan(n, columns, rng), generations, rng, columns);
        columns.forEach((c, k) => {
          const values = column(plan, k);
          if (c.kind === 'continuous') expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, r) => r));
          else expect(counts(values, c.levels)).toEqual(levelCounts(n, c.levels));
        });
        expect(history).toHaveLength(generations + 1);
        for (let g = 1; g <= generations; g++) expect(history[g]).toBeGreaterThanOrEqual(history[g - 1]);
        expect(history[generations]).toBe(audzeEglais(plan, { columns }));
      }),
      { numRuns: 60 },
    );
  });

  it('should return the same plan for the same seed', () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from(optimizePlan(randomPlan(30, allContinuous(3), rng), 20, rng).plan.data);
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('should with 0 generations return the best of X and the random plans (X when it is best)', () => {
    const rng = createRng(5);
    const good = optimizePlan(randomPlan(20, allContinuous(2), rng), 300, rng).plan;
    const { plan, history } = optimizePlan(good, 0, createRng(6));
    expect(Array.from(plan.data)).toEqual(Array.from(good.data));
    expect(history[0]).toBe(audzeEglais(good));
  });

  it('should spread points further apart than an unoptimized Latin hypercube (20 fixed seeds)', () => {
    let optimized = 0;
    let unoptimized = 0;
    let wins = 0;
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(`spread-${seed}`);
      const x = randomPlan(20, allContinuous(2), rng);
      const { plan } = optimizePlan(x, 200, rng);
      const a = minPairwiseDistance(plan);
      const b = minPairwiseDistance(randomPlan(20, allContinuous(2), createRng(`random-${seed}`)));
      optimized += a;
      unoptimized += b;
      if (a > b) wins++;
      expect(audzeEglais(plan)).toBeGreaterThan(audzeEglais(x));
    }
    expect(optimized / 20).toBeGreaterThan(1.5 * (unoptimized / 20));
    expect(wins).toBeGreaterThanOrEqual(18);
  });

  it('should reject bad generations and columns with ArgumentError', () => {
    const x = randomPlan(5, allContinuous(2), createRng(1));
    expect(() => optimizePlan(x, -1, createRng(1))).toThrow(ArgumentError);
    expect(() => optimizePlan(x, 1.5, createRng(1))).toThrow(ArgumentError);
    expect(() => optimizePlan(x, 1, createRng(1), allContinuous(3))).toThrow(ArgumentError);
  });
});

describe('stratumIndex and continuousValue', () => {
  it('should pick exactly the stratum when the vector has as many elements as strata', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat(), (n, u, p) => {
        expect(stratumIndex(p % n, n, n, u)).toBe(p % n);
      }),
    );
  });

  it('should stay inside the vector and the cells the stratum overlaps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.nat(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, L, p, u) => {
        const s = p % n;
        const k = stratumIndex(s, n, L, u);
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThan(L);
        // Cell k = [k/L, (k+1)/L) overlaps stratum [s/n, (s+1)/n).
        expect(k * n).toBeLessThan((s + 1) * L);
        expect((k + 1) * n).toBeGreaterThan(s * L);
      }),
    );
  });

  it('should give each element of a vector whose length divides n exactly n/L strata', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 10 }), fc.integer(), (L, m, seed) => {
        const n = L * m;
        const rng = createRng(seed);
        const c = new Array<number>(L).fill(0);
        for (let s = 0; s < n; s++) c[stratumIndex(s, n, L, rng())]++;
        expect(c).toEqual(new Array<number>(L).fill(m));
      }),
    );
  });

  it('should keep range values inside their stratum (uniform, logUniform) and integers stratified (intUniform)', () => {
    const u = uniform(-2, 8);
    const lu = logUniform(1e-4, 1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, p, v) => {
        const s = p % n;
        const x = continuousValue(u, s, n, v) as number;
        expect(x).toBeGreaterThanOrEqual(-2 + (10 * s) / n - 1e-12);
        expect(x).toBeLessThanOrEqual(-2 + (10 * (s + 1)) / n + 1e-12);
        const y = Math.log10(continuousValue(lu, s, n, v) as number);
        expect(y).toBeGreaterThanOrEqual(-4 + (4 * s) / n - 1e-9);
        expect(y).toBeLessThanOrEqual(-4 + (4 * (s + 1)) / n + 1e-9);
      }),
    );
    const ints = Array.from({ length: 10 }, (_, s) => continuousValue(intUniform(1, 10), s, 10, 0.999));
    expect(ints).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
