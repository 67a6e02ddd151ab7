import { describe, it, expect } from '@jest/globals';
import { GaussianProcess } from '../../../src/samplers/gp/GaussianProcess.js';
import { fitHyperparameters } from '../../../src/samplers/gp/fitHyperparameters.js';
import { negLogMarginalLikelihood, pairTable } from '../../../src/samplers/gp/negLogMarginalLikelihood.js';
import { createRng } from '../../../src/samplers/internal/rng.js';

/** n points in [0, 1]^D from a seeded generator, row-major. */
function design(n: number, D: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * D }, () => rng());
}

function standardized(values: number[]): Float64Array {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return Float64Array.from(values, (v) => (v - mean) / sd);
}

describe('GaussianProcess', () => {
  it('should interpolate noiseless data after a maximum-likelihood fit, and be uncertain away from it', () => {
    const n = 25;
    const D = 2;
    const X = design(n, D, 1);
    const y = standardized(Array.from({ length: n }, (_, i) => Math.sin(4 * X[i * D]) + X[i * D + 1] ** 2));
    const { theta } = fitHyperparameters(X, n, D, y, createRng(2), { starts: 3, maxIter: 60 });
    // Noiseless data: the fitted noise sits near its lower bound.
    expect(Math.exp(theta[D + 1])).toBeLessThan(1e-3);
    const gp = GaussianProcess.fit(X, n, D, y, theta)!;
    const pred = { mu: 0, variance: 0 };
    for (let i = 0; i < n; i++) {
      gp.predict(X.subarray(i * D, i * D + D), pred);
      expect(Math.abs(pred.mu - y[i])).toBeLessThan(0.02);
      expect(pred.variance).toBeLessThan(1e-3);
    }
    // Far outside the data the variance returns towards the prior amplitude.
    gp.predict([3, 3], pred);
    expect(pred.variance).toBeGreaterThan(0.5 * Math.exp(theta[D]));
  });

  it('should fit a short length scale to a relevant dimension and a long one to an irrelevant one', () => {
    const n = 40;
    const D = 3;
    const X = design(n, D, 3);
    // Only x0 matters, strongly; x1 a little; x2 not at all.
    const y = standardized(Array.from({ length: n }, (_, i) => Math.sin(6 * X[i * D]) + 0.3 * X[i * D + 1]));
    const { theta } = fitHyperparameters(X, n, D, y, createRng(4), { starts: 3, maxIter: 60 });
    const [l0, l1, l2] = [0, 1, 2].map((d) => Math.exp(theta[d]));
    expect(l0).toBeLessThan(l1);
    expect(l1).toBeLessThan(l2);
  });

  it('should give posterior gradients that match finite differences', () => {
    const n = 12;
    const D = 3;
    const X = design(n, D, 5);
    const y = standardized(Array.from({ length: n }, (_, i) => Math.cos(3 * X[i * D]) - X[i * D + 2]));
    const theta = Float64Array.from([-1, -0.5, 0.2, 0.1, -6]);
    const gp = GaussianProcess.fit(X, n, D, y, theta)!;
    const x = [0.31, 0.62, 0.17];
    const dMu = new Float64Array(D);
    const dVar = new Float64Array(D);
    gp.predictWithGradient(x, { mu: 0, variance: 0 }, dMu, dVar);
    for (let d = 0; d < D; d++) {
      const up = [...x];
      const down = [...x];
      up[d] += 1e-6;
      down[d] -= 1e-6;
      const a = gp.predict(up, { mu: 0, variance: 0 });
      const b = gp.predict(down, { mu: 0, variance: 0 });
      expect(dMu[d]).toBeCloseTo((a.mu - b.mu) / 2e-6, 5);
      expect(dVar[d]).toBeCloseTo((a.variance - b.variance) / 2e-6, 5);
    }
  });

  it('should give the same mean and variance from mean, predictMany (four at a time, and the rest) and predict', () => {
    const n = 30;
    const D = 4;
    const X = design(n, D, 7);
    const y = standardized(Array.from({ length: n }, (_, i) => Math.sin(3 * X[i * D]) * X[i * D + 3]));
    const gp = GaussianProcess.fit(X, n, D, y, Float64Array.from([-1, -0.7, 0, -0.3, 0.1, -5]))!;
    // 7 points: one block of four, then three one by one; two of them training points (variance near 0).
    const points = [X.subarray(0, D), ...Array.from({ length: 5 }, (_, k) => design(1, D, 10 + k)), X.subarray(5 * D, 6 * D)];
    const mu = new Float64Array(points.length);
    const variance = new Float64Array(points.length);
    gp.predictMany(points, mu, variance);
    points.forEach((x, p) => {
      const one = gp.predict(x, { mu: 0, variance: 0 });
      expect(mu[p]).toBeCloseTo(one.mu, 12);
      expect(variance[p]).toBeCloseTo(one.variance, 12);
      expect(gp.mean(x)).toBeCloseTo(one.mu, 12);
    });
  });

  it('should give a likelihood gradient that matches finite differences', () => {
    const n = 15;
    const D = 3;
    const X = design(n, D, 6);
    const y = standardized(Array.from({ length: n }, (_, i) => Math.sin(5 * X[i * D]) + X[i * D + 1]));
    const pairs = pairTable(X, n, D);
    const theta = Float64Array.from([-1, -0.5, 0.3, 0.2, -4]);
    const grad = new Float64Array(D + 2);
    negLogMarginalLikelihood(pairs, y, theta, grad);
    for (let k = 0; k < D + 2; k++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[k] += 1e-6;
      down[k] -= 1e-6;
      expect(grad[k]).toBeCloseTo((negLogMarginalLikelihood(pairs, y, up) - negLogMarginalLikelihood(pairs, y, down)) / 2e-6, 4);
    }
  });
});
