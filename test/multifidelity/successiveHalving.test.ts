import { describe, it, expect, beforeEach } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { from, lastValueFrom, of, toArray } from 'rxjs';
import { successiveHalving } from '../../src/multifidelity/successiveHalving.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import type { Candidate, Trial } from '../../src/trial/Trial.js';
import type { TrialContext } from '../../src/trial/Objective.js';

type P = { x: number };
const cand = (i: number): Candidate<P> => ({ i, params: { x: i } });
const trial = (i: number, rung: number, value: number, durationMs: number, state?: string): Trial<P> => {
  const t = { i, params: { x: i }, value, status: 'ok' as const, resources: 3 ** rung, rung, steps: 1, curve: [value], durationMs };
  return state === undefined ? t : { ...t, state };
};
/** A clear ranking: residues of 7i mod 9 are a permutation of 0..8 (i = 0, 4, 8 best). */
const score = (i: number) => (i * 7) % 9;

describe('successiveHalving (marble tests)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('evaluates a whole rung, then the best floor(n / eta) with eta times the resources, in rank order', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source$ = cold('(abcdefghi|)', Object.fromEntries([...'abcdefghi'].map((k, i) => [k, cand(i)])));
      // Every evaluation takes 5 frames; objectives are made ahead so their subscriptions can be checked.
      const runs = new Map<string, ReturnType<typeof cold<{ value: number; state: string }>>>();
      const run = (i: number, rung: number) => {
        const key = `${i}@${rung}`;
        if (!runs.has(key)) runs.set(key, cold<{ value: number; state: string }>('-----(v|)', { v: { value: score(i) + 1 / 3 ** rung, state: key } }));
        return runs.get(key)!;
      };
      for (let i = 0; i < 9; i++) run(i, 0);
      for (const i of [0, 4, 8]) run(i, 1);
      run(0, 2);
      run(1, 1); // a configuration that must not be promoted
      const objective = (_p: P, t: TrialContext) => run(t.i, Math.round(Math.log(t.resources!) / Math.log(3)));
      const t0 = (i: number) => trial(i, 0, score(i) + 1, 5, `${i}@0`);
      const t1 = (i: number) => trial(i, 1, score(i) + 1 / 3, 5, `${i}@1`);
      expectObservable(source$.pipe(successiveHalving(objective, { minResource: 1, eta: 3, concurrency: 3 }))).toBe(
        // rung 0: 9 at concurrency 3 (frames 5, 10, 15); rung 1: 3 (frame 20); rung 2: 1 (frame 25)
        '-----(abc)(def)(ghi)(jkl)(m|)',
        {
          a: t0(0),
          b: t0(1),
          c: t0(2),
          d: t0(3),
          e: t0(4),
          f: t0(5),
          g: t0(6),
          h: t0(7),
          i: t0(8),
          j: t1(0),
          k: t1(4),
          l: t1(8),
          m: trial(0, 2, score(0) + 1 / 9, 5, '0@2'),
        },
      );
      // Rung 1 starts only when rung 0 is complete (frame 15), each with its own state.
      expectSubscriptions(runs.get('4@1')!.subscriptions).toBe('---------------^----!');
      expectSubscriptions(runs.get('0@2')!.subscriptions).toBe('--------------------^----!');
      expectSubscriptions(runs.get('1@1')!.subscriptions).toBe([]);
    });
  });

  it('waits for the source to complete before closing the first rung', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const source$ = hot('a-b------c|', { a: cand(0), b: cand(1), c: cand(2) });
      const objective = (p: P, t: TrialContext) => cold('-(v|)', { v: { value: -p.x, state: t.resources } });
      // 3 configurations, eta 3: rung 0 then 1 survivor (the last one: value -2) once c has finished.
      expectObservable(source$.pipe(successiveHalving(objective, { minResource: 2, eta: 3 }))).toBe('-a-b------c(d|)', {
        a: { ...trial(0, 0, -0, 1, undefined), resources: 2, state: 2 },
        b: { ...trial(1, 0, -1, 1, undefined), resources: 2, state: 2 },
        c: { ...trial(2, 0, -2, 1, undefined), resources: 2, state: 2 },
        d: { ...trial(2, 1, -2, 1, undefined), resources: 6, state: 6 },
      });
    });
  });

  it('hands each promoted configuration its own last state', async () => {
    const seen: [number, unknown][] = [];
    const trials = await lastValueFrom(
      from([0, 1, 2, 3, 4, 5, 6, 7, 8].map(cand)).pipe(
        successiveHalving(
          (p: P, t: TrialContext) => {
            seen.push([t.i, t.state]);
            return { value: score(p.x), state: { from: t.i, r: t.resources } };
          },
          { minResource: 1, eta: 3, concurrency: 2 },
        ),
        toArray(),
      ),
    );
    expect(trials.map((t) => t.rung)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);
    for (const t of trials.filter((t) => t.rung! > 0)) {
      const before = trials.find((x) => x.i === t.i && x.rung === t.rung! - 1)!;
      expect(seen.find(([i, s]) => i === t.i && s === before.state)).toBeDefined();
    }
  });

  it('ranks ties in arrival order and NaN, then failed trials last', async () => {
    const values = [2, Number.NaN, 1, 1, 0, 1, Number.NaN, 5, 1];
    const trials = await lastValueFrom(
      from(values.map((_, i) => cand(i))).pipe(
        successiveHalving(
          (p: P) => {
            if (p.x === 4) throw new Error('boom'); // the best value never comes back
            return values[p.x];
          },
          { minResource: 1, eta: 2, rungs: 2, onError: 'skip' },
        ),
        toArray(),
      ),
    );
    // floor(9 / 2) = 4 survivors: the four 1s in arrival order (2, 3, 5, 8); the failed 0 is not among them.
    expect(trials.filter((t) => t.rung === 1).map((t) => t.i)).toEqual([2, 3, 5, 8]);
    expect(trials.find((t) => t.i === 4)!.status).toBe('failed');
  });

  it('completes with no trial for an empty source, and stops at `rungs`', async () => {
    await expect(
      lastValueFrom(
        of<Candidate<P>>().pipe(
          successiveHalving(() => 1, { minResource: 1 }),
          toArray(),
        ),
      ),
    ).resolves.toEqual([]);
    const trials = await lastValueFrom(
      from([0, 1, 2, 3, 4, 5, 6, 7, 8].map(cand)).pipe(
        successiveHalving((p: P) => p.x, { minResource: 1, rungs: 2 }),
        toArray(),
      ),
    );
    expect(trials.map((t) => t.rung)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('rejects bad options with an ArgumentError naming them', () => {
    const bad: [object, string][] = [
      [{ minResource: 0 }, 'minResource'],
      [{ minResource: 1, eta: 1 }, 'eta'],
      [{ minResource: 1, rungs: 0 }, 'rungs'],
      [{ minResource: 1, concurrency: 0 }, 'concurrency'],
      [{ minResource: 1, onError: 'ignore' }, 'onError'],
    ];
    for (const [options, option] of bad) {
      expect(() => successiveHalving(() => 1, options as never)).toThrow(ArgumentError);
      try {
        successiveHalving(() => 1, options as never);
      } catch (e) {
        expect((e as ArgumentError).option).toBe(option);
      }
    }
    expect(() => successiveHalving(42 as never, { minResource: 1 })).toThrow(ArgumentError);
  });
});
