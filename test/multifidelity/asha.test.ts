import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { hyperopt$ } from '../../src/run/hyperopt$.js';
import type { TrialContext } from '../../src/trial/Objective.js';
import type { Trial } from '../../src/trial/Trial.js';
import { asha } from '../../src/multifidelity/asha.js';
import { asyncRungs } from '../../src/multifidelity/internal/rungInternals.js';
import fc from 'fast-check';
import type { ArgumentError } from '../../src/base/ArgumentError.js';
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

// ASHA is Hyperband({ asynchronous: true }). These run the real loop in virtual time: every
// evaluation is a cold Observable lasting `resources` frames, so slot usage is exact.

const space = { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
type P = { x: number };

interface Run {
  trials: { frame: number; i: number; rung: number; bracket: number }[];
  starts: { frame: number; i: number; resources: number }[];
  spans: [number, number][];
}

function runInVirtualTime(scheduler: TestScheduler, hb: Hyperband, concurrency: number, value: (i: number, resources: number) => number): Run {
  const run: Run = { trials: [], starts: [], spans: [] };
  scheduler.run(({ cold }) => {
    const t0 = scheduler.now(); // virtual time goes on across runs of one scheduler
    const now = () => scheduler.now() - t0;
    const objective = (_p: P, t: TrialContext) => {
      const frames = Math.max(1, Math.round(t.resources!));
      run.starts.push({ frame: now(), i: t.i, resources: t.resources! });
      run.spans.push([now(), now() + frames]);
      return cold(`${'-'.repeat(frames)}(v|)`, { v: { value: value(t.i, t.resources!), state: t.i } });
    };
    hyperopt$({ space, sampler: hb, concurrency, progress: false }, objective).subscribe((t: Trial) =>
      run.trials.push({ frame: now(), i: t.i, rung: t.rung!, bracket: t.bracket! }),
    );
  });
  return run;
}

/** Objectives running at each frame, up to the last start. */
function busyUntilLastStart(run: Run): number[] {
  const lastStart = Math.max(...run.spans.map(([s]) => s));
  return Array.from({ length: lastStart + 1 }, (_, f) => run.spans.filter(([s, e]) => s <= f && f < e).length);
}

describe('ASHA: Hyperband({ asynchronous: true }) (virtual time)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('promotes without waiting for the rung to fill, and opens the next bracket instead of idling', () => {
    // R = 3, eta = 3: bracket 1 has 3 configurations at 1 then 1 at 3; bracket 0 has 2 at 3.
    const values = [2, 1, 0, 5, 6];
    const asha = runInVirtualTime(scheduler, new Hyperband({ maxResource: 3, eta: 3, inner: new RandomSampler({ seed: 1 }), asynchronous: true }), 2, (i) => values[i]);
    expect(asha.starts).toEqual([
      { frame: 0, i: 0, resources: 1 },
      { frame: 0, i: 1, resources: 1 },
      { frame: 1, i: 2, resources: 1 },
      { frame: 1, i: 3, resources: 3 }, // bracket 0 starts: bracket 1 has nothing to hand out yet
      { frame: 2, i: 2, resources: 3 }, // the best of 3 results at rung 0 (floor(3/3) = 1) goes on
      { frame: 4, i: 4, resources: 3 },
    ]);
    expect(asha.trials.map((t) => [t.frame, t.i, t.rung])).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [2, 2, 0],
      [4, 3, 0],
      [5, 2, 1],
      [7, 4, 0],
    ]);
    const sync = runInVirtualTime(scheduler, new Hyperband({ maxResource: 3, eta: 3, inner: new RandomSampler({ seed: 1 }) }), 2, (i) => values[i]);
    // Synchronous: the promoted configuration runs alone (frames 2-5), bracket 0 waits for it.
    expect(sync.starts.map((s) => [s.frame, s.i, s.resources])).toEqual([
      [0, 0, 1],
      [0, 1, 1],
      [1, 2, 1],
      [2, 2, 3],
      [5, 3, 3],
      [5, 4, 3],
    ]);
    expect(Math.max(...sync.trials.map((t) => t.frame))).toBe(8);
    expect(Math.max(...asha.trials.map((t) => t.frame))).toBe(7);
  });

  it('keeps every slot busy until the last evaluation starts, where synchronous Hyperband idles (R = 27, concurrency 4)', () => {
    const value = (i: number) => (i * 37) % 23;
    const asha = runInVirtualTime(scheduler, new Hyperband({ maxResource: 27, eta: 3, inner: new RandomSampler({ seed: 2 }), asynchronous: true }), 4, value);
    expect(busyUntilLastStart(asha).every((n) => n === 4)).toBe(true);
    const sync = runInVirtualTime(scheduler, new Hyperband({ maxResource: 27, eta: 3, inner: new RandomSampler({ seed: 2 }) }), 4, value);
    expect(busyUntilLastStart(sync).some((n) => n < 4)).toBe(true);
    expect(sync.trials).toHaveLength(69); // 27/9/3/1 + 12/4/1 + 6/2 + 4
    const work = (r: Run) => r.spans.reduce((s, [a, b]) => s + b - a, 0);
    const makespan = (r: Run) => Math.max(...r.spans.map(([, e]) => e));
    // Utilisation: busy slot-frames over concurrency x makespan.
    expect(work(asha) / (4 * makespan(asha))).toBeGreaterThan(work(sync) / (4 * makespan(sync)));
  });
});

describe('asha operator (marble tests)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });
  const cand = (i: number) => ({ i, params: { x: i } });
  const values = [2, 1, 0, 5];

  it('promotes the best of a rung as soon as it is in the top 1/eta of the results so far', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source$ = cold('(abcd|)', { a: cand(0), b: cand(1), c: cand(2), d: cand(3) });
      const runs = new Map<string, ReturnType<typeof cold<{ value: number; state: string }>>>();
      // An evaluation with r resources takes 5r frames.
      const objective = (_p: P, t: TrialContext) => {
        const key = `${t.i}@${t.resources}`;
        const run = cold<{ value: number; state: string }>(`${'-'.repeat(5 * t.resources!)}(v|)`, { v: { value: values[t.i] / t.resources!, state: key } });
        runs.set(key, run);
        return run;
      };
      const trial = (i: number, r: number, durationMs: number, state?: unknown) => ({
        i,
        params: { x: i },
        value: values[i] / r,
        status: 'ok',
        resources: r,
        rung: r === 1 ? 0 : 1,
        steps: 1,
        curve: [values[i] / r],
        durationMs,
        state: state ?? `${i}@${r}`,
      });
      expectObservable(source$.pipe(asha(objective, { minResource: 1, maxResource: 3, eta: 3, concurrency: 2 }))).toBe(
        // 0 and 1 first; at frame 5 the rung has 1 then 2 results (floor(m/3) = 0): 2 and 3 start;
        // at frame 10 configuration 2 is the best of 3 results and goes on at once with 3 resources.
        `-----(ab)-(cd)${'-'.repeat(11)}(e|)`,
        { a: trial(0, 1, 5), b: trial(1, 1, 5), c: trial(2, 1, 5), d: trial(3, 1, 5), e: trial(2, 3, 15) },
      );
      scheduler.flush();
      expectSubscriptions(runs.get('2@3')!.subscriptions).toBe(`----------^${'-'.repeat(14)}!`);
      expect([...runs.keys()]).toEqual(['0@1', '1@1', '2@1', '3@1', '2@3']);
    });
  });

  it('keeps every slot busy until the last fresh configuration starts, where successive halving waits for its rungs', async () => {
    const { successiveHalving } = await import('../../src/multifidelity/successiveHalving.js');
    const { from } = await import('rxjs');
    const busy = (op: 'asha' | 'sh') => {
      const spans: [number, number][] = [];
      let lastFresh = 0;
      scheduler.run(({ cold }) => {
        const t0 = scheduler.now();
        const objective = (_p: P, t: TrialContext) => {
          const frames = Math.round(t.resources!) * (1 + (t.i % 3));
          spans.push([scheduler.now() - t0, scheduler.now() - t0 + frames]);
          if (t.resources === 1) lastFresh = scheduler.now() - t0;
          return cold(`${'-'.repeat(frames)}(v|)`, { v: { value: (t.i * 37) % 23, state: t.i } });
        };
        const source$ = from(Array.from({ length: 27 }, (_, i) => cand(i)));
        const operator =
          op === 'asha'
            ? asha(objective, { minResource: 1, maxResource: 9, eta: 3, concurrency: 4 })
            : successiveHalving(objective, { minResource: 1, eta: 3, rungs: 3, concurrency: 4 });
        source$.pipe(operator).subscribe();
      });
      return Array.from({ length: lastFresh + 1 }, (_, f) => spans.filter(([s, e]) => s <= f && f < e).length);
    };
    expect(busy('asha').every((n) => n === 4)).toBe(true);
    expect(busy('sh').some((n) => n < 4)).toBe(true);
  });

  it('rejects bad options naming them', () => {
    for (const [options, option] of [
      [{ minResource: 0, maxResource: 9 }, 'minResource'],
      [{ minResource: 3, maxResource: 1 }, 'maxResource'],
      [{ minResource: 1, maxResource: 9, eta: 1 }, 'eta'],
      [{ minResource: 1, maxResource: 9, concurrency: 0 }, 'concurrency'],
    ] as const) {
      try {
        asha(() => 1, options as never);
        throw new Error('accepted');
      } catch (e) {
        expect((e as ArgumentError).option).toBe(option);
      }
    }
  });
});

// A straightforward ASHA rung engine kept as the reference: every decision re-sorts every rung
// (stable sort, like Julia's sortperm) and takes the first unpromoted configuration of the top
// floor(m / eta). The incremental engine must make exactly the same decisions.
function referenceAsyncRungs(last: number, eta: number, n: number) {
  const order = (t: Trial): number => (t.status === 'failed' ? 3 : Number.isNaN(t.value) ? 2 : t.status === 'pruned' ? 1 : 0);
  const sorted = (trials: Trial[]) =>
    trials.slice().sort((a, b) => {
      const ca = order(a);
      const cb = order(b);
      if (ca !== cb) return ca - cb;
      if (ca !== 0 || a.value === b.value) return 0;
      return a.value < b.value ? -1 : 1;
    });
  const members: Trial[][] = Array.from({ length: last + 1 }, () => []);
  const promoted: Set<number>[] = Array.from({ length: last + 1 }, () => new Set());
  let admitted = 0;
  let closed = n === 0;
  let inFlight = 0;
  const find = (): [Trial, number] | undefined => {
    for (let k = last - 1; k >= 0; k--) {
      for (const t of sorted(members[k]).slice(0, Math.floor(members[k].length / eta))) if (!promoted[k].has(t.i)) return [t, k];
    }
    return undefined;
  };
  return {
    wantsNew: () => !closed && admitted < n,
    admit(i: number, params: unknown) {
      admitted++;
      inFlight++;
      if (admitted === n) closed = true;
      return { i, params, rung: 0, state: undefined as unknown };
    },
    closeAdmission: () => void (closed = true),
    record(trial: Trial) {
      inFlight--;
      members[trial.rung ?? 0].push(trial);
    },
    promote() {
      const found = find();
      if (!found) return undefined;
      const [t, k] = found;
      promoted[k].add(t.i);
      inFlight++;
      return { i: t.i, params: t.params, rung: k + 1, state: t.state };
    },
    get inFlight() {
      return inFlight;
    },
    get done() {
      return closed && inFlight === 0 && find() === undefined;
    },
  };
}

describe('asyncRungs: incremental rungs decide exactly as re-sorting every rung', () => {
  type Op = { op: 'admit'; duplicate: number | undefined } | { op: 'record'; pick: number; status: Trial['status']; value: number } | { op: 'promote' } | { op: 'close' };
  const value = fc.constantFrom(0, -0, 1, 1, 2, 2, 3, 0.5, NaN, Infinity, -Infinity, -1);
  // Promotions often (each top trial goes at once) or rarely (rungs fill up, better trials push others out of the top).
  const ops = (promoteWeight: number): fc.Arbitrary<Op[]> =>
    fc.array(
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc.record({
            op: fc.constant('admit' as const),
            duplicate: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(50) }),
          }),
        },
        {
          weight: 4,
          arbitrary: fc.record({
            op: fc.constant('record' as const),
            pick: fc.nat(),
            status: fc.constantFrom<Trial['status']>('ok', 'ok', 'pruned', 'pruned', 'failed'),
            value,
          }),
        },
        { weight: promoteWeight, arbitrary: fc.constant({ op: 'promote' as const }) },
        { weight: 1, arbitrary: fc.constant({ op: 'close' as const }) },
      ),
      { maxLength: 300, size: 'max' },
    );

  it('same candidates, promotions, done and inFlight after every step (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1.5, 2, 3, 4),
        fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(Infinity)),
        fc.oneof(ops(4), ops(1)),
        (rungs, eta, n, ops) => {
          const engine = asyncRungs({ n, rungs, r: 1, eta });
          const reference = referenceAsyncRungs(rungs - 1, eta, n);
          const flying: { i: number; params: unknown; rung: number }[] = [];
          let next = 0;
          for (const o of ops) {
            if (o.op === 'admit') {
              expect(engine.wantsNew()).toBe(reference.wantsNew());
              if (!engine.wantsNew()) continue;
              const i = o.duplicate !== undefined && o.duplicate < next ? o.duplicate : next++;
              const c = engine.admit(i, { x: i });
              reference.admit(i, { x: i });
              flying.push({ i: c.i, params: c.params, rung: c.rung! });
            } else if (o.op === 'record') {
              if (flying.length === 0) continue;
              const [c] = flying.splice(o.pick % flying.length, 1);
              const trial = { i: c.i, params: c.params, value: o.value, status: o.status, rung: c.rung, state: `${c.i}@${c.rung}`, durationMs: 0 } as Trial;
              engine.record(trial);
              reference.record(trial);
            } else if (o.op === 'promote') {
              const c = engine.promote();
              const expected = reference.promote();
              expect(c && { i: c.i, params: c.params, rung: c.rung, state: c.state }).toEqual(expected);
              if (c) {
                expect(c.resources).toBe(eta ** c.rung!);
                flying.push({ i: c.i, params: c.params, rung: c.rung! });
              }
            } else {
              engine.closeAdmission();
              reference.closeAdmission();
            }
            expect(engine.inFlight).toBe(reference.inFlight);
            expect(engine.done).toBe(reference.done);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
