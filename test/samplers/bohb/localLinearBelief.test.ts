import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { localLinearBelief } from '../../../src/samplers/bohb/localLinearBelief.js';
import { BOHB } from '../../../src/samplers/BOHB.js';
import { hyperopt } from '../../../src/run/hyperopt.js';
import { linrange } from '../../../src/space/linrange.js';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
/** p, feature rows of length p, their losses and a point. */
const problem = fc.integer({ min: 1, max: 4 }).chain((p) =>
  fc.record({
    rows: fc.array(fc.array(unit, { minLength: p, maxLength: p }), { minLength: 1, maxLength: 30 }),
    point: fc.array(unit, { minLength: p, maxLength: p }),
    seedLosses: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 30, maxLength: 30 }),
  }),
);

describe('localLinearBelief', () => {
  it('should recover a linear loss from neighbours that span the space', () => {
    // A 6 × 6 grid on [0, 1]²: the 4 nearest points of any interior point span the plane.
    const rows: number[][] = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) rows.push([i / 5, j / 5]);
    const f = ([a, b]: readonly number[]) => 3 - 2 * a + 5 * b;
    for (const point of [
      [0.5, 0.5],
      [0.13, 0.77],
      [0.9, 0.05],
    ]) {
      expect(localLinearBelief(point, rows, rows.map(f))).toBeCloseTo(f(point), 1);
    }
  });

  it('should move with the losses: shifted by c, the belief shifts by c; scaled by s > 0, it scales (property)', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), ({ rows, point, seedLosses }, c, s) => {
        const losses = rows.map((_, i) => seedLosses[i]);
        const base = localLinearBelief(point, rows, losses);
        expect(Number.isFinite(base)).toBe(true);
        expect(
          localLinearBelief(
            point,
            rows,
            losses.map((l) => l + c),
          ),
        ).toBeCloseTo(base + c, 6);
        expect(
          localLinearBelief(
            point,
            rows,
            losses.map((l) => l * s),
          ),
        ).toBeCloseTo(base * s, 6);
      }),
      { numRuns: 200 },
    );
  });

  it('should believe the common loss of identical neighbours, and nothing without observations', () => {
    expect(
      localLinearBelief(
        [0.3, 0.3],
        [
          [0.5, 0.5],
          [0.5, 0.5],
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        [2, 2, 2, 2],
      ),
    ).toBeCloseTo(2, 9);
    expect(localLinearBelief([0.3], [], [])).toBeNaN();
  });
});

describe("BOHB's believer", () => {
  it('should leave a concurrency-1 run untouched: nothing is in flight when it draws', async () => {
    const space = { a: linrange(0, 1, 200), b: linrange(0, 1, 200), c: ['x', 'y', 'z'] };
    const f = ({ a, b, c }: { a: number; b: number; c: string }) => (a - 0.3) ** 2 + (b - 0.6) ** 2 + (c === 'y' ? 0 : 0.1);
    const run = async (believer: 'linear' | 'none') =>
      (await hyperopt({ space, iterations: 60, progress: false, sampler: new BOHB({ seed: 3, believer }) }, f)).trials.map((t) => t.params);
    expect(await run('linear')).toEqual(await run('none'));
  });

  it('should change what a concurrency-8 run draws once configurations in flight look good', async () => {
    const space = { a: linrange(0, 1, 200), b: linrange(0, 1, 200) };
    const f = ({ a, b }: { a: number; b: number }) => Promise.resolve().then(() => a + b);
    const run = async (believer: 'linear' | 'none') =>
      (await hyperopt({ space, iterations: 60, concurrency: 8, progress: false, sampler: new BOHB({ seed: 3, believer }) }, f)).trials.map((t) => t.params);
    expect(await run('linear')).not.toEqual(await run('none'));
  });
});
