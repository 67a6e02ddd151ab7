import { describe, it, expect, beforeEach } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { halving } from '../../src/multifidelity/internal/halving.js';
import { Slot } from '../../src/multifidelity/internal/Slot.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { Trampoline } from '../../src/trial/internal/Trampoline.js';
import type { Candidate, Trial } from '../../src/trial/Trial.js';

// The bracket operator alone, in virtual time: fresh configurations, results and slots are marbles, nothing is evaluated.

const cand = (i: number): Candidate => ({ i, params: { x: i } });
const result = (i: number, rung: number, value: number, extra: Partial<Trial> = {}): Trial => ({
  i,
  params: { x: i },
  value,
  status: 'ok',
  resources: 3 ** rung,
  rung,
  steps: 1,
  durationMs: 0,
  state: `${i}@${rung}`,
  ...extra,
});
const guard = (): Trampoline =>
  new Trampoline((error) => {
    throw error;
  });

describe('halving (marble tests)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('synchronous: a rung waits for all its results, then its top floor(n / eta) go on with their state', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const fresh = cold<Candidate>('(abc|)', { a: cand(0), b: cand(1), c: cand(2) });
      // Rung 0's results come in one by one; i = 1 is the best, but only the third result completes the rung.
      const results$ = hot<Trial>('--x-y---z', { x: result(1, 0, 0), y: result(0, 0, 5), z: result(2, 0, 9) });
      const bracket$ = halving({ n: 3, rungs: 2, r: 1, eta: 3, asynchronous: false })({ fresh, results$, trampoline: guard() });
      expectObservable(bracket$).toBe('(abc)---p', {
        a: { i: 0, params: { x: 0 }, resources: 1, rung: 0 },
        b: { i: 1, params: { x: 1 }, resources: 1, rung: 0 },
        c: { i: 2, params: { x: 2 }, resources: 1, rung: 0 },
        p: { i: 1, params: { x: 1 }, resources: 3, rung: 1, state: '1@0' },
      });
    });
  });

  it('asynchronous (ASHA): a free slot takes a promotion as soon as it is in the top 1/eta so far, before a fresh one', () => {
    scheduler.run(({ cold, hot, flush }) => {
      const fresh = cold<Candidate>('(abcd|)', { a: cand(0), b: cand(1), c: cand(2), d: cand(3) });
      // Two slots at once, then one after each result (a frame later).
      const slots$ = hot<Slot>('(st)u-v', { s: new Slot(), t: new Slot(), u: new Slot(), v: new Slot() });
      const results$ = hot<Trial>('---x-y', { x: result(0, 0, 5), y: result(1, 0, 1) });
      const out: [number, number, number][] = [];
      halving({ n: 4, rungs: 2, r: 1, eta: 2, asynchronous: true })({ fresh, results$, slots$, trampoline: guard() }).subscribe((c) =>
        out.push([scheduler.now(), c.i, c.rung!]),
      );
      flush();
      expect(out).toEqual([
        [0, 0, 0],
        [0, 1, 0],
        [4, 2, 0], // one result: floor(1 / 2) = 0 promotable, so a fresh configuration
        [6, 1, 1], // two results: i = 1 is the top half and goes on at once; d waits
      ]);
    });
  });

  it('synchronous: a slot with no work waits in the bracket until a result makes some', () => {
    scheduler.run(({ cold, hot, flush }) => {
      const fresh = cold<Candidate>('(ab|)', { a: cand(0), b: cand(1) });
      const s = [new Slot(), new Slot(), new Slot()];
      const slots$ = hot<Slot>('(pq)-r', { p: s[0], q: s[1], r: s[2] });
      const results$ = hot<Trial>('--------x-y', { x: result(0, 0, 3), y: result(1, 0, 2) });
      const out: [number, number, number][] = [];
      halving({ n: 2, rungs: 2, r: 1, eta: 2, asynchronous: false })({ fresh, results$, slots$, trampoline: guard() }).subscribe((c) =>
        out.push([scheduler.now(), c.i, c.rung!]),
      );
      flush();
      expect(out).toEqual([
        [0, 0, 0],
        [0, 1, 0],
        [10, 1, 1], // the slot offered at frame 5 waited for the rung to complete
      ]);
      expect(s.map((slot) => slot.claimed)).toEqual([true, true, true]);
    });
  });
});

describe('Hyperband: brackets partition the results (marble test)', () => {
  it("a bracket promotes from its own results only: another bracket's better result does not count toward its rung", () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, flush }) => {
      // maxResource 3, eta 3, asynchronous: bracket 1 has 3 configurations at 1 then 1 at 3; bracket 0 has 2 at 3.
      const hb = new Hyperband({ maxResource: 3, eta: 3, asynchronous: true, inner: new RandomSampler({ seed: 1 }) });
      const demand$ = hot<void>('(tt)-t-t-t-t', { t: undefined });
      const results$ = hot<Trial>('----a-b-c-d', {
        a: result(0, 0, 1, { bracket: 1 }),
        b: result(1, 0, 2, { bracket: 1 }),
        c: result(3, 0, -100, { bracket: 0, resources: 3 }), // the best value, in bracket 0's block
        d: result(2, 0, 4, { bracket: 1 }),
      });
      const out: [number, number, number, number, number][] = [];
      hb.candidates({ x: [1, 2, 3] }, { iterations: 1, start: 0, past: [], results$, demand$, concurrency: 2 }).subscribe((c) =>
        out.push([scheduler.now(), c.i, c.resources!, c.bracket!, c.rung!]),
      );
      flush();
      expect(out).toEqual([
        [0, 0, 1, 1, 0],
        [0, 1, 1, 1, 0],
        [5, 2, 1, 1, 0],
        [7, 3, 3, 0, 0], // bracket 1 has nothing to hand out: bracket 0 opens
        [9, 4, 3, 0, 0], // bracket 1's rung has 2 of its own results (i = 3 is not one): no promotion
        [11, 0, 3, 1, 1], // its third result completes the top third: i = 0, not bracket 0's i = 3
      ]);
    });
  });
});
