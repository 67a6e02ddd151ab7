import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { encodeTask } from '../../src/node/internal/encodeTask.js';
import { decodeParams } from '../../src/node/internal/objectiveRuntime.mjs';
import { toRedisOptions } from '../../src/node/internal/connectRedis.js';
import { fromJsonResult, toJsonResult } from '../../src/node/internal/jsonResult.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';

class Box {
  constructor(readonly n: number) {}
}
const signal = new AbortController().signal;

// Any value a candidate vector may hold: what can be copied and what cannot.
const element = fc.oneof(
  fc.double(), // NaN, ±Infinity and -0 included
  fc.constant(-0),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.integer().map((n) => new Box(n)),
  fc.constantFrom(Math.sin, Math.exp, (x: number) => x),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const spaceArb = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.array(element, { minLength: 1, maxLength: 6 }), { minKeys: 1, maxKeys: 5 });

describe('encodeTask and decodeParams', () => {
  it.each([
    ['JSON (queue)', true, (x: unknown) => JSON.parse(JSON.stringify(x))],
    ['structured clone (threads, processes)', false, (x: unknown) => structuredClone(x)],
  ])('should give the worker the very elements of its space, through %s', (_name, json, transport) => {
    fc.assert(
      fc.property(spaceArb, fc.nat(), (space, seed) => {
        const keys = Object.keys(space);
        const params = Object.fromEntries(keys.map((k, j) => [k, space[k][(seed + j) % space[k].length]]));
        const wire = transport(encodeTask(space, json, params, { i: 7, signal }));
        const decoded = decodeParams({ objective: () => 0, space, module: 'm', spaceExport: 'space' }, wire.params);
        expect(wire.i).toBe(7);
        for (const k of keys) {
          // The same value by Object.is: -0 and NaN kept, objects and functions the very same ones.
          expect(Object.is(decoded[k], params[k])).toBe(true);
        }
      }),
    );
  });

  it('should name the parameter when a value can cross neither way', () => {
    expect(() => encodeTask(undefined, false, { g: Math.sin }, { i: 0, signal })).toThrow(/params\.g \(function\).*`space`/);
    expect(() => encodeTask({ g: [Math.cos] }, true, { g: Math.sin }, { i: 0, signal })).toThrow(/params\.g/);
    expect(() => encodeTask(undefined, true, { x: NaN }, { i: 0, signal })).toThrow(/params\.x \(number\) cannot be sent to a worker as JSON/);
    expect(encodeTask(undefined, true, { x: -0 }, { i: 0, signal }).params.values.x).toBe(0); // a range value: nothing lost
  });

  it('should pass resources and state, and only when set', () => {
    expect(encodeTask(undefined, false, { a: 1 }, { i: 2, resources: 9, state: { w: [1] }, signal })).toEqual({
      i: 2,
      params: { values: { a: 1 }, indices: {} },
      resources: 9,
      state: { w: [1] },
    });
    expect(Object.keys(encodeTask(undefined, false, { a: 1 }, { i: 2, signal }))).toEqual(['i', 'params']);
  });

  it('should reject a worker space that differs from the coordinator', () => {
    const wire = encodeTask({ g: [Math.sin, Math.cos] }, false, { g: Math.cos }, { i: 0, signal }).params;
    expect(() => decodeParams({ objective: () => 0, space: { g: [Math.cos] }, module: 'm', spaceExport: 'space' }, wire)).toThrow(
      /space\.g has 1 candidates in the worker but 2/,
    );
  });
});

describe('results as JSON', () => {
  it('should keep non-finite values and states', () => {
    for (const v of [1.5, -0.25, NaN, Infinity, -Infinity]) {
      expect(fromJsonResult(JSON.parse(JSON.stringify(toJsonResult(v))))).toBe(v);
      expect(fromJsonResult(JSON.parse(JSON.stringify(toJsonResult({ value: v, state: { k: 1 } }))))).toEqual({ value: v, state: { k: 1 } });
    }
  });
});

describe('the redis option', () => {
  it('should read host, port, credentials, database and TLS from a URL', () => {
    expect(toRedisOptions('redis', 'redis://alice:p%40ss@cache.local:6380/3')).toEqual({ host: 'cache.local', port: 6380, username: 'alice', password: 'p@ss', db: 3 });
    expect(toRedisOptions('redis', 'rediss://cache.local')).toEqual({ host: 'cache.local', port: 6379, tls: { servername: 'cache.local' } });
    const options = { host: 'h', port: 1, password: 'x', tls: {} };
    expect(toRedisOptions('redis', options)).toBe(options);
  });

  it('should throw an ArgumentError naming it for anything else', () => {
    for (const bad of ['http://h', 'not a url', 'redis://h/db', 42, null, ['redis://h']]) {
      expect(() => toRedisOptions('redis', bad)).toThrow(ArgumentError);
    }
  });
});
