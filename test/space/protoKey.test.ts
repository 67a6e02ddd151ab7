import { describe, it, expect } from '@jest/globals';
import { firstValueFrom, toArray } from 'rxjs';
import { candidates, hyperopt, fromJSON, RandomSampler, LHSampler, CLHSampler, BOHB, Hyperband, uniform, ArgumentError, type Sampler, type Space } from '../../src/index.js';

/** A space with a parameter named `__proto__`, as JSON.parse (a space file) makes it: an own key. */
function protoSpace(): Space {
  return JSON.parse('{"__proto__": [1, 2, 3], "b": [4, 5]}') as Space;
}

const samplers: [string, () => Sampler][] = [
  ['RandomSampler', () => new RandomSampler({ seed: 1 })],
  ['LHSampler', () => new LHSampler({ seed: 1 })],
  ['CLHSampler', () => new CLHSampler({ seed: 1 })],
  ['BOHB', () => new BOHB({ seed: 1 })],
];

describe('a parameter named __proto__ is kept', () => {
  it.each(samplers)('%s draws it as an own property', async (_name, make) => {
    const space = protoSpace();
    const drawn = await firstValueFrom(candidates(make(), space, { iterations: 6 }).pipe(toArray()));
    for (const { params } of drawn) {
      expect(Object.keys(params)).toEqual(['__proto__', 'b']);
      expect([1, 2, 3]).toContain(Object.getOwnPropertyDescriptor(params, '__proto__')?.value);
      expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    }
  });

  it('written as a literal key (which sets the prototype), it is refused rather than dropped', async () => {
    const literal = { __proto__: [1, 2, 3], b: [4, 5] } as unknown as Space;
    let calls = 0;
    const error = await hyperopt({ space: literal, iterations: 2 }, () => ++calls).catch((e: unknown) => e);
    expect((error as ArgumentError).option).toBe('space.__proto__');
    expect(calls).toBe(0);
    const computed = { ['__proto__']: [1, 2, 3], b: [4, 5] } as unknown as Space;
    expect(Object.keys(computed)).toEqual(['__proto__', 'b']);
    const ho = await hyperopt(
      { space: computed, iterations: 2, sampler: new RandomSampler({ seed: 1 }) },
      (p) => Object.getOwnPropertyDescriptor(p, '__proto__')?.value as number,
    );
    expect(ho.trials.every((t) => Number.isFinite(t.value))).toBe(true);
  });

  it('as a range, under Hyperband, and through toJSON / fromJSON', async () => {
    const space = { b: [4, 5] } as Record<string, unknown>;
    Object.defineProperty(space, '__proto__', { value: uniform(0, 1), enumerable: true, writable: true, configurable: true });
    const ho = await hyperopt({ space: space as Space, sampler: new Hyperband({ maxResource: 9, inner: new RandomSampler({ seed: 2 }) }), progress: false }, (params) => {
      const v = Object.getOwnPropertyDescriptor(params, '__proto__')?.value as number;
      return v + (params as unknown as { b: number }).b;
    });
    expect(ho.trials.every((t) => typeof Object.getOwnPropertyDescriptor(t.params, '__proto__')?.value === 'number')).toBe(true);
    const json = JSON.parse(JSON.stringify(ho)) as { space: object; trials: { params: object }[] };
    expect(Object.keys(json.space)).toEqual(['b', '__proto__']);
    const back = fromJSON(json);
    expect(back.params).toEqual(['b', '__proto__']);
    expect(Object.keys(back.space)).toEqual(['b', '__proto__']);
    expect(back.trials.map((t) => Object.getOwnPropertyDescriptor(t.params, '__proto__')?.value)).toEqual(
      ho.trials.map((t) => Object.getOwnPropertyDescriptor(t.params, '__proto__')?.value),
    );
  });
});
