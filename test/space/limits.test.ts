import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { firstValueFrom, toArray } from 'rxjs';
import { linrange, explinrange, uniform, logUniform, intUniform, hyperopt, candidates, RandomSampler, ArgumentError } from '../../src/index.js';
import { fromUnit } from '../../src/space/fromUnit.js';
import { toUnit } from '../../src/space/toUnit.js';
import { checkSpace } from '../../src/space/checkSpace.js';

/** Runs `hyperopt` and expects an ArgumentError naming `option` before the objective ever runs. */
async function refusedBeforeAnyTrial(options: object, option: string): Promise<void> {
  let calls = 0;
  const error = await hyperopt({ iterations: 3, progress: false, ...options } as never, () => ++calls).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ArgumentError);
  expect((error as ArgumentError).option).toBe(option);
  expect(calls).toBe(0);
}

describe('huge grids are refused with the limit named', () => {
  it('linrange(0, 1, 1e9) and explinrange with 1e9 points', () => {
    expect(() => linrange(0, 1, 1e9)).toThrow(ArgumentError);
    expect(() => linrange(0, 1, 1e9)).toThrow(/`linrange.length` must be at most 10000000 \(MAX_GRID_LENGTH\)/);
    expect(() => explinrange(0, 1, 1e9)).toThrow(/MAX_GRID_LENGTH/);
    expect(linrange(0, 1, 1e4)).toHaveLength(1e4);
  });
});

describe('overflow', () => {
  it('explinrange refuses ends that overflow to Infinity or underflow to 0, naming the end', () => {
    expect(() => explinrange(-1, 400, 4)).toThrow(/`explinrange.stop` gives 10 \*\* 400 = Infinity/);
    expect(() => explinrange(-400, 0, 4)).toThrow(/`explinrange.start`/);
    expect(() => explinrange(0, 2000, 3, 2)).toThrow(/`explinrange.stop`/);
    expect(explinrange(-300, 300, 3)).toEqual([1e-300, 1, 1e300]);
  });

  it('uniform over a width beyond the largest double stays inside its bounds and maps back (property)', () => {
    const big = fc.double({ min: 1e307, max: Number.MAX_VALUE, noNaN: true });
    fc.assert(
      fc.property(big, big, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (a, b, u) => {
        const range = uniform(-a, b);
        const v = fromUnit(range, u) as number;
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(-a);
        expect(v).toBeLessThanOrEqual(b);
        expect(toUnit(range, v)).toBeCloseTo(u, 8);
      }),
    );
  });

  it('every range maps [0, 1) into its bounds, whatever their magnitude (property)', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const u = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(finite, finite, u, (a, b, t) => {
        fc.pre(a < b);
        const v = fromUnit(uniform(a, b), t) as number;
        expect(v).toBeGreaterThanOrEqual(a);
        expect(v).toBeLessThanOrEqual(b);
      }),
    );
    const positive = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });
    fc.assert(
      fc.property(positive, positive, u, (a, b, t) => {
        fc.pre(a < b);
        const v = fromUnit(logUniform(a, b), t) as number;
        expect(v).toBeGreaterThanOrEqual(a);
        expect(v).toBeLessThanOrEqual(b);
      }),
    );
    const safe = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(safe, safe, u, (a, b, t) => {
        fc.pre(a < b);
        const v = fromUnit(intUniform(a, b), t) as number;
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(a);
        expect(v).toBeLessThanOrEqual(b);
      }),
    );
  });

  it('uniform(-1e308, 1e308) draws values of both signs across the range, not 1e308 each time', async () => {
    const drawn = await firstValueFrom(candidates(new RandomSampler({ seed: 1 }), { x: uniform(-1e308, 1e308) }, { iterations: 200 }).pipe(toArray()));
    const xs = drawn.map((c) => c.params.x);
    expect(new Set(xs).size).toBe(200);
    expect(xs.filter((x) => x < -1e307).length).toBeGreaterThan(50);
    expect(xs.filter((x) => x > 1e307).length).toBeGreaterThan(50);
    // Mean of u should be near 0.5: the sample mean of x / 2e308 near 0
    // (2e308 itself is Infinity, which would make the mean 0 whatever was drawn).
    const mean = xs.reduce((s, x) => s + x / 1e308 / 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
  });

  it('intUniform needs safe integer bounds (hi - lo + 1 overflowed: always hi)', () => {
    expect(() => intUniform(-1e308, 1e308)).toThrow(/`intUniform` needs safe integer bounds/);
    expect(() => checkSpace({ n: { kind: 'intUniform', lo: 0, hi: 2 ** 60 } })).toThrow(/`space.n` needs safe integer bounds/);
    expect(fromUnit(intUniform(-(2 ** 52), 2 ** 52), 0)).toBe(-(2 ** 52));
  });
});

describe('sparse candidate vectors', () => {
  it('are refused, naming space.<name>, before any objective runs', async () => {
    await refusedBeforeAnyTrial({ space: { a: new Array(5) } }, 'space.a');
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , 3] as unknown as number[];
    expect(() => checkSpace({ a: [1, 2], b: holey })).toThrow(/`space.b` has a hole at index 1/);
    expect(() => candidates(new RandomSampler(), { a: new Array(2) }, { iterations: 1 })).toThrow(ArgumentError);
    // Explicit undefined elements are candidates like any other.
    expect(() => checkSpace({ a: [undefined, 1] })).not.toThrow();
  });
});
