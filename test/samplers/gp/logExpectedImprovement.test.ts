import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { logExpectedImprovement } from '../../../src/samplers/gp/logExpectedImprovement.js';
import { normalCdf, normalPdf } from '../../../src/samplers/gp/normal.js';

const out = () => ({ value: 0, dMu: 0, dSigma: 0 });

describe('logExpectedImprovement', () => {
  it('should equal the log of EI computed directly where that is accurate (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (mu, sigma, best) => {
          const z = (best - mu) / sigma;
          const ei = (best - mu) * normalCdf(z) + sigma * normalPdf(z);
          fc.pre(ei > 1e-8);
          expect(logExpectedImprovement(mu, sigma, best, out()).value).toBeCloseTo(Math.log(ei), 4);
        },
      ),
    );
  });

  it('should stay finite and decreasing far in the tail, where EI itself underflows to 0', () => {
    let last = Infinity;
    for (const mu of [10, 20, 40, 80, 160]) {
      const { value } = logExpectedImprovement(mu, 1, 0, out());
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeLessThan(last);
      last = value;
    }
    // Continuous across the switch to the asymptotic series at z = -8.
    const a = logExpectedImprovement(8 - 1e-9, 1, 0, out()).value;
    const b = logExpectedImprovement(8 + 1e-9, 1, 0, out()).value;
    expect(Math.abs(a - b)).toBeLessThan(1e-3);
  });

  it('should give partial derivatives in mu and sigma that match finite differences (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 5, noNaN: true }), fc.double({ min: 0.05, max: 3, noNaN: true }), (mu, sigma) => {
        const h = 1e-6;
        const g = logExpectedImprovement(mu, sigma, 0, out());
        const dMu = (logExpectedImprovement(mu + h, sigma, 0, out()).value - logExpectedImprovement(mu - h, sigma, 0, out()).value) / (2 * h);
        const dSigma = (logExpectedImprovement(mu, sigma + h, 0, out()).value - logExpectedImprovement(mu, sigma - h, 0, out()).value) / (2 * h);
        expect(Math.abs(g.dMu - dMu)).toBeLessThan(1e-3 * Math.max(1, Math.abs(dMu)));
        expect(Math.abs(g.dSigma - dSigma)).toBeLessThan(1e-3 * Math.max(1, Math.abs(dSigma)));
      }),
    );
  });
});
