import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  linrange,
  explinrange,
  uniform,
  logUniform,
  intUniform,
  continuous,
  categorical,
  unorderedCategorical,
  inferDimensions,
  ArgumentError,
  isRange,
} from '../../src/index.js';
import { fromUnit } from '../../src/space/fromUnit.js';
import { toUnit } from '../../src/space/toUnit.js';
import { resolveDimensions } from '../../src/space/inferDimensions.js';

describe('linrange and explinrange', () => {
  it('include both endpoints and space evenly, as Julia LinRange', () => {
    expect(linrange(1, 5, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(linrange(0, 1, 3)).toEqual([0, 0.5, 1]);
    const r = linrange(1, 5, 1000);
    expect(r).toHaveLength(1000);
    expect(r[0]).toBe(1);
    expect(r[999]).toBe(5);
    // Julia: LinRange(1,5,1000)[500] == 2.997997997997998
    expect(r[499]).toBe(2.997997997997998);
    expect(linrange(3, 3, 1)).toEqual([3]);
  });

  it('explinrange is base ** linrange', () => {
    expect(explinrange(-1, 3, 5)).toEqual([0.1, 1, 10, 100, 1000]);
    expect(explinrange(0, 3, 4, 2)).toEqual([1, 2, 4, 8]);
  });

  it('is monotone for any bounds (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 500 }), (start, width, n) => {
        const r = linrange(start, start + width, n);
        for (let k = 1; k < n; k++) expect(r[k]).toBeGreaterThanOrEqual(r[k - 1]);
        expect(r[0]).toBe(start);
        expect(r[n - 1]).toBe(start + width);
      }),
    );
  });

  it('rejects bad arguments naming them', () => {
    expect(() => linrange(0, 1, 0)).toThrow(/`linrange.length`/);
    expect(() => linrange(NaN, 1, 3)).toThrow(/`linrange.start`/);
    expect(() => linrange(0, 1, 1)).toThrow(ArgumentError);
    expect(() => explinrange(0, 1, 3, 1)).toThrow(/`explinrange.base`/);
  });
});

describe('ranges', () => {
  it('are plain frozen data recognised by isRange', () => {
    expect(uniform(0, 1)).toEqual({ kind: 'uniform', lo: 0, hi: 1 });
    expect(JSON.parse(JSON.stringify(logUniform(1e-3, 1)))).toEqual({ kind: 'logUniform', lo: 1e-3, hi: 1 });
    expect(isRange(intUniform(1, 3))).toBe(true);
    expect(isRange([1, 2])).toBe(false);
  });

  it('reject bad bounds with ArgumentError', () => {
    expect(() => uniform(1, 1)).toThrow(ArgumentError);
    expect(() => uniform(2, 1)).toThrow(/lo < hi/);
    expect(() => uniform(0, Infinity)).toThrow(/`uniform.hi`/);
    expect(() => logUniform(0, 1)).toThrow(/`logUniform.lo`/);
    expect(() => intUniform(0.5, 3)).toThrow(/`intUniform`/);
  });

  it('map the unit interval onto their values and back (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        const lin = uniform(-2, 6);
        expect(fromUnit(lin, u) as number).toBeCloseTo(-2 + 8 * u, 10);
        expect(toUnit(lin, fromUnit(lin, u))).toBeCloseTo(u, 10);
        const log = logUniform(1e-4, 1);
        const v = fromUnit(log, u) as number;
        expect(v).toBeGreaterThanOrEqual(1e-4);
        expect(v).toBeLessThanOrEqual(1);
        expect(toUnit(log, v)).toBeCloseTo(u, 8);
        const int = intUniform(1, 4);
        const n = fromUnit(int, u) as number;
        expect([1, 2, 3, 4]).toContain(n);
        expect(Math.floor(toUnit(int, n) * 4)).toBe(n - 1);
        const vec = ['a', 'b', 'c'];
        const x = fromUnit(vec, u);
        expect(fromUnit(vec, toUnit(vec, x))).toBe(x);
      }),
    );
  });
});

describe('dimensions', () => {
  it('infers continuous for ranges and sorted numbers, unordered categorical otherwise', () => {
    expect(inferDimensions({ a: linrange(1, 5, 10), b: [true, false], c: uniform(0, 1), d: [3, 1, 2], e: [Math.sin, Math.cos], f: ['x', 'y', 'z'] })).toEqual([
      continuous(),
      unorderedCategorical(2),
      continuous(),
      unorderedCategorical(3),
      unorderedCategorical(2),
      unorderedCategorical(3),
    ]);
  });

  it('resolves given dims against the space, by position or by name, and rejects mismatches', () => {
    const space = { a: linrange(1, 5, 100), b: [true, false], c: explinrange(-1, 3, 100) };
    expect(resolveDimensions(space, [continuous(), categorical(2), continuous()])).toEqual([continuous(), categorical(2), continuous()]);
    expect(resolveDimensions(space, { b: categorical(2) })).toEqual([continuous(), categorical(2), continuous()]);
    expect(() => resolveDimensions(space, [continuous(), categorical(2)])).toThrow(/`dims` has 2 entries but the space has 3/);
    expect(() => resolveDimensions(space, [continuous(), categorical(3), continuous()])).toThrow(/`dims\[1\]` has 3 levels/);
    expect(() => resolveDimensions(space, { z: continuous() })).toThrow(/`dims.z`/);
    expect(() => resolveDimensions({ x: uniform(0, 1) }, [categorical(2)])).toThrow(/continuous range/);
    expect(() => resolveDimensions({ x: ['a', 'b'] }, [continuous()])).toThrow(/non-numeric/);
    expect(() => categorical(0)).toThrow(/`categorical.levels`/);
  });
});
