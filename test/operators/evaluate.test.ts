import { describe, it, expect, beforeEach } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { of, from, Observable, take, throwError, firstValueFrom, toArray, Subject } from 'rxjs';
import { evaluate, ArgumentError } from '../../src/index.js';
import type { Candidate, Trial } from '../../src/index.js';

const cand = (i: number): Candidate<{ x: number }> => ({ i, params: { x: i } });
const ok = (i: number, value: number, durationMs: number, curve = [value]): Trial<{ x: number }> => ({
  i,
  params: { x: i },
  value,
  status: 'ok',
  durationMs,
  steps: curve.length,
  curve,
});

describe('evaluate (marble tests)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('starts a queued candidate as soon as a slot frees (concurrency 2)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const candidates$ = cold('(abc|)', { a: cand(0), b: cand(1), c: cand(2) });
      const cost = [cold('--(x|)', { x: 1 }), cold('----(x|)', { x: 2 }), cold('-(x|)', { x: 3 })];
      expectObservable(candidates$.pipe(evaluate((_p, t) => cost[t.i], { concurrency: 2 }))).toBe('--ac(b|)', {
        a: ok(0, 1, 2),
        b: ok(1, 2, 4),
        c: ok(2, 3, 1),
      });
      expectSubscriptions(cost[0].subscriptions).toBe('^-!');
      expectSubscriptions(cost[1].subscriptions).toBe('^---!');
      expectSubscriptions(cost[2].subscriptions).toBe('--^!'); // waited for candidate 0's slot
    });
  });

  it('runs one at a time in order with concurrency 1 (the default)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const candidates$ = cold('(ab|)', { a: cand(0), b: cand(1) });
      const cost = [cold('---(x|)', { x: 5 }), cold('-(x|)', { x: 6 })];
      expectObservable(candidates$.pipe(evaluate((_p, t) => cost[t.i]))).toBe('---a(b|)', { a: ok(0, 5, 3), b: ok(1, 6, 1) });
      expectSubscriptions(cost[1].subscriptions).toBe('---^!');
    });
  });

  it('completes only after the last objective finishes', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const candidates$ = hot('a-b|', { a: cand(0), b: cand(1) });
      const cost = [cold('-----(x|)', { x: 1 }), cold('-(x|)', { x: 2 })];
      expectObservable(candidates$.pipe(evaluate((_p, t) => cost[t.i], { concurrency: 2 }))).toBe('---b-(a|)', { a: ok(0, 1, 5), b: ok(1, 2, 1) });
    });
  });

  it('takes the last intermediate value of a streaming objective as the trial value', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const candidates$ = cold('(a|)', { a: cand(0) });
      const curve = cold('-1-2-3|', { 1: 9, 2: 4, 3: { value: 1, state: 'w' } });
      expectObservable(candidates$.pipe(evaluate<{ x: number }, unknown>(() => curve))).toBe('------(a|)', {
        a: { ...ok(0, 1, 6, [9, 4, 1]), state: 'w' },
      });
    });
  });

  it('unsubscribing cancels objectives in flight and aborts their signal', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const signals: AbortSignal[] = [];
      const candidates$ = cold('(ab|)', { a: cand(0), b: cand(1) });
      const cost = [cold('------(x|)', { x: 1 }), cold('------(x|)', { x: 2 })];
      const out$ = candidates$.pipe(
        evaluate(
          (_p, t) => {
            signals.push(t.signal);
            return cost[t.i];
          },
          { concurrency: 2 },
        ),
      );
      expectObservable(out$, '---!').toBe('----');
      expectSubscriptions(cost[0].subscriptions).toBe('^--!');
      scheduler.flush();
      expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    });
  });

  it("errors the stream with the objective's error under onError 'fail'", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const candidates$ = cold('(ab|)', { a: cand(0), b: cand(1) });
      const boom = new Error('boom');
      const cost = [cold<number>('--#', undefined, boom), cold('-----(x|)', { x: 2 })];
      expectObservable(candidates$.pipe(evaluate((_p, t) => cost[t.i], { concurrency: 2 }))).toBe('--#', undefined, boom);
    });
  });

  it("records a failed trial and goes on under onError 'skip'", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const candidates$ = cold('(ab|)', { a: cand(0), b: cand(1) });
      const boom = new Error('boom');
      const cost = [cold<number>('--#', undefined, boom), cold('---(x|)', { x: 2 })];
      expectObservable(candidates$.pipe(evaluate((_p, t) => cost[t.i], { concurrency: 2, onError: 'skip' }))).toBe('--a(b|)', {
        a: { i: 0, params: { x: 0 }, value: NaN, status: 'failed', error: boom, durationMs: 2 },
        b: ok(1, 2, 3),
      });
    });
  });

  it('prunes a streaming objective by unsubscription when the candidate rule says so', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const curve = cold('-a-b-c-d|', { a: 10, b: 8, c: 7, d: 6 });
      const candidates$ = cold('(a|)', { a: { ...cand(0), prune: (value: number, step: number) => step === 2 && value > 5 } });
      expectObservable(candidates$.pipe(evaluate(() => curve))).toBe('---(a|)', {
        a: { i: 0, params: { x: 0 }, value: 8, status: 'pruned', steps: 2, curve: [10, 8], durationMs: 3 },
      });
      expectSubscriptions(curve.subscriptions).toBe('^--!');
    });
  });

  it('an upstream take stops the sampler', () => {
    scheduler.run(({ cold, expectObservable }) => {
      let produced = 0;
      const endless$ = new Observable<Candidate<{ x: number }>>((s) => {
        for (let i = 0; !s.closed; i++) {
          produced++;
          s.next(cand(i));
        }
      });
      expectObservable(
        endless$.pipe(
          take(3),
          evaluate(({ x }) => cold('-(v|)', { v: x }), { concurrency: 1 }),
        ),
      ).toBe('-ab(c|)', {
        a: ok(0, 0, 1),
        b: ok(1, 1, 1),
        c: ok(2, 2, 1),
      });
      scheduler.flush();
      expect(produced).toBe(3);
    });
  });
});

describe('evaluate (objective kinds)', () => {
  const run = <T>(objective: (p: { x: number }) => T, onError: 'fail' | 'skip' = 'skip') =>
    firstValueFrom(of(cand(0), cand(1)).pipe(evaluate(objective as never, { onError }), toArray()));

  it('accepts a number, a promise, { value, state } and an Observable', async () => {
    expect((await run(({ x }) => x + 1)).map((t) => t.value)).toEqual([1, 2]);
    expect((await run(async ({ x }) => x * 10)).map((t) => t.value)).toEqual([0, 10]);
    const withState = await run(({ x }) => ({ value: x, state: { w: x } }));
    expect(withState.map((t) => t.state)).toEqual([{ w: 0 }, { w: 1 }]);
    expect((await run(({ x }) => from([5, 4, x]))).map((t) => [t.value, t.steps, t.curve])).toEqual([
      [0, 3, [5, 4, 0]],
      [1, 3, [5, 4, 1]],
    ]);
    // An emission with no readable value is NaN in the curve; only the last one decides the value.
    expect((await run(({ x }) => from([{ loss: 1 }, 2, x]))).map((t) => [t.status, t.curve])).toEqual([
      ['ok', [NaN, 2, 0]],
      ['ok', [NaN, 2, 1]],
    ]);
  });

  it.each([
    ['a string', () => 'x', 'objective returned "x"'],
    ['null', () => null, 'objective returned null'],
    ['an object without value', () => ({ loss: 1 }), 'objective returned an object'],
    ['an empty Observable', () => from([]), 'completed without a value'],
    ['a rejected promise', () => Promise.reject(new Error('nope')), 'nope'],
    ['an erroring Observable', () => throwError(() => new Error('bad stream')), 'bad stream'],
  ])('makes a failed trial of %s', async (_name, objective, message) => {
    const trials = await run(objective as () => unknown);
    expect(trials.map((t) => t.status)).toEqual(['failed', 'failed']);
    expect((trials[0].error as Error).message).toContain(message);
    expect(trials[0].value).toBeNaN();
  });

  it('keeps NaN as a finished trial', async () => {
    const trials = await run(() => NaN);
    expect(trials.map((t) => t.status)).toEqual(['ok', 'ok']);
  });

  it('gives each trial its own AbortSignal, aborted when the trial is unsubscribed', async () => {
    const signals: AbortSignal[] = [];
    const gate = new Subject<number>();
    const sub = of(cand(0), cand(1))
      .pipe(evaluate((_p, t) => (signals.push(t.signal), gate), { concurrency: 2 }))
      .subscribe();
    expect(signals).toHaveLength(2);
    expect(signals[0]).not.toBe(signals[1]);
    expect(signals.some((s) => s.aborted)).toBe(false);
    sub.unsubscribe();
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('throws ArgumentError synchronously for bad options', () => {
    expect(() => evaluate(() => 1, { concurrency: 0 })).toThrow(ArgumentError);
    expect(() => evaluate(() => 1, { onError: 'maybe' as never })).toThrow(/`onError`/);
    expect(() => evaluate('f' as never)).toThrow(/`objective`/);
  });
});
