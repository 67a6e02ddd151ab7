import { describe, it, expect } from '@jest/globals';
import { DefaultPolicy } from '../../../src/samplers/bohb/DefaultPolicy.js';
import { CONTINUOUS } from '../../../src/samplers/bohb/Encoding.js';
import type { ModelOptions } from '../../../src/samplers/bohb/ModelOptions.js';
import type { Observation } from '../../../src/samplers/bohb/ObservationStore.js';
import { BOHB } from '../../../src/samplers/BOHB.js';
import { hyperopt } from '../../../src/run/hyperopt.js';
import { ArgumentError } from '../../../src/base/ArgumentError.js';
import { linrange } from '../../../src/space/linrange.js';

const encoding = { kinds: [CONTINUOUS, CONTINUOUS], levels: [0, 0] };
const options = (believer: 'linear' | 'none'): ModelOptions => ({
  q: 0.15,
  Ns: 64,
  bwFactor: 0.25,
  minBandwidth: 1e-3,
  Nmin: 10,
  maxGood: 25,
  priorWeight: 1,
  kernel: 'hybrid',
  local: 0,
  refine: 0,
  window: 150,
  batch: 'kmeans',
  believer,
});

/** 100 observations of a + b on a 10 × 10 grid over [0.05, 0.95]², best first (ties in arrival order), as the store keeps them. */
function observations(): Observation[] {
  const rows: Observation[] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) rows.push({ x: Float64Array.from([0.05 + i / 10, 0.05 + j / 10]), loss: 0.1 + i / 10 + j / 10, seq: rows.length });
  return rows.sort((u, v) => u.loss - v.loss || u.seq - v.seq);
}

/** The good density's centres as rows. */
const centres = (fitted: ReturnType<DefaultPolicy['fit']>) => Array.from({ length: fitted.good.n }, (_, i) => Array.from(fitted.good.centres.slice(i * 2, i * 2 + 2)));

describe("BOHB's believer (the default policy's fit)", () => {
  it('should leave the fit as it is for a configuration in flight predicted bad', () => {
    const plain = new DefaultPolicy(encoding, options('linear')).fit(observations());
    const policy = new DefaultPolicy(encoding, options('linear'));
    policy.pend(1, Float64Array.from([0.9, 0.9]), 8);
    const fitted = policy.fit(observations());
    expect(centres(fitted)).toEqual(centres(plain));
    expect(Array.from(fitted.bad.centres)).toEqual(Array.from(plain.bad.centres));
  });

  it('should count one predicted good as observed: in the good set, after the real incumbent, never better than it', () => {
    const policy = new DefaultPolicy(encoding, options('linear'));
    // Beyond the best observed point (0.05, 0.05) along the slope: predicted 0.06, which the clamp raises to 0.1.
    const x = Float64Array.from([0.03, 0.03]);
    expect(policy.pend(1, x, 8)).toBe(true); // the next fit changes
    const rows = centres(policy.fit(observations()));
    expect(rows[0]).toEqual([0.05, 0.05]);
    expect(rows[1][0]).toBeCloseTo(0.03, 12);
    expect(rows[1][1]).toBeCloseTo(0.03, 12);
    // ⌈0.15 × 101⌉ = 16: the split is made over the observations and the believed one together.
    expect(rows).toHaveLength(16);
  });

  it('should forget a configuration in flight once settled, and do nothing with believer none', () => {
    const plain = centres(new DefaultPolicy(encoding, options('linear')).fit(observations()));
    const settled = new DefaultPolicy(encoding, options('linear'));
    settled.pend(1, Float64Array.from([0.03, 0.03]), 8);
    expect(settled.settle(1)).toBe(true);
    expect(centres(settled.fit(observations()))).toEqual(plain);
    const off = new DefaultPolicy(encoding, options('none'));
    expect(off.pend(1, Float64Array.from([0.03, 0.03]), 8)).toBe(false);
    expect(centres(off.fit(observations()))).toEqual(plain);
  });

  it('should predict from finite losses only: failed trials (+∞) neither count nor break the fit', () => {
    const rows = [...observations(), { x: Float64Array.from([0.03, 0.04]), loss: Infinity, seq: 100 }];
    const policy = new DefaultPolicy(encoding, options('linear'));
    policy.pend(1, Float64Array.from([0.03, 0.03]), 8);
    const good = centres(policy.fit(rows));
    expect(good[0]).toEqual([0.05, 0.05]);
    expect(good.some(([a, b]) => Math.abs(a - 0.03) < 1e-12 && Math.abs(b - 0.03) < 1e-12)).toBe(true);
    expect(good.some(([, b]) => Math.abs(b - 0.04) < 1e-12)).toBe(false);
  });
});

describe('BOHB believer option', () => {
  it("should default to 'linear', record it, and reject anything else naming the option", () => {
    expect(new BOHB({ seed: 1 }).believer).toBe('linear');
    expect(new BOHB({ seed: 1, believer: 'none' }).toJSON()).toMatchObject({ batch: 'kmeans', believer: 'none' });
    expect(() => new BOHB({ believer: 'gp' as 'none' })).toThrow(ArgumentError);
    expect(() => new BOHB({ believer: 'gp' as 'none' })).toThrow(/believer/);
  });

  it('should leave a concurrency-1 run untouched: nothing is in flight when it draws', async () => {
    const space = { a: linrange(0, 1, 200), b: linrange(0, 1, 200), c: ['x', 'y', 'z'] };
    const f = ({ a, b, c }: { a: number; b: number; c: string }) => (a - 0.3) ** 2 + (b - 0.6) ** 2 + (c === 'y' ? 0 : 0.1);
    const run = async (believer: 'linear' | 'none') =>
      (await hyperopt({ space, iterations: 60, progress: false, sampler: new BOHB({ seed: 3, believer }) }, f)).trials.map((t) => t.params);
    expect(await run('linear')).toEqual(await run('none'));
  });
});
