import { describe, it, expect, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperopt } from '../../src/node/hyperopt.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { BOHB } from '../../src/samplers/BOHB.js';
import { LHSampler } from '../../src/samplers/LHSampler.js';
import type { Sampler } from '../../src/samplers/Sampler.js';
import type { Objective } from '../../src/trial/Objective.js';
import type { Trial } from '../../src/trial/Trial.js';
import { linrange } from '../../src/space/linrange.js';
import { uniform } from '../../src/space/uniform.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const space = { x: linrange(-1, 1, 41), y: uniform(0, 1), z: ['a', 'b', 'c'] };
type P = { x: number; y: number; z: string };
const quiet = { progress: false } as const;
const byEvaluation = (ts: readonly Trial[]) =>
  [...ts]
    .sort((a, b) => a.i - b.i || (a.resources ?? 0) - (b.resources ?? 0))
    .map((t) => ({ i: t.i, params: t.params, value: t.value, resources: t.resources, state: t.state }));

/** A run cut at its `crashAt`-th objective call (that trial in flight, so lost), then resumed from the journal. */
async function crashThenResume(make: () => Sampler, iterations: number | undefined, concurrency: number, crashAt: number, objective: Objective) {
  const journal = join(dir, `p-${files++}.jsonl`);
  const controller = new AbortController();
  let calls = 0;
  await hyperopt({ space, iterations, concurrency, sampler: make(), journal, signal: controller.signal, ...quiet }, (p, ctx) => {
    if (++calls === crashAt) controller.abort();
    return objective(p, ctx);
  });
  // What reached the journal before the crash (at concurrency > 1, trials finished but not yet delivered are lost too).
  const recorded = readFileSync(journal, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"i"')).length;
  let resumedCalls = 0;
  const resumed = await hyperopt({ space, iterations, concurrency, journal, ...quiet }, (p, ctx) => (resumedCalls++, objective(p, ctx)));
  const whole = await hyperopt({ space, iterations, concurrency, sampler: make(), ...quiet }, objective);
  return { resumed, whole, resumedCalls, recorded };
}

describe('resume by replay (property)', () => {
  it('RandomSampler: for any seed, size, concurrency and crash point, the resumed run is the uninterrupted run', async () => {
    const f: Objective = (p) => {
      const { x, y, z } = p as P;
      return x * x + y + z.length;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (seed, iterations, concurrency, cut) => {
          const crashAt = 1 + Math.floor(cut * (iterations - 1));
          const { resumed, whole, resumedCalls, recorded } = await crashThenResume(() => new RandomSampler({ seed }), iterations, concurrency, crashAt, f);
          expect(byEvaluation(resumed.trials)).toEqual(byEvaluation(whole.trials));
          expect(recorded).toBeLessThanOrEqual(crashAt - 1);
          expect(recorded).toBeGreaterThanOrEqual(crashAt - concurrency);
          expect(resumedCalls).toBe(iterations - recorded); // what is on disk is never run again
        },
      ),
      { numRuns: 40 },
    );
  });

  it('Hyperband (synchronous and ASHA; inner random, LHS or BOHB): for any R, eta, concurrency and crash point, the resumed run has the same brackets, rungs, promotions and states', async () => {
    const f: Objective = (p, { resources, state }) => {
      const { x, y, z } = p as P;
      const epochs = ((state as number | undefined) ?? 0) + (resources ?? 0);
      return { value: x * x + y + z.length + 1 / epochs, state: epochs };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(3, 4, 9, 10, 27),
        fc.constantFrom(2, 3),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('random', 'lhs', 'bohb'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (seed, R, eta, asynchronous, concurrency, innerKind, cut) => {
          const inner = () => (innerKind === 'lhs' ? new LHSampler({ seed, gaIterations: 5 }) : innerKind === 'bohb' ? new BOHB({ seed }) : new RandomSampler({ seed }));
          const make = () => new Hyperband({ maxResource: R, eta, asynchronous, inner: inner() });
          const total = make().evaluations(space, 1);
          const crashAt = 1 + Math.floor(cut * (total - 1));
          const { resumed, whole, resumedCalls, recorded } = await crashThenResume(make, undefined, concurrency, crashAt, f);
          expect(byEvaluation(resumed.trials)).toEqual(byEvaluation(whole.trials));
          expect(recorded).toBeLessThanOrEqual(crashAt - 1);
          expect(recorded).toBeGreaterThanOrEqual(crashAt - concurrency);
          expect(resumedCalls).toBe(whole.trials.length - recorded); // ASHA may run a few more than `total`
        },
      ),
      { numRuns: 30 },
    );
  });

  it('replays in the recorded finishing order: asynchronous objectives at concurrency > 1 (ASHA, BOHB) resume exactly', async () => {
    /**
     * Evaluations finish one at a time, whenever the loop has done all it can (setImmediate), the in-flight
     * one with the smallest rank first: the finishing order depends on which evaluations are in flight, never
     * on when they started or on a clock, so a resumed run (whose in-flight ones restarted) can match exactly.
     */
    const scheduler = () => {
      const pending: { rank: number; resolve: () => void }[] = [];
      let scheduled = false;
      const pump = () => {
        scheduled = false;
        pending.sort((a, b) => a.rank - b.rank);
        pending.shift()?.resolve();
        if (pending.length > 0) schedule();
      };
      const schedule = () => {
        if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      };
      return (rank: number) => new Promise<void>((resolve) => (pending.push({ rank, resolve }), schedule()));
    };
    const objective = (): Objective => {
      const finish = scheduler();
      return async (p, { i, resources, state }) => {
        await finish(((i * 7 + (resources ?? 0) * 3) % 11) * 1000 + i);
        const { x, y, z } = p as P;
        const epochs = ((state as number | undefined) ?? 0) + (resources ?? 1);
        return { value: x * x + y + z.length + 1 / epochs, state: epochs };
      };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom<['asha' | 'bohb', number]>(['asha', 9], ['asha', 27], ['bohb', 30]),
        fc.integer({ min: 2, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (seed, [kind, size], concurrency, cut) => {
          const make = (): Sampler =>
            kind === 'asha' ? new Hyperband({ maxResource: size, eta: 3, asynchronous: true, inner: new RandomSampler({ seed }) }) : new BOHB({ seed });
          const iterations = kind === 'asha' ? undefined : size;
          const whole = await hyperopt({ space, iterations, concurrency, sampler: make(), ...quiet }, objective());
          const crashAt = 1 + Math.floor(cut * (whole.trials.length - 1));
          const journal = join(dir, `p-${files++}.jsonl`);
          const controller = new AbortController();
          let calls = 0;
          const first = objective();
          await hyperopt({ space, iterations, concurrency, sampler: make(), journal, signal: controller.signal, ...quiet }, (p, ctx) => {
            if (++calls === crashAt) controller.abort();
            return first(p, ctx);
          });
          const recorded = readFileSync(journal, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('{"i"')).length;
          let resumedCalls = 0;
          const second = objective();
          const resumed = await hyperopt({ space, iterations, concurrency, journal, ...quiet }, (p, ctx) => (resumedCalls++, second(p, ctx)));
          expect(byEvaluation(resumed.trials)).toEqual(byEvaluation(whole.trials));
          expect(resumedCalls).toBe(whole.trials.length - recorded);
        },
      ),
      { numRuns: 25 },
    );
  });
});
