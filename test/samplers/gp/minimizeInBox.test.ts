import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { minimizeInBox } from '../../../src/samplers/gp/minimizeInBox.js';

describe('minimizeInBox', () => {
  it('should find the minimum of a convex quadratic projected onto the box (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 6 }), (centre) => {
        const n = centre.length;
        // Scaled axes (condition number 100), centre possibly outside [-1, 1]^n: the answer is the clipped centre.
        const scale = centre.map((_, i) => 1 + (99 * i) / Math.max(1, n - 1));
        const f = (x: Float64Array, g: Float64Array) => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            s += scale[i] * (x[i] - centre[i]) ** 2;
            g[i] = 2 * scale[i] * (x[i] - centre[i]);
          }
          return s;
        };
        const { x } = minimizeInBox(f, new Float64Array(n), new Float64Array(n).fill(-1), new Float64Array(n).fill(1), { maxIter: 200, tol: 1e-12 });
        centre.forEach((c, i) => expect(x[i]).toBeCloseTo(Math.min(1, Math.max(-1, c)), 4));
      }),
    );
  });

  it('should take fewer evaluations on a nearby function when started with the previous run’s curvature', () => {
    // An ill-conditioned quadratic, then the same one with its centre moved a little (a likelihood after one more point).
    const quadratic = (centre: number[]) => (x: Float64Array, g: Float64Array) => {
      let s = 0;
      for (let i = 0; i < 4; i++) {
        const w = 10 ** i;
        s += w * (x[i] - centre[i]) ** 2;
        g[i] = 2 * w * (x[i] - centre[i]);
      }
      return s;
    };
    const lo = new Float64Array(4).fill(-5);
    const hi = new Float64Array(4).fill(5);
    const first = minimizeInBox(quadratic([1, -1, 0.5, 0.2]), new Float64Array(4), lo, hi, { maxIter: 100, tol: 1e-12 });
    const moved = quadratic([1.05, -0.98, 0.51, 0.2]);
    const cold = minimizeInBox(moved, first.x, lo, hi, { maxIter: 100, tol: 1e-12 });
    const warm = minimizeInBox(moved, first.x, lo, hi, { maxIter: 100, tol: 1e-12, curvature: first.curvature });
    expect(warm.value).toBeLessThan(1e-8);
    expect(cold.value).toBeLessThan(1e-8);
    expect(warm.evaluations).toBeLessThan(cold.evaluations);
  });

  it('should minimise the Rosenbrock function from its usual start', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      const [a, b] = x;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const { x, value } = minimizeInBox(f, Float64Array.from([-1.2, 1]), Float64Array.from([-2, -2]), Float64Array.from([2, 2]), { maxIter: 500, tol: 1e-14 });
    expect(value).toBeLessThan(1e-6);
    expect(x[0]).toBeCloseTo(1, 2);
  });
});
