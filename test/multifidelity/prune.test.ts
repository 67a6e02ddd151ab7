import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { from, lastValueFrom, map, Observable, range, toArray } from 'rxjs';
import { SuccessiveHalvingPruner } from '../../src/multifidelity/SuccessiveHalvingPruner.js';
import { MedianPruner } from '../../src/multifidelity/MedianPruner.js';
import { prune } from '../../src/multifidelity/prune.js';
import { evaluate } from '../../src/operators/evaluate.js';
import { withPruner } from '../../src/multifidelity/withPruner.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { hyperopt$ } from '../../src/run/hyperopt$.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import type { Candidate, Trial } from '../../src/trial/Trial.js';
import type { TrialContext } from '../../src/trial/Objective.js';
import type { Sampler } from '../../src/samplers/Sampler.js';
import type { PruneRule } from '../../src/multifidelity/Pruner.js';
import fc from 'fast-check';
import { loopSlice } from '../../src/run/internal/loopSlice.js';

// These suites run the loop in virtual time, which has no wall clock: the loop's wall-clock slice is off here, or a
// loaded machine would pause a run mid-flush and leave it to a real macrotask.
const realSlice = loopSlice.ms;
beforeAll(() => {
  loopSlice.ms = Infinity;
});
afterAll(() => {
  loopSlice.ms = realSlice;
});

type P = { x: number };
const cand = (i: number): Candidate<P> => ({ i, params: { x: i } });

/** The rules as written down, sorting every time: the pruners keep their rungs sorted instead, with the same decisions. */
function referenceSuccessiveHalving(minResource: number, eta: number, s: number): PruneRule {
  const recorded: number[][] = [];
  const passed = new Map<number, number>();
  return (i, value, step) => {
    let rung = passed.get(i) ?? 0;
    while (step >= minResource * eta ** (s + rung)) {
      if (Number.isNaN(value)) return true;
      (recorded[rung] ??= []).push(value);
      const sorted = recorded[rung].slice().sort((a, b) => a - b);
      if (value > sorted[Math.max(1, Math.floor(sorted.length / eta)) - 1]) return true;
      passed.set(i, ++rung);
    }
    return false;
  };
}

function referenceMedian(startupTrials: number, warmupSteps: number): PruneRule {
  const atStep: number[][] = [];
  const best = new Map<number, number>();
  return (i, value, step) => {
    const own = Math.min(best.get(i) ?? Infinity, value);
    best.set(i, Number.isNaN(value) ? NaN : own);
    const others = (atStep[step] ??= []);
    const numbers = others.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const m = numbers.length;
    const median = m === 0 ? NaN : m % 2 === 1 ? numbers[(m - 1) / 2] : (numbers[m / 2 - 1] + numbers[m / 2]) / 2;
    const prune = Number.isNaN(value) || (step > warmupSteps && others.length >= Math.max(1, startupTrials) && own > median);
    others.push(value);
    return prune;
  };
}

/** Reports (configuration, value, step) with ties, NaN and infinities, steps going up per configuration. */
const reports = fc
  .array(
    fc.record({
      i: fc.integer({ min: 0, max: 12 }),
      value: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }).map((v) => v / 4) }, fc.constantFrom(NaN, Infinity, -Infinity)),
      advance: fc.integer({ min: 1, max: 4 }),
    }),
    { maxLength: 200 },
  )
  .map((list) => {
    const steps = new Map<number, number>();
    return list.map(({ i, value, advance }) => {
      const step = (steps.get(i) ?? 0) + advance;
      steps.set(i, step);
      return { i, value, step };
    });
  });

describe('SuccessiveHalvingPruner', () => {
  it("reproduces Optuna's worked example (eta 4, rung 0): keep, keep, prune, keep, prune, keep, prune, prune", () => {
    const rule = new SuccessiveHalvingPruner({ minResource: 1, eta: 4 }).start();
    const values = [0.5, 0.3, 0.4, 0.2, 0.6, 0.1, 0.35, 0.45];
    expect(values.map((v, i) => rule(i, v, 1))).toEqual([false, false, true, false, true, false, true, true]);
  });

  it('judges a configuration only when it reaches a rung, at steps minResource * eta^(s + k)', () => {
    const rule = new SuccessiveHalvingPruner({ minResource: 2, eta: 2, minEarlyStoppingRate: 1 }).start();
    // Rungs at steps 4, 8, 16. Configuration 0 sets every rung; configuration 1 is worse.
    for (let step = 1; step <= 16; step++) expect(rule(0, 1, step)).toBe(false);
    expect(rule(1, 2, 1)).toBe(false); // no rung before step 4
    expect(rule(1, 2, 3)).toBe(false);
    expect(rule(1, 2, 4)).toBe(true); // top floor(2/2) = 1 of {1, 2}: pruned
  });

  it('judges every rung a report crosses, and prunes NaN', () => {
    const rule = new SuccessiveHalvingPruner({ eta: 3 }).start();
    expect(rule(0, 5, 10)).toBe(false); // crosses rungs at 1, 3 and 9: first everywhere
    expect(rule(1, 4, 10)).toBe(false); // better than 5 at each rung
    expect(rule(2, 6, 10)).toBe(true); // floor(3/3) = 1 kept at rung 0: 4 < 6
    expect(rule(3, Number.NaN, 1)).toBe(true);
  });

  it('keeps its state per run: one pruner, two runs, the same decisions', () => {
    const pruner = new SuccessiveHalvingPruner({ eta: 2 });
    const decide = () => {
      const rule = pruner.start();
      return [3, 1, 2, 0].map((v, i) => rule(i, v, 1));
    };
    expect(decide()).toEqual([false, false, true, false]);
    expect(decide()).toEqual(decide());
  });

  it('decides as the rule written down, report by report (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3), fc.constantFrom(1.5, 2, 3, 4), fc.integer({ min: 0, max: 2 }), reports, (minResource, eta, s, list) => {
        const rule = new SuccessiveHalvingPruner({ minResource, eta, minEarlyStoppingRate: s }).start();
        const reference = referenceSuccessiveHalving(minResource, eta, s);
        expect(list.map(({ i, value, step }) => rule(i, value, step))).toEqual(list.map(({ i, value, step }) => reference(i, value, step)));
      }),
    );
  });

  it('describes itself with its options and defaults', () => {
    expect(new SuccessiveHalvingPruner().toJSON()).toEqual({ name: 'SuccessiveHalvingPruner', minResource: 1, eta: 3, minEarlyStoppingRate: 0 });
    expect(new SuccessiveHalvingPruner({ minResource: 2, eta: 4, minEarlyStoppingRate: 1 }).toJSON()).toEqual({
      name: 'SuccessiveHalvingPruner',
      minResource: 2,
      eta: 4,
      minEarlyStoppingRate: 1,
    });
  });

  it('rejects bad options naming them', () => {
    for (const [options, option] of [
      [{ minResource: 0 }, 'minResource'],
      [{ eta: 1 }, 'eta'],
      [{ minEarlyStoppingRate: 0.5 }, 'minEarlyStoppingRate'],
      [{ rf: 3 }, 'SuccessiveHalvingPruner.rf'],
    ] as const) {
      try {
        new SuccessiveHalvingPruner(options as never);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(ArgumentError);
        expect((e as ArgumentError).option).toBe(option);
      }
    }
  });
});

describe('MedianPruner', () => {
  it('prunes a best-so-far worse than the median at the same step, after startup and warm-up', () => {
    const rule = new MedianPruner({ startupTrials: 2, warmupSteps: 1 }).start();
    expect([rule(0, 1, 1), rule(1, 3, 1), rule(2, 9, 1)]).toEqual([false, false, false]); // step 1 is warm-up
    expect(rule(0, 1, 2)).toBe(false); // one other value at step 2: still startup
    expect(rule(1, 2, 2)).toBe(false);
    expect(rule(2, 8, 2)).toBe(true); // best 8 > median(1, 2) = 1.5
    expect(rule(3, 1.4, 2)).toBe(false); // 1.4 < median(1, 2, 8) = 2
    expect(rule(4, Number.NaN, 1)).toBe(true);
  });

  it('uses the best value so far, not the latest', () => {
    const rule = new MedianPruner({ startupTrials: 1 }).start();
    rule(0, 5, 1);
    rule(0, 5, 2);
    expect(rule(1, 1, 1)).toBe(false);
    expect(rule(1, 6, 2)).toBe(false); // latest 6 > 5, but best so far 1 < 5
  });

  it('defaults to 5 startup trials and no warm-up', () => {
    const rule = new MedianPruner().start();
    expect([0, 1, 2, 3, 4].map((i) => rule(i, i, 1))).toEqual([false, false, false, false, false]);
    expect(rule(5, 9, 1)).toBe(true);
    expect(new MedianPruner().toJSON()).toEqual({ name: 'MedianPruner', startupTrials: 5, warmupSteps: 0 });
  });

  it('rejects bad options naming them', () => {
    for (const [options, option] of [
      [{ startupTrials: -1 }, 'startupTrials'],
      [{ warmupSteps: 1.5 }, 'warmupSteps'],
      [{ warmup: 1 }, 'MedianPruner.warmup'],
    ] as const) {
      expect(() => new MedianPruner(options as never)).toThrow(expect.objectContaining({ name: 'ArgumentError', option }));
    }
  });

  it('keeps its state per run: one pruner, two runs, the same decisions', () => {
    const pruner = new MedianPruner({ startupTrials: 1 });
    const decide = () => {
      const rule = pruner.start();
      return [1, 3, 2, 0].map((v, i) => rule(i, v, 1));
    };
    expect(decide()).toEqual([false, true, false, false]); // 3 > median(1); 2 is not above median(1, 3) = 2
    expect(decide()).toEqual(decide());
  });

  it('decides as the rule written down, report by report (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), reports, (startupTrials, warmupSteps, list) => {
        const rule = new MedianPruner({ startupTrials, warmupSteps }).start();
        const reference = referenceMedian(startupTrials, warmupSteps);
        expect(list.map(({ i, value, step }) => rule(i, value, step))).toEqual(list.map(({ i, value, step }) => reference(i, value, step)));
      }),
    );
  });
});

describe('pruning streaming objectives by unsubscription (marble tests)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('unsubscribes a pruned objective, records its last value, and starts the next candidate in its slot', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const candidates$ = cold('(abc|)', { a: cand(0), b: cand(1), c: cand(2) });
      const curves = [
        cold('-1-2-3|', { 1: 0.5, 2: 0.4, 3: 0.3 }),
        cold('-1-2-3|', { 1: 0.9, 2: 0.8, 3: 0.7 }), // worse than a at step 1: pruned there
        cold('-1-2-3|', { 1: 0.2, 2: 0.1, 3: 0.05 }),
      ];
      const signals: AbortSignal[] = [];
      const objective = (_p: P, t: TrialContext) => {
        signals[t.i] = t.signal;
        return curves[t.i];
      };
      expectObservable(candidates$.pipe(prune(new SuccessiveHalvingPruner({ eta: 2 })), evaluate(objective))).toBe('------ab-----(c|)', {
        a: { i: 0, params: { x: 0 }, value: 0.3, status: 'ok', steps: 3, curve: [0.5, 0.4, 0.3], durationMs: 6 },
        b: { i: 1, params: { x: 1 }, value: 0.9, status: 'pruned', steps: 1, curve: [0.9], durationMs: 1 },
        c: { i: 2, params: { x: 2 }, value: 0.05, status: 'ok', steps: 3, curve: [0.2, 0.1, 0.05], durationMs: 6 },
      });
      expectSubscriptions(curves[1].subscriptions).toBe('------^!');
      expectSubscriptions(curves[2].subscriptions).toBe('-------^-----!'); // took the freed slot at once
      scheduler.flush();
      expect(signals.map((s) => s.aborted)).toEqual([false, true, false]);
    });
  });

  it('in the optimization loop: a pruned trial frees its slot for the next candidate (concurrency 2)', () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      // Sampled x decides the curve; the sampler's order is fixed by the seed, the curves by x.
      const sampler = withPruner(new RandomSampler({ seed: 11 }), new SuccessiveHalvingPruner({ eta: 2 }));
      const order: number[] = [];
      const curves = new Map<number, ReturnType<typeof cold>>();
      const objective = ({ x }: P) => {
        order.push(x);
        const c = cold('--1--2--3|', { 1: x, 2: x / 2, 3: x / 4 });
        curves.set(x, c);
        return c;
      };
      const trials: Trial[] = [];
      hyperopt$({ space: { x: [1, 2, 3, 4, 5, 6, 7, 8] }, iterations: 4, sampler, concurrency: 2, progress: false }, objective).subscribe((t) => trials.push(t));
      scheduler.flush();
      // Both first trials reach rung 0 together at frame 2: the worse one is pruned there and the 3rd starts.
      const [first, second, third] = order;
      const worse = Math.max(first, second);
      expect(trials.find((t) => t.params.x === worse && t.i < 2)?.status).toBe('pruned');
      expectSubscriptions(curves.get(worse)!.subscriptions).toBe('^-!');
      expect(curves.get(third)!.subscriptions[0].subscribedFrame).toBe(2);
      expect(trials).toHaveLength(4);
    });
  });
});

describe('pruning a synchronous streaming objective', () => {
  it('stops it at the pruned step: no value after that one is computed', async () => {
    const computed: number[] = []; // configuration of each value the objectives computed
    const objective = ({ x }: P, { i }: TrialContext) =>
      range(1, 10).pipe(
        map((epoch) => {
          computed.push(i);
          return x + 1 / epoch;
        }),
      );
    const trials = await lastValueFrom(from([cand(0), cand(5), cand(1)]).pipe(prune(new SuccessiveHalvingPruner({ eta: 2 })), evaluate(objective), toArray()));
    // x = 5 is worse than x = 0 at the first rung (step 1): pruned there, after one value.
    expect(trials.map((t) => [t.status, t.steps])).toEqual([
      ['ok', 10],
      ['pruned', 1],
      ['pruned', 1], // floor(3 / 2) = 1 kept at rung 0: 0 + 1 < 1 + 1
    ]);
    expect(computed.filter((i) => i === 5)).toHaveLength(1);
    expect(computed.filter((i) => i === 1)).toHaveLength(1);
    expect(computed).toHaveLength(12);
  });

  it('stops a hand-written synchronous source that checks subscriber.closed, in hyperopt', async () => {
    let epochs = 0;
    const sampler = withPruner(new RandomSampler({ seed: 3 }), new MedianPruner({ startupTrials: 1 }));
    const ho = await hyperopt(
      { space: { x: [0, 0.25, 0.5, 0.75, 1] }, iterations: 12, sampler, progress: false },
      ({ x }: P) =>
        new Observable<number>((subscriber) => {
          for (let epoch = 1; epoch <= 20 && !subscriber.closed; epoch++) {
            epochs++;
            subscriber.next(x + 1 / epoch);
          }
          subscriber.complete();
        }),
    );
    expect(ho.trials.some((t) => t.status === 'pruned')).toBe(true);
    expect(epochs).toBe(ho.trials.reduce((sum, t) => sum + t.steps!, 0));
  });
});

describe('withPruner', () => {
  it('passes iterations, validation and planned evaluations through, and prunes in hyperopt', async () => {
    const inner = new RandomSampler({ seed: 4 });
    const sampler: Sampler = withPruner(inner, new MedianPruner({ startupTrials: 2 }));
    expect(sampler.name).toBe('RandomSampler + MedianPruner');
    expect(sampler.toJSON?.()).toEqual({ name: 'RandomSampler', seed: 4, pruner: { name: 'MedianPruner', startupTrials: 2, warmupSteps: 0 } });
    const ho = await hyperopt({ space: { x: [0, 0.25, 0.5, 0.75, 1] }, iterations: 20, sampler, progress: false }, ({ x }) => range(1, 10).pipe(map((epoch) => x + 1 / epoch)));
    const pruned = ho.trials.filter((t) => t.status === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(t.steps).toBeLessThan(10);
    // The best configuration (x = 0) is never pruned.
    expect(ho.trials.filter((t) => t.params.x === 0).every((t) => t.status === 'ok')).toBe(true);
    expect(() => withPruner(inner, {} as never)).toThrow(ArgumentError);
  });

  it.each(['minimize', 'maximize'] as const)('a continued run (%s) prunes from its first trial: the rule has taken in the earlier trials’ curves', async (direction) => {
    const sign = direction === 'maximize' ? -1 : 1;
    // Trials 0-4 learn alike (9 epochs); trial 5 is worse at every epoch, trial 6 a little better.
    const offset = (i: number) => (i === 5 ? 10 : i === 6 ? -1 : 0);
    const objective = ({ x }: P, { i }: TrialContext) => range(1, 9).pipe(map((epoch) => sign * (x + offset(i) + 1 / epoch)));
    const sampler = withPruner(new RandomSampler({ seed: 2 }), new MedianPruner({ startupTrials: 5 }));
    const space = { x: [0, 0.1, 0.2] };
    const ho = await hyperopt({ space, iterations: 5, sampler, direction, progress: false }, objective);
    expect(ho.trials.map((t) => [t.status, t.curve?.length])).toEqual(Array(5).fill(['ok', 9])); // 4 others at most: no pruning yet
    await hyperopt({ ho, iterations: 1, sampler, direction, progress: false }, objective);
    expect(ho.trials[5]).toEqual(expect.objectContaining({ i: 5, status: 'pruned', steps: 1 }));
    await hyperopt({ ho, iterations: 1, sampler, direction, progress: false }, objective);
    expect(ho.trials[6]).toEqual(expect.objectContaining({ i: 6, status: 'ok', steps: 9 }));
    // A fresh run has no such history: the same configuration trains to the end.
    const fresh = await hyperopt({ space, iterations: 1, sampler, direction, progress: false }, (params) => objective(params, { i: 5 } as TrialContext));
    expect(fresh.trials[0]).toEqual(expect.objectContaining({ status: 'ok', steps: 9 }));
  });

  it('prune with past: the rule takes in their curves first, in the given direction', async () => {
    const past: Trial[] = [0, 1, 2].map((i) => ({ i, params: { x: i }, value: -1, status: 'ok', durationMs: 0, curve: [-1, -1] }));
    const run = (options: { direction?: 'maximize'; past?: readonly Trial[] }) =>
      lastValueFrom(
        from([cand(3)]).pipe(
          prune(new MedianPruner({ startupTrials: 3 }), options),
          evaluate(() => from([-2, -2])),
          toArray(),
        ),
      );
    expect((await run({ direction: 'maximize', past }))[0]).toEqual(expect.objectContaining({ status: 'pruned', steps: 1 })); // -2 < -1: worse
    expect((await run({ past }))[0].status).toBe('ok'); // minimizing, -2 is better than -1
    expect((await run({ direction: 'maximize' }))[0].status).toBe('ok'); // no history
    expect(() => prune(new MedianPruner(), { past: 'trials' as never })).toThrow(new ArgumentError('past', 'must be an array of trials, got "trials"'));
  });

  it('prune with past: a curve whose positions are not its steps (an ask/tell client reported steps with gaps) is left out', async () => {
    const trials = (steps: number): Trial[] => [0, 1, 2].map((i) => ({ i, params: { x: i }, value: 1, status: 'ok', durationMs: 0, curve: [1, 1], steps }));
    const run = (past: readonly Trial[]) =>
      lastValueFrom(
        from([cand(3)]).pipe(
          prune(new MedianPruner({ startupTrials: 3 }), { past }),
          evaluate(() => from([2, 2])),
          toArray(),
        ),
      );
    expect((await run(trials(2)))[0]).toEqual(expect.objectContaining({ status: 'pruned', steps: 1 })); // steps 1 and 2: replayed
    expect((await run(trials(20)))[0].status).toBe('ok'); // two values over 20 steps: which steps is unknown
  });

  it('keeps a rule the candidate already had', async () => {
    const own = (value: number) => value > 100;
    const trials = await lastValueFrom(
      from([{ i: 0, params: { x: 0 }, prune: own }]).pipe(
        prune(new SuccessiveHalvingPruner()),
        evaluate(() => from([1, 200, 3])),
        toArray(),
      ),
    );
    expect(trials[0].status).toBe('pruned');
    expect(trials[0].value).toBe(200);
  });
});
