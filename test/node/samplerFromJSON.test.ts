import { describe, it, expect } from '@jest/globals';
import { samplerFromJSON } from '../../src/node/internal/samplerFromJSON.js';
import { RandomSampler, Hyperband, LHSampler, withPruner, MedianPruner, SuccessiveHalvingPruner } from '../../src/index.js';

describe('samplerFromJSON (journal resume)', () => {
  it.each([
    ['RandomSampler', new RandomSampler({ seed: 3 })],
    ['LHSampler', new LHSampler({ seed: 'x', gaIterations: 5 })],
    ['Hyperband', new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 4 }) })],
    ['withPruner + MedianPruner', withPruner(new RandomSampler({ seed: 5 }), new MedianPruner({ startupTrials: 2 }))],
    ['withPruner + SuccessiveHalvingPruner', withPruner(new RandomSampler({ seed: 6 }), new SuccessiveHalvingPruner({ minResource: 1, eta: 3 }))],
  ])('rebuilds %s with the same description', (_name, sampler) => {
    const rebuilt = samplerFromJSON(JSON.parse(JSON.stringify(sampler.toJSON!())));
    expect(rebuilt).toBeDefined();
    expect(rebuilt!.toJSON!()).toEqual(sampler.toJSON!());
  });

  it('gives undefined, not an exception, for what it cannot rebuild', () => {
    expect(samplerFromJSON({ name: 'RandomSampler', seed: 1, bogus: true })).toBeUndefined();
    expect(samplerFromJSON({ name: 'Unknown' })).toBeUndefined();
    expect(samplerFromJSON({ name: 'RandomSampler', seed: 1, pruner: { name: 'nope' } })).toBeUndefined();
  });
});
