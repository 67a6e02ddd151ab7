import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  aitchisonAitken,
  erfc,
  gaussianKernel,
  normalCdf,
  normalQuantile,
  normalReferenceBandwidth,
  sampleAitchisonAitken,
  sampleKeepOrUniform,
  sampleTruncatedGaussian,
  sampleWangRyzin,
  truncatedGaussianKernel,
  unitMass,
  wangRyzin,
} from '../../src/samplers/internal/kde.js';
import { CONTINUOUS, UNORDERED, type Encoding } from '../../src/samplers/bohb/Encoding.js';
import type { ModelOptions } from '../../src/samplers/bohb/ModelOptions.js';
import { HpBandSterPolicy } from '../../src/samplers/bohb/HpBandSterPolicy.js';
import { BohbModel } from '../../src/samplers/bohb/BohbModel.js';
import { DensityEvaluator } from '../../src/samplers/bohb/DensityEvaluator.js';
import { createRng } from '../../src/samplers/internal/rng.js';

/** Trapezoid rule on [a, b] with n panels. */
function integrate(f: (x: number) => number, a: number, b: number, n = 20000): number {
  const step = (b - a) / n;
  let s = 0.5 * (f(a) + f(b));
  for (let k = 1; k < n; k++) s += f(a + k * step);
  return s * step;
}

describe('normal distribution helpers', () => {
  it('should give known values of Φ, erfc and Φ⁻¹', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 8);
    // Relative precision in the far tail (no cancellation).
    expect(erfc(5) / 1.5374597944280347e-12).toBeCloseTo(1, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 7);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('should invert Φ with Φ⁻¹ across (0, 1)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-6 * Math.min(p, 1 - p) + 1e-15);
      }),
    );
  });
});

describe('normalReferenceBandwidth (statsmodels normal_reference, algorithms.md §3.4)', () => {
  it('should equal 1.06 σ n^(-1/(4+k)) with the population σ on the worked columns', () => {
    expect(normalReferenceBandwidth([0.1, 0.2, 0.3], 2)).toBeCloseTo(0.0720676, 6);
    expect(normalReferenceBandwidth([0, 0, 1], 2)).toBeCloseTo(0.416082, 6);
    expect(normalReferenceBandwidth([0.1, 0.2], 1)).toBeCloseTo(0.0461392, 6);
    // Not MultiKDE.jl's swapped formula (sample σ, n and k swapped): 0.0960067.
    expect(normalReferenceBandwidth([0.1, 0.2, 0.3], 2)).not.toBeCloseTo(0.0960067, 3);
  });

  it('should be 0 on a constant column (the floor is the model’s job)', () => {
    expect(normalReferenceBandwidth([0.4, 0.4, 0.4], 3)).toBeCloseTo(0, 12);
  });
});

describe('kernels', () => {
  it('should make the Gaussian integrate to 1 over the line and the truncated one to 1 over [0, 1]', () => {
    for (const [m, h] of [
      [0.5, 0.1],
      [0.02, 0.3],
      [0.97, 0.05],
      [0, 2],
      [1, 0.001],
    ]) {
      expect(integrate((x) => gaussianKernel(x, m, h), m - 12 * h, m + 12 * h)).toBeCloseTo(1, 5);
      expect(integrate((x) => truncatedGaussianKernel(x, m, h), 0, 1, 200000)).toBeCloseTo(1, 3);
      expect(truncatedGaussianKernel(-0.01, m, h)).toBe(0);
      expect(truncatedGaussianKernel(1.01, m, h)).toBe(0);
    }
    expect(unitMass(0.5, 1e-3)).toBeCloseTo(1, 12);
    expect(unitMass(0, 0.1)).toBeCloseTo(0.5, 7);
  });

  it('should give the worked Aitchison–Aitken and Wang–Ryzin values (h = 0.3, data level 1)', () => {
    expect([0, 1, 2].map((x) => aitchisonAitken(x, 1, 0.3, 3))).toEqual([0.15, 0.7, 0.15].map((v) => expect.closeTo(v, 12)));
    expect([0, 1, 3].map((x) => wangRyzin(x, 1, 0.3))).toEqual([0.105, 0.7, 0.0315].map((v) => expect.closeTo(v, 12)));
  });

  it('should make Aitchison–Aitken sum to 1 over its levels and Wang–Ryzin over the integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(11), (levels, h, m0) => {
        const m = m0 % levels;
        let aa = 0;
        for (let x = 0; x < levels; x++) aa += aitchisonAitken(x, m, h, levels);
        expect(aa).toBeCloseTo(1, 12);
      }),
    );
    for (const h of [0.05, 0.3, 0.8]) {
      let wr = 0;
      for (let x = -400; x <= 400; x++) wr += wangRyzin(x, 0, h);
      expect(wr).toBeCloseTo(1, 10);
    }
  });
});

describe('samplers of the kernels', () => {
  it('should never leave [0, 1] with a truncated Gaussian, whatever the centre and width', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1e-6, max: 1e3, noNaN: true }), fc.integer(), (m, h, seed) => {
        const rng = createRng(seed);
        for (let k = 0; k < 20; k++) {
          const x = sampleTruncatedGaussian(m, h, rng);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('should draw truncated Gaussians with the mean of the truncated law', () => {
    const rng = createRng('mean');
    for (const [m, h] of [
      [0.1, 0.138418],
      [0.9, 0.5],
      [0.5, 0.05],
    ]) {
      let s = 0;
      const n = 20000;
      for (let k = 0; k < n; k++) s += sampleTruncatedGaussian(m, h, rng);
      const mean = integrate((x) => x * truncatedGaussianKernel(x, m, h), 0, 1, 100000);
      expect(Math.abs(s / n - mean)).toBeLessThan(0.005);
    }
  });

  it('should draw categorical kernels with their own probabilities', () => {
    const rng = createRng('cat');
    const n = 30000;
    const aa = [0, 0, 0, 0];
    const wr = [0, 0, 0, 0];
    const keep = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) {
      aa[sampleAitchisonAitken(1, 0.3, 4, rng)]++;
      wr[sampleWangRyzin(1, 0.3, 4, rng)]++;
      keep[sampleKeepOrUniform(1, 0.3, 4, rng)]++;
    }
    [0.1, 0.7, 0.1, 0.1].forEach((p, x) => expect(aa[x] / n).toBeCloseTo(p, 1));
    const wrTotal = [0, 1, 2, 3].reduce((s, x) => s + wangRyzin(x, 1, 0.3), 0);
    [0, 1, 2, 3].forEach((x) => expect(wr[x] / n).toBeCloseTo(wangRyzin(x, 1, 0.3) / wrTotal, 1));
    // HpBandSter's rule: keep with 1 - h, else uniform over all levels (m included).
    [0.075, 0.775, 0.075, 0.075].forEach((p, x) => expect(keep[x] / n).toBeCloseTo(p, 1));
  });
});

const hpbandsterOptions = (d: number, over: Partial<ModelOptions>): ModelOptions => ({
  q: 0.15,
  Ns: 64,
  bwFactor: 3,
  minBandwidth: 1e-3,
  Nmin: d + 1,
  maxGood: 25,
  priorWeight: 0,
  kernel: 'joint',
  local: 0,
  refine: 0,
  window: Infinity,
  ...over,
});

/** A model with HpBandSter's rules (ρ = 1/3 unless given) and an evaluator of its densities. */
const hpbandster = (encoding: Encoding, { rho = 1 / 3, ...over }: Partial<ModelOptions> & { rho?: number } = {}) => ({
  model: new BohbModel(new HpBandSterPolicy(encoding, hpbandsterOptions(encoding.kinds.length, over)), rho),
  evaluator: new DensityEvaluator(encoding),
});

describe('BohbModel in HpBandSter mode (algorithms.md §3.3-3.6)', () => {
  it('should reproduce the worked example of §3.6: split, bandwidths, l and g', () => {
    const { model, evaluator } = hpbandster({ kinds: [CONTINUOUS], levels: [0] });
    [0.1, 0.2, 0.8, 0.9].forEach((x, k) => model.observe(Float64Array.of(x), k + 1, undefined));
    const fitted = model.fit()!;
    expect(fitted.good.n).toBe(2);
    expect(fitted.bad.n).toBe(2);
    expect(Array.from(fitted.good.centres)).toEqual([0.1, 0.2]);
    expect(Array.from(fitted.bad.centres)).toEqual([0.8, 0.9]);
    expect(fitted.good.h[0]).toBeCloseTo(0.0461392, 6);
    expect(fitted.bad.h[0]).toBeCloseTo(0.0461392, 6);
    const l = (x: number) => Math.exp(evaluator.logPdf(fitted.good, Float64Array.of(x)));
    const g = (x: number) => Math.exp(evaluator.logPdf(fitted.bad, Float64Array.of(x)));
    expect(l(0.3)).toBeCloseTo(0.41319, 4);
    expect(g(0.3) / 1.36e-25).toBeCloseTo(1, 1);
    expect(l(0.5) / 2.854e-9).toBeCloseTo(1, 2);
    expect(g(0.5) / 2.854e-9).toBeCloseTo(1, 2);
    expect(l(0.15)).toBeCloseTo(4.8065, 3);
    expect(g(0.15) / 3.5e-43).toBeCloseTo(1, 1);
    // The HpBandSter score clamps g at 1e-32: 1e-32 / 4.8065.
    expect(Math.max(1e-32, g(0.15)) / Math.max(l(0.15), 1e-32)).toBeCloseTo(2.08e-33, 35);
  });

  it('should fit the first model at 2(d + 1) observations and keep proposals near the good points', () => {
    const { model } = hpbandster({ kinds: [CONTINUOUS, CONTINUOUS], levels: [0, 0] }, { rho: 0 });
    const rng = createRng(5);
    const points = [
      [0.1, 0.1],
      [0.12, 0.08],
      [0.09, 0.11],
      [0.8, 0.9],
      [0.7, 0.6],
    ];
    points.forEach(([a, b], k) => model.observe(Float64Array.of(a, b), k, 1));
    expect(model.fit()).toBeUndefined();
    expect(model.propose(rng)).toBeUndefined();
    model.observe(Float64Array.of(0.9, 0.2), 5, 1);
    const fitted = model.fit()!;
    expect([fitted.good.n, fitted.bad.n]).toEqual([3, 3]);
    for (let k = 0; k < 20; k++) {
      const x = model.propose(rng)!;
      expect(Math.hypot(x[0] - 0.1, x[1] - 0.1)).toBeLessThan(0.4);
    }
  });

  it('should key budgets so that float noise cannot split one budget, and model the largest usable one', () => {
    const { model } = hpbandster({ kinds: [CONTINUOUS], levels: [0] }, { rho: 0 });
    // 16.666666666666668 and 16.666666666666664 are one budget (algorithms.md §1.4).
    [0.1, 0.2].forEach((x, k) => model.observe(Float64Array.of(x), k, 16.666666666666668));
    [0.8, 0.9].forEach((x, k) => model.observe(Float64Array.of(x), 2 + k, 16.666666666666664));
    expect(model.fit()!.good.n).toBe(2);
    // A lower budget with more data does not displace it.
    [0.5, 0.6, 0.7, 0.4, 0.3].forEach((x, k) => model.observe(Float64Array.of(x), k, 5.555555555555555));
    expect(Array.from(model.fit()!.good.centres)).toEqual([0.1, 0.2]);
  });

  it('should count NaN and +∞ losses as the worst (the model keeps −∞ as the best; BOHB in this mode passes it as +∞)', () => {
    const { model } = hpbandster({ kinds: [CONTINUOUS], levels: [0] });
    model.observe(Float64Array.of(0.5), NaN, undefined);
    model.observe(Float64Array.of(0.6), Infinity, undefined);
    model.observe(Float64Array.of(0.1), 3, undefined);
    model.observe(Float64Array.of(0.2), 4, undefined);
    const fitted = model.fit()!;
    expect(Array.from(fitted.good.centres)).toEqual([0.1, 0.2]);
    expect(Array.from(fitted.bad.centres)).toEqual([0.5, 0.6]);
    model.observe(Float64Array.of(0.9), -Infinity, undefined);
    expect(model.fit()!.good.centres[0]).toBe(0.9);
  });

  it('should cap categorical bandwidths at 1 and use the declared levels (deliberate deviation)', () => {
    const { model, evaluator } = hpbandster({ kinds: [UNORDERED, CONTINUOUS], levels: [3, 0] });
    const rows = [
      [0, 0.1],
      [2, 0.2],
      [0, 0.15],
      [1, 0.9],
      [1, 0.8],
      [1, 0.7],
    ];
    rows.forEach(([c, x], k) => model.observe(Float64Array.of(c, x), k, undefined));
    const { good } = model.fit()!;
    // Column [0, 2, 0]: 1.06 · 0.9428 · 3^(-1/6) = 0.8321; no infinity although level 1 is absent.
    expect(good.h[0]).toBeCloseTo(1.06 * Math.sqrt(8 / 9) * Math.pow(3, -1 / 6), 10);
    const p = [0, 1, 2].map((c) => Math.exp(evaluator.logPdf(good, Float64Array.of(c, 0.15))));
    expect(p.every(Number.isFinite)).toBe(true);
  });
});
