import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { features, selectFromBatch } from '../../../src/samplers/bohb/KMeansBatch.js';
import { CONTINUOUS, ORDERED, UNORDERED, type Encoding } from '../../../src/samplers/bohb/Encoding.js';
import { createRng } from '../../../src/samplers/internal/rng.js';
import { BOHB, type BOHBOptions } from '../../../src/samplers/BOHB.js';
import { countingOnesProblem } from '../../../bench/problems/index.js';
import { hyperopt } from '../../../src/run/hyperopt.js';
import { ArgumentError } from '../../../src/base/ArgumentError.js';

const key = (x: Float64Array) => Array.from(x).join(',');

/** k proposals made one after another, each while the earlier ones are in flight, from one scored pool. */
function proposeBatch(xs: Float64Array[], scores: number[], k: number, encoding: Encoding, seed: number): Float64Array[] {
  const rng = createRng(seed);
  const pending: Float64Array[] = [];
  for (let p = 0; p < k; p++) pending.push(selectFromBatch({ xs, scores }, pending, encoding, 0.5, rng));
  return pending;
}

const mixed: Encoding = { kinds: [CONTINUOUS, CONTINUOUS, UNORDERED, ORDERED], levels: [0, 0, 3, 4] };
const point = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }));

describe('k-means batch selection', () => {
  it('should see unordered levels one-hot at distance 1 and ordered ones on [0, 1]', () => {
    expect(features(Float64Array.from([0.25, 0.5, 2, 3]), mixed)).toEqual([0.25, 0.5, 0, 0, Math.SQRT1_2, 1]);
    const a = features(Float64Array.from([0, 0, 0, 0]), mixed);
    const b = features(Float64Array.from([0, 0, 1, 0]), mixed);
    expect(a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0)).toBeCloseTo(1, 12);
  });

  it('should put two levels of one of m unordered dimensions at distance 1/√m (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (m, L, pick) => {
        const enc: Encoding = { kinds: [CONTINUOUS, ...Array<number>(m).fill(UNORDERED)], levels: [0, ...Array<number>(m).fill(L)] };
        const a = new Float64Array(m + 1);
        const b = a.slice();
        b[1 + (pick % m)] = 1 + (pick % (L - 1));
        const fa = features(a, enc);
        const fb = features(b, enc);
        expect(Math.sqrt(fa.reduce((s, v, j) => s + (v - fb[j]) ** 2, 0))).toBeCloseTo(1 / Math.sqrt(m), 12);
      }),
      { numRuns: 60 },
    );
  });

  it('should group by position, not by a level the good candidates have left, when one is in flight (seeded)', () => {
    // 8 unordered dimensions and one continuous: good candidates at x ≈ 0.1 and x ≈ 0.9, every level 1; two poor ones
    // with one level 0 beside the first group; one configuration in flight at x = 0.1. With each level change as far as
    // a dimension's range, k-means often gives the poor pair a group of its own and the proposal takes the left level;
    // at 1/√8 the groups are the two positions and the proposal is a good candidate near 0.9.
    const enc: Encoding = { kinds: [CONTINUOUS, ...Array<number>(8).fill(UNORDERED)], levels: [0, ...Array<number>(8).fill(2)] };
    const ones = Array<number>(8).fill(1);
    const xs: Float64Array[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 6; i++) {
      for (const c of [0.1, 0.9]) {
        xs.push(Float64Array.from([c + (i - 2.5) * 0.01, ...ones]));
        scores.push(Math.sin(i * 3 + c * 10));
      }
    }
    xs.push(Float64Array.from([0.1, 0, ...ones.slice(1)]), Float64Array.from([0.11, 0, ...ones.slice(1)]));
    scores.push(-2, -3);
    const pending = [Float64Array.from([0.1, ...ones])];
    for (let seed = 1; seed <= 200; seed++) {
      const x = selectFromBatch({ xs, scores }, pending, enc, 1, createRng(seed));
      expect(Array.from(x.subarray(1))).toEqual(ones);
      expect(x[0]).toBeGreaterThan(0.5);
    }
  });

  it('should propose the best candidate when nothing is in flight', () => {
    const xs = [0.1, 0.9, 0.5].map((v) => Float64Array.from([v]));
    expect(selectFromBatch({ xs, scores: [1, 3, 2] }, [], { kinds: [CONTINUOUS], levels: [0] }, 0.5, createRng(1))[0]).toBe(0.9);
  });

  it('should be deterministic for a seed (property)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 4, maxLength: 60 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (pts, k, seed) => {
        const xs = pts.map((p) => Float64Array.from(p));
        const scores = pts.map((p) => -((p[0] - 0.3) ** 2) - p[2]);
        const a = proposeBatch(xs, scores, k, mixed, seed).map(key);
        const b = proposeBatch(xs, scores, k, mixed, seed).map(key);
        expect(a).toEqual(b);
      }),
      { numRuns: 60 },
    );
  });

  it('should make k proposals in flight k distinct points whenever the pool has k distinct ones (property)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (pts, k, seed) => {
        const xs = pts.map((p) => Float64Array.from(p));
        const distinct = new Set(xs.map(key)).size;
        const scores = pts.map((_, i) => Math.sin(i * 12.9898 + seed));
        const batch = proposeBatch(xs, scores, k, mixed, seed);
        if (distinct >= k) expect(new Set(batch.map(key)).size).toBe(k);
        // Every proposal is one of the candidates.
        for (const x of batch) expect(xs.some((c) => key(c) === key(x))).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('should spread k proposals over k separated groups of candidates, one each, whatever the scores (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 48, maxLength: 48 }),
        fc.integer({ min: 0, max: 1e6 }),
        (k, copies, noise, seed) => {
          // k groups at the corners of a simplex in 8 dims, `copies` candidates each, scores unrelated to groups.
          const enc: Encoding = { kinds: Array<number>(8).fill(CONTINUOUS), levels: Array<number>(8).fill(0) };
          const xs: Float64Array[] = [];
          const group: number[] = [];
          for (let g = 0; g < k; g++) {
            for (let c = 0; c < copies; c++) {
              const x = new Float64Array(8);
              x[g] = 1;
              xs.push(x);
              group.push(g);
            }
          }
          const scores = xs.map((_, i) => noise[i % noise.length] + i * 1e-9);
          const batch = proposeBatch(xs, scores, k, enc, seed);
          const hit = new Set(batch.map((x) => x.indexOf(1)));
          expect(hit.size).toBe(k);
          expect(group.length).toBe(k * copies);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('BOHB batch option', () => {
  it('should default to kmeans, record it, and reject anything else naming the option', () => {
    expect(new BOHB({ seed: 1 }).batch).toBe('kmeans');
    expect(new BOHB({ seed: 1, batch: 'none' }).toJSON()).toMatchObject({ batch: 'none' });
    expect(() => new BOHB({ batch: 'greedy' as 'none' })).toThrow(ArgumentError);
    expect(() => new BOHB({ batch: 'greedy' as 'none' })).toThrow(/batch/);
  });

  it('should beat constant liar alone at concurrency 8 on counting ones with the k-means rule and the believer (fixed seeds, means)', async () => {
    // 8 binary + 8 continuous dimensions, 8 in flight, each result one microtask later. Over 100 seeds at 150 trials the
    // medians are 0.64 with the k-means rule and the believer, 0.69 k-means alone and 0.84 neither; the mean over these
    // 24 seeds is 0.70 against 0.87 neither (k-means alone is within noise of the default here: 0.70).
    const { space, dims, objective, gridFStar } = countingOnesProblem;
    const regret = async (options: BOHBOptions) => {
      let sum = 0;
      for (let seed = 1; seed <= 24; seed++) {
        const ho = await hyperopt({ space, iterations: 150, concurrency: 8, progress: false, sampler: new BOHB({ seed, dims, ...options }) }, (p: Record<string, unknown>) =>
          Promise.resolve().then(() => objective(p)),
        );
        sum += Math.min(...ho.trials.map((t) => t.value)) - gridFStar;
      }
      return sum / 24;
    };
    const kmeans = await regret({});
    const neither = await regret({ batch: 'none' });
    expect(kmeans).toBeLessThan(0.9 * neither);
  }, 120_000);
});
