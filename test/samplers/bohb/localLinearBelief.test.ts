import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { localLinearBelief } from '../../../src/samplers/bohb/localLinearBelief.js';

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

  it('should fit the 2p nearest observations only, not all of them', () => {
    // |x − 0.5| on a grid: near 0.9 the two nearest points lie on the rising arm; a fit to all would be flat at 0.26.
    const rows = Array.from({ length: 21 }, (_, i) => [i / 20]);
    const losses = rows.map(([x]) => Math.abs(x - 0.5));
    expect(localLinearBelief([0.9], rows, losses)).toBeCloseTo(0.4, 1);
    expect(localLinearBelief([0.1], rows, losses)).toBeCloseTo(0.4, 1);
  });

  it('should believe the mean loss of identical neighbours (the ridge keeps the fit defined), and nothing without observations', () => {
    // Four copies of one point: no slope can be fitted; the intercept is their mean, not the nearest one's loss.
    const same = [
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
    ];
    expect(localLinearBelief([0.3, 0.3], same, [1, 3, 1, 3])).toBeCloseTo(2, 6);
    expect(localLinearBelief([0.3], [], [])).toBeNaN();
  });
});
