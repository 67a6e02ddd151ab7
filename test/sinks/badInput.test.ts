import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { EMPTY, firstValueFrom, map, range, toArray } from 'rxjs';
import { Hyperoptimizer, fromJSON, inferDimensions, RandomSampler, linrange, ArgumentError, toHyperoptimizer, type Space } from '../../src/index.js';

const space = { a: linrange(0, 1, 11), b: [true, false] };

function optionOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return (error as ArgumentError).option;
  }
  throw new Error('did not throw');
}

describe('tell refuses bad input, naming it', () => {
  const ho = () => new Hyperoptimizer({ space, iterations: 3, sampler: new RandomSampler({ seed: 1 }) });
  const params = { a: 0.5, b: true };

  it('params, value, i, status, resources, bracket, rung and unknown keys', () => {
    expect(optionOf(() => ho().tell(null, 1))).toBe('params');
    expect(optionOf(() => ho().tell({ a: 1 }, 1))).toBe('params.b');
    expect(optionOf(() => ho().tell(params, '1' as never))).toBe('value');
    expect(optionOf(() => ho().tell(params, 1, { i: -1 }))).toBe('i');
    expect(optionOf(() => ho().tell(params, 1, { i: 1.5 }))).toBe('i');
    expect(optionOf(() => ho().tell(params, 1, { i: 1e15 }))).toBe('i');
    expect(() => ho().tell(params, 1, { i: 1e15 })).toThrow(/at most 1000000000000 \(MAX_TRIAL_INDEX\)/);
    expect(optionOf(() => ho().tell(params, 1, { status: 'weird' as never }))).toBe('status');
    expect(optionOf(() => ho().tell(params, 1, { resources: NaN }))).toBe('resources');
    expect(optionOf(() => ho().tell(params, 1, { rung: -1 }))).toBe('rung');
    expect(optionOf(() => ho().tell(params, 1, { stauts: 'ok' } as never))).toBe('tell.stauts');
    expect(optionOf(() => ho().tell(params, 1, null as never))).toBe('options');
  });

  it('takes the yielded candidate as it is, and records nothing it refused', () => {
    const h = ho();
    for (const c of h) h.tell(c.params, c.params.a, c);
    expect(h.trials.map((t) => t.i)).toEqual([0, 1, 2]);
    expect(() => h.tell(params, 1, { status: 'weird' as never })).toThrow(ArgumentError);
    expect(h.trials).toHaveLength(3);
  });

  it('a continuation after the largest index told starts at once (RandomSampler does not replay 1e12 draws)', () => {
    const h = ho();
    h.tell(params, 1, { i: 1e12 });
    const next = [...h];
    expect(next.map((c) => c.i)).toEqual([1e12 + 1, 1e12 + 2, 1e12 + 3]);
  });
});

describe('null and unknown options are ArgumentErrors', () => {
  it('Hyperoptimizer and fromJSON', () => {
    expect(optionOf(() => new Hyperoptimizer(null as never))).toBe('options');
    expect(optionOf(() => new Hyperoptimizer({ space, iterations: 2, sampeler: 1 } as never))).toBe('Hyperoptimizer.sampeler');
    const json = new Hyperoptimizer({ space, iterations: 2 }).toJSON();
    expect(optionOf(() => fromJSON(json, null as never))).toBe('options');
    expect(optionOf(() => fromJSON(json, { spaec: space } as never))).toBe('fromJSON.spaec');
  });

  it('toHyperoptimizer: null options, and a misspelt one instead of silence', () => {
    expect(optionOf(() => toHyperoptimizer(space, null as never))).toBe('options');
    expect(optionOf(() => toHyperoptimizer(space, 'maximize' as never))).toBe('options');
    expect(optionOf(() => toHyperoptimizer(space, { direktion: 'maximize' } as never))).toBe('toHyperoptimizer.direktion');
    expect(() => toHyperoptimizer(space, { direction: 'maximize', iterations: undefined })).not.toThrow();
  });

  it('printmin, printmax, warnOnBoundary and inferDimensions', () => {
    const h = new Hyperoptimizer({ space, iterations: 2 });
    h.tell({ a: 0.1, b: true }, 1);
    expect(optionOf(() => h.printmin(5 as never))).toBe('write');
    expect(optionOf(() => h.printmax(null as never))).toBe('write');
    expect(optionOf(() => h.warnOnBoundary('maximum' as never))).toBe('sense');
    expect(optionOf(() => inferDimensions(null as never))).toBe('space');
  });

  it('fromJSON refuses a trial index beyond MAX_TRIAL_INDEX', () => {
    const h = new Hyperoptimizer({ space, iterations: 2, sampler: new RandomSampler({ seed: 1 }) });
    h.tell({ a: 0.1, b: true }, 1);
    const json = JSON.parse(JSON.stringify(h)) as { trials: { i: number }[] };
    json.trials[0].i = 1e15;
    expect(optionOf(() => fromJSON(json))).toBe('json.trials[0].i');
  });
});

describe('RandomSampler continuation', () => {
  it('from any start draws what one longer run would have, across the stream blocks (property)', async () => {
    // 1,000 parameters: trial 1,048 crosses the first block of 2^20 draws.
    const wide: Record<string, number[]> = {};
    for (let k = 0; k < 1000; k++) wide[`p${k}`] = [0, 1, 2, 3];
    const run = (start: number, iterations: number) =>
      firstValueFrom(
        new RandomSampler({ seed: 'blocks' })
          .candidates(wide as Space, { iterations, start, past: [], results$: EMPTY, demand$: range(0, iterations).pipe(map(() => undefined)), concurrency: 1 })
          .pipe(toArray()),
      );
    const long = await run(0, 1070);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1040, max: 1065 }), async (start) => {
        const tail = await run(start, 5);
        expect(tail).toEqual(long.slice(start, start + 5));
      }),
      { numRuns: 8 },
    );
  });
});
