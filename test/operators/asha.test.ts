import { describe, it, expect, beforeEach } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { Hyperband } from '../../src/samplers/Hyperband.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { hyperopt$ } from '../../src/hyperopt$.js';
import type { TrialContext } from '../../src/Objective.js';
import type { Trial } from '../../src/Trial.js';

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
    const asha = runInVirtualTime(scheduler, new Hyperband({ R: 3, eta: 3, inner: new RandomSampler({ seed: 1 }), asynchronous: true }), 2, (i) => values[i]);
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
    const sync = runInVirtualTime(scheduler, new Hyperband({ R: 3, eta: 3, inner: new RandomSampler({ seed: 1 }) }), 2, (i) => values[i]);
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
    const asha = runInVirtualTime(scheduler, new Hyperband({ R: 27, eta: 3, inner: new RandomSampler({ seed: 2 }), asynchronous: true }), 4, value);
    expect(busyUntilLastStart(asha).every((n) => n === 4)).toBe(true);
    const sync = runInVirtualTime(scheduler, new Hyperband({ R: 27, eta: 3, inner: new RandomSampler({ seed: 2 }) }), 4, value);
    expect(busyUntilLastStart(sync).some((n) => n < 4)).toBe(true);
    expect(sync.trials).toHaveLength(69); // 27/9/3/1 + 12/4/1 + 6/2 + 4
    const work = (r: Run) => r.spans.reduce((s, [a, b]) => s + b - a, 0);
    const makespan = (r: Run) => Math.max(...r.spans.map(([, e]) => e));
    // Utilisation: busy slot-frames over concurrency x makespan.
    expect(work(asha) / (4 * makespan(asha))).toBeGreaterThan(work(sync) / (4 * makespan(sync)));
  });
});
