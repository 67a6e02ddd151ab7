import { describe, it, expect } from '@jest/globals';
import { BohbModel } from '../../../src/samplers/bohb/BohbModel.js';
import { DefaultPolicy } from '../../../src/samplers/bohb/DefaultPolicy.js';
import { HpBandSterPolicy } from '../../../src/samplers/bohb/HpBandSterPolicy.js';
import { CONTINUOUS } from '../../../src/samplers/bohb/Encoding.js';
import type { ModelOptions } from '../../../src/samplers/bohb/ModelOptions.js';
import { createRng } from '../../../src/samplers/internal/rng.js';

const encoding = { kinds: [CONTINUOUS, CONTINUOUS], levels: [0, 0] };
const options = (batch: 'kmeans' | 'none', believer: 'linear' | 'none'): ModelOptions => ({
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
  batch,
  believer,
});

const point = (k: number) => Float64Array.from([(k % 7) / 7, (k % 5) / 5]);

/** A model with `results` observations (loss k) and then `inFlight` proposals pending, asked for a proposal after each step. */
function modelAfter(policy: DefaultPolicy | HpBandSterPolicy, results: number, inFlight: number) {
  const model = new BohbModel(policy, 0);
  const rng = createRng(1);
  const proposals: (Float64Array | undefined)[] = [];
  for (let k = 0; k < results; k++) {
    model.observe(point(k), k, undefined);
    proposals.push(model.propose(rng));
  }
  for (let k = 0; k < inFlight; k++) {
    model.pend(100 + k, point(results + k), 32);
    proposals.push(model.propose(rng));
  }
  return { model, proposals, rng };
}

describe("BOHB's first model-based proposal (default mode)", () => {
  it('should count configurations in flight toward Nmin once two results are in', () => {
    const policy = new DefaultPolicy(encoding, options('kmeans', 'linear'));
    expect(policy.usable(9)).toBe(false);
    expect(policy.usable(10)).toBe(true);
    for (let k = 0; k < 7; k++) policy.pend(k, point(k), 32);
    expect(policy.usable(3)).toBe(true);
    expect(policy.usable(2)).toBe(false); // 2 + 7 < 10
    policy.pend(7, point(7), 32);
    expect(policy.usable(2)).toBe(true);
    expect(policy.usable(1)).toBe(false); // one result cannot split into good and bad
  });

  it('should start the model at the trial a sequential run would, at concurrency 8 (3 results, 7 in flight)', () => {
    const { proposals } = modelAfter(new DefaultPolicy(encoding, options('kmeans', 'linear')), 3, 7);
    // Prior draws while 3 results and fewer than 7 in flight; the 7th in flight makes 10.
    expect(proposals.slice(0, 9).every((x) => x === undefined)).toBe(true);
    expect(proposals[9]).toBeInstanceOf(Float64Array);
  });

  it('should refit when a proposal in flight makes a budget usable, whatever the in-flight rule (k-means alone does not refit otherwise)', () => {
    for (const [batch, believer] of [
      ['kmeans', 'none'],
      ['none', 'none'],
    ] as const) {
      const { proposals } = modelAfter(new DefaultPolicy(encoding, options(batch, believer)), 3, 7);
      expect(proposals[8]).toBeUndefined();
      expect(proposals[9]).toBeInstanceOf(Float64Array);
    }
  });

  it("should leave mode 'hpbandster' as HpBandSter starts: results only", () => {
    // Nmin = d + 1 = 3: a good set of 3 and a bad set of more than d rows from 6 results on.
    const { model, rng } = modelAfter(new HpBandSterPolicy(encoding, { ...options('none', 'none'), Nmin: 3 }), 5, 7);
    expect(model.propose(rng)).toBeUndefined();
    model.observe(point(5), 5, undefined);
    expect(model.propose(rng)).toBeInstanceOf(Float64Array);
  });
});
