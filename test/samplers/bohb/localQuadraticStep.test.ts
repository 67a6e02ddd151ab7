import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { localQuadraticStep, MAX_QUADRATIC_DIMS } from '../../../src/samplers/bohb/localQuadraticStep.js';
import { CONTINUOUS, UNORDERED, type Encoding } from '../../../src/samplers/bohb/Encoding.js';
import type { Observation } from '../../../src/samplers/bohb/ObservationStore.js';
import { createRng } from '../../../src/samplers/internal/rng.js';

const continuousEncoding = (m: number): Encoding => ({ kinds: Array<number>(m).fill(CONTINUOUS), levels: Array<number>(m).fill(0) });

/** Observations of f at the points, best first as the store keeps them. */
function observe(points: Float64Array[], f: (x: Float64Array) => number): Observation[] {
  return points.map((x, seq) => ({ x, loss: f(x), seq })).sort((a, b) => a.loss - b.loss || a.seq - b.seq);
}

function randomPoints(n: number, d: number, seed: number, levels: readonly number[] = []): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Float64Array.from({ length: d }, (_, j) => (levels[j] ? Math.floor(rng() * levels[j]) : rng())));
}

/** A rotated bowl in 2-D with its minimum at (0.31, 0.62). */
const bowl = (x: Float64Array) => {
  const a = x[0] - 0.31;
  const b = x[1] - 0.62;
  return 3 * a * a + 2 * a * b + b * b;
};

describe('localQuadraticStep', () => {
  it('should step from the incumbent to near the minimum of a quadratic loss', () => {
    const observed = observe(randomPoints(40, 2, 7), bowl);
    const incumbent = observed[0].x;
    const step = localQuadraticStep(observed, continuousEncoding(2), [], createRng(1))!;
    const distance = (x: Float64Array) => Math.hypot(x[0] - 0.31, x[1] - 0.62);
    expect(distance(incumbent)).toBeGreaterThan(0.03);
    expect(distance(step)).toBeLessThan(distance(incumbent) / 3);
  });

  it('should step on an exact quadratic to a point no worse than the incumbent but for the ridge’s bias, in 1 to 4 dimensions (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.double({ min: 0.2, max: 0.8, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: 0.2, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 1e6 }),
        (m, centre, weights, seed) => {
          // A diagonal bowl plus one coupling term, positive definite for these weights.
          const f = (x: Float64Array) => {
            let s = 0;
            for (let j = 0; j < m; j++) s += weights[j] * (x[j] - centre[j]) ** 2;
            return m > 1 ? s + 0.1 * (x[0] - centre[0]) * (x[1] - centre[1]) : s;
          };
          const observed = observe(randomPoints(60, m, seed), f);
          const step = localQuadraticStep(observed, continuousEncoding(m), [], createRng(seed));
          expect(step).toBeDefined();
          // The ridge biases the fitted minimum by a hair of the losses' spread, which shows only when the incumbent is next to it.
          expect(f(step!)).toBeLessThanOrEqual(f(observed[0].x) + 1e-4 * (observed[30].loss - observed[0].loss));
          for (const v of step!) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should keep the incumbent’s categorical levels and fit only the continuous dimensions', () => {
    const encoding: Encoding = { kinds: [CONTINUOUS, UNORDERED, CONTINUOUS], levels: [0, 3, 0] };
    const f = (x: Float64Array) => (x[0] - 0.4) ** 2 + (x[2] - 0.7) ** 2 + (x[1] === 2 ? 0 : 0.5);
    const observed = observe(randomPoints(80, 3, 3, [0, 3, 0]), f);
    for (let seed = 1; seed <= 5; seed++) {
      const step = localQuadraticStep(observed, encoding, [], createRng(seed))!;
      expect(step[1]).toBe(observed[0].x[1]);
      expect(f(step)).toBeLessThanOrEqual(f(observed[0].x));
    }
  });

  it('should be deterministic for a seed, and move away from steps still in flight', () => {
    const observed = observe(randomPoints(40, 2, 11), bowl);
    const first = localQuadraticStep(observed, continuousEncoding(2), [], createRng(5))!;
    expect(localQuadraticStep(observed, continuousEncoding(2), [], createRng(5))).toEqual(first);
    // Same draws, the first step's neighbourhood excluded: another point.
    const second = localQuadraticStep(observed, continuousEncoding(2), [first], createRng(5))!;
    expect(Math.hypot(second[0] - first[0], second[1] - first[1])).toBeGreaterThan(1e-3);
  });

  it('should give up when there is nothing to fit', () => {
    const rng = createRng(1);
    // 2 continuous dimensions: 6 terms, so at least 6 + 2 finite observations.
    const few = observe(randomPoints(7, 2, 1), bowl);
    expect(localQuadraticStep(few, continuousEncoding(2), [], rng)).toBeUndefined();
    const failed = [...few, { x: new Float64Array([0.5, 0.5]), loss: Infinity, seq: 7 }];
    expect(localQuadraticStep(failed, continuousEncoding(2), [], rng)).toBeUndefined();
    expect(localQuadraticStep([...few, ...observe(randomPoints(1, 2, 2), bowl)], continuousEncoding(2), [], rng)).toBeDefined();
    const categorical: Encoding = { kinds: [UNORDERED, UNORDERED], levels: [2, 3] };
    expect(
      localQuadraticStep(
        observe(randomPoints(50, 2, 1, [2, 3]), (x) => x[0] + x[1]),
        categorical,
        [],
        rng,
      ),
    ).toBeUndefined();
    const m = MAX_QUADRATIC_DIMS + 1;
    expect(
      localQuadraticStep(
        observe(randomPoints(600, m, 1), (x) => x.reduce((s, v) => s + v * v, 0)),
        continuousEncoding(m),
        [],
        rng,
      ),
    ).toBeUndefined();
  });
});
