// The contract every executor meets, run by threads.test.ts, processes.test.ts
// and queue.test.ts: Hyperopt.jl's parallel tests plus what it could not do.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, of, toArray } from 'rxjs';
import { evaluate } from '../../src/operators/evaluate.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { hyperband } from '../../src/run/hyperband.js';
import { candidates } from '../../src/operators/candidates.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import type { Executor } from '../../src/node/Executor.js';
import type { ObjectiveModuleOptions } from '../../src/node/ObjectiveModuleOptions.js';
import { f, space, spaceWithFunctions } from '../fixtures/node/objective.mjs';

export const fixture = new URL('../fixtures/node/objective.mjs', import.meta.url);

type Params = { a: number; b: boolean; c: number };

async function until(done: () => boolean, limitMs = 20_000): Promise<void> {
  for (const start = Date.now(); !done(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() - start > limitMs) throw new Error('gave up waiting');
  }
}

/** `make` builds an executor for the fixture module with the given options. */
export function executorContract(name: string, make: (options: Omit<ObjectiveModuleOptions, 'module'>) => Executor, { concurrency = 4 } = {}) {
  describe(`${name}: Hyperopt.jl's parallel tests`, () => {
    let objective: Executor;
    beforeAll(() => {
      objective = make({ space });
    });
    afterAll(() => objective.close());

    it('should record 300 trials with history and results aligned, then continue to 400', async () => {
      const ho = await hyperopt<typeof space>({ space, iterations: 300, concurrency, sampler: new RandomSampler({ seed: 7 }), progress: false }, objective);
      expect(ho.history.length).toBe(300);
      expect(ho.results.length).toBe(300);
      expect(ho.minimum).toBeLessThan(300);
      ho.history.forEach((p, k) => expect(ho.results[k]).toBe(f(p)));
      // Sampling stayed in the coordinator: the same candidates, by i, as one serial draw with that seed.
      const serial = await lastValueFrom(candidates(new RandomSampler({ seed: 7 }), space, { iterations: 400 }).pipe(toArray()));
      const byI = (trials: readonly { i: number; params: unknown }[]) => [...trials].sort((x, y) => x.i - y.i);
      expect(byI(ho.trials).map((t) => t.params)).toEqual(serial.slice(0, 300).map((c) => c.params));
      expect(ho.history[0]).not.toEqual(ho.history[1]);

      await hyperopt({ space, iterations: 100, concurrency, ho, progress: false }, objective);
      expect(ho.history.length).toBe(400);
      expect(ho.results.length).toBe(400);
      ho.history.forEach((p, k) => expect(ho.results[k]).toBe(f(p)));
      expect(byI(ho.trials).map((t) => t.params)).toEqual(serial.map((c) => c.params));
    });

    it("should keep the 100 finished trials when the others throw (onError: 'skip')", async () => {
      const failing = make({ space, exportName: 'failsFrom100' });
      try {
        const ho = await hyperopt({ space, iterations: 300, concurrency, onError: 'skip', progress: false }, failing);
        expect(ho.history.length).toBe(100);
        expect(ho.results.length).toBe(100);
        expect(ho.trials.length).toBe(300);
        const failed = ho.trials.filter((t) => t.status === 'failed');
        expect(failed.map((t) => t.i).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, k) => k + 100));
        expect(String((failed[0].error as Error).message)).toMatch(/Too many iterations/);
      } finally {
        await failing.close();
      }
    });

    it("should reject with the worker's error and keep finished trials in error.ho (onError: 'fail')", async () => {
      const failing = make({ space, exportName: 'failsFrom100' });
      try {
        const error = (await hyperopt({ space, iterations: 300, concurrency: 1, progress: false }, failing).catch((e: unknown) => e)) as Error & {
          ho: { history: unknown[]; trials: { status: string }[] };
        };
        expect(error.message).toMatch(/Too many iterations \(100\)/);
        expect(error.ho.history.length).toBe(100);
        expect(error.ho.trials.filter((t) => t.status === 'failed').length).toBe(1);
      } finally {
        await failing.close();
      }
    });
  });

  describe(`${name}: parallelism`, () => {
    it('should run two trials at the same time in two workers', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-meet-'));
      const objective = make({ exportName: 'meetsPartner' });
      try {
        // Each trial waits until the other has started: run one after the other, they would fail.
        const ho = await hyperopt({ space: { path: [join(dir, 'meet')] }, iterations: 2, concurrency: 2, progress: false }, objective);
        expect(ho.trials.map((t) => t.status)).toEqual(['ok', 'ok']);
      } finally {
        await objective.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe(`${name}: values that cannot be copied`, () => {
    it('should rebuild functions and class instances in the worker from its own space (identity kept)', async () => {
      const objective = make({ space: spaceWithFunctions, exportName: 'withFunctions', spaceExport: 'spaceWithFunctions' });
      try {
        const ho = await hyperopt({ space: spaceWithFunctions, iterations: 40, concurrency, progress: false }, objective);
        expect(ho.trials.every((t) => t.status === 'ok')).toBe(true);
        for (const t of ho.trials) {
          const { x, g, s } = t.params as { x: number; g: (x: number) => number; s: { k: number; apply(x: number): number } };
          expect(spaceWithFunctions.g).toContain(g); // the coordinator's own element, not a copy
          expect(t.value).toBe(s.apply(g(x)));
          expect(t.state).toEqual({ g: g.name, k: s.k });
        }
      } finally {
        await objective.close();
      }
    });

    it('should say so when the module does not export the space to rebuild them from', async () => {
      const objective = make({ space: spaceWithFunctions, exportName: 'withFunctions', spaceExport: 'noSuchExport' });
      try {
        const error = (await hyperopt({ space: spaceWithFunctions, iterations: 3, progress: false }, objective).catch((e: unknown) => e)) as Error;
        expect(error.message).toMatch(/spaceExport.*noSuchExport/s);
      } finally {
        await objective.close();
      }
    });
  });

  describe(`${name}: results`, () => {
    it('should take the last value of an async iterable and pass resources and state through', async () => {
      const objective = make({ space, exportName: 'streaming' });
      try {
        const trial = await (objective as Executor<Params, { total: number }>)(
          { a: 2, b: true, c: 1 },
          { i: 0, resources: 3, state: { total: 10 }, signal: new AbortController().signal },
        );
        expect(trial).toEqual({ value: 6, state: { total: 13 } });
      } finally {
        await objective.close();
      }
    });

    it('should fail a trial whose objective returns a non-number, or throws a non-Error, saying what came back', async () => {
      const strings = make({ space, exportName: 'returnsString' });
      const throws = make({ space, exportName: 'throwsString' });
      try {
        const a = await hyperopt({ space, iterations: 2, onError: 'skip', progress: false }, strings);
        expect(a.trials.map((t) => t.status)).toEqual(['failed', 'failed']);
        expect(String(a.trials[0].error)).toMatch(/returned "seven"; expected a number/);
        const b = await hyperopt({ space, iterations: 1, onError: 'skip', progress: false }, throws);
        expect(String(b.trials[0].error)).toMatch(/plain string/);
      } finally {
        await Promise.all([strings.close(), throws.close()]);
      }
    });
  });

  describe(`${name}: Hyperband`, () => {
    it('should run the same rungs as in process, resources and state crossing both ways', async () => {
      const objective = make({ space, exportName: 'streaming' });
      try {
        type St = { total: number };
        const local = (p: Params, t: { resources?: number; state?: St }) => ({ value: p.a * t.resources!, state: { total: (t.state?.total ?? 0) + t.resources! } });
        const options = { maxResource: 9, eta: 3, concurrency, inner: new RandomSampler({ seed: 5 }), progress: false as const };
        const there = await hyperband<typeof space, St>(objective as Executor<Params, St>, space, options);
        const here = await hyperband<typeof space, St>(local, space, { ...options, inner: new RandomSampler({ seed: 5 }) });
        const key = (t: { i: number; resources?: number }) => t.i * 1000 + t.resources!;
        const view = (trials: readonly { i: number; resources?: number; value: number; state?: unknown; params: unknown }[]) =>
          [...trials].sort((x, y) => key(x) - key(y)).map((t) => [t.i, t.resources, t.value, t.state, t.params]);
        expect(there.trials.length).toBe(here.trials.length);
        expect(view(there.trials)).toEqual(view(here.trials));
        expect(there.trials.some((t) => (t.state as St).total > t.resources!)).toBe(true); // some were promoted with their state
      } finally {
        await objective.close();
      }
    });
  });

  describe(`${name}: streaming intermediate values (stream: true)`, () => {
    const params = { a: 2, b: true, c: 1 };

    it('should record each value the worker emits as a step, the last one as the value', async () => {
      const objective = make({ space, exportName: 'streaming', stream: true });
      try {
        const trials = await lastValueFrom(of({ i: 0, params, resources: 3, state: { total: 10 } }).pipe(evaluate(objective), toArray()));
        expect(trials).toMatchObject([{ status: 'ok', steps: 3, value: 6, state: { total: 13 } }]);
      } finally {
        await objective.close();
      }
    });

    it('should stop a trial its prune rule rejects, and free its worker', async () => {
      const objective = make({ space, exportName: 'yieldsThenHangs', stream: true });
      try {
        // Each trial would hang after its second value: with two workers, the last two run only if the first two were stopped.
        const candidates = [0, 1, 2, 3].map((i) => ({ i, params, prune: (_value: number, step: number) => step >= 2 }));
        const trials = await lastValueFrom(from(candidates).pipe(evaluate(objective, { concurrency: 2 }), toArray()));
        expect(trials.map((t) => [t.status, t.steps, t.value])).toEqual(Array(4).fill(['pruned', 2, 3]));
      } finally {
        await objective.close();
      }
    });
  });

  describe(`${name}: bad options and setup`, () => {
    it('should throw an ArgumentError naming the option, before any worker starts', () => {
      expect(() => make({ space: { a: [] } })).toThrow(ArgumentError);
      expect(() => make({ space: { a: [] } })).toThrow(/space\.a/);
      expect(() => make({ exportName: '' })).toThrow(/`exportName`/);
      expect(() => make({ bogus: 1 } as never)).toThrow(/bogus/);
      expect(() => make({ stream: 'yes' as never })).toThrow(/`stream` must be a boolean/);
    });

    it('should reject ready() with an ArgumentError naming exportName when the module lacks it', async () => {
      const objective = make({ exportName: 'nope' });
      try {
        const error = await objective.ready().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as ArgumentError).option).toBe('exportName');
        expect((error as Error).message).toMatch(/"nope".*failsFrom100/s);
      } finally {
        await objective.close();
      }
    });
  });

  describe(`${name}: abort`, () => {
    it("should fire the objective's own signal in the worker, so that it can clean up", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-abort-'));
      const path = join(dir, 'trial');
      const objective = make({ exportName: 'cleansUpOnAbort' });
      try {
        const controller = new AbortController();
        const run = hyperopt({ space: { path: [path] }, iterations: 1, signal: controller.signal, progress: false }, objective);
        await until(() => existsSync(`${path}.started`));
        controller.abort();
        expect((await run).trials.length).toBe(0);
        await until(() => existsSync(`${path}.aborted`));
        expect(readFileSync(`${path}.aborted`, 'utf8')).toBe('trial cancelled');
      } finally {
        await objective.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('should resolve with the finished trials on abort and free the workers stuck in trials', async () => {
      const objective = make({ space, exportName: 'hangsFrom4' });
      try {
        const controller = new AbortController();
        let finished = 0;
        // Trials 0-3 return at once, every later one hangs for ten minutes: abort once 4 are in.
        const progress = () => ({ next: () => void (++finished === 4 && setTimeout(() => controller.abort(), 20)) });
        const ho = await hyperopt({ space, iterations: 10, concurrency: 2, signal: controller.signal, progress }, objective);
        expect(ho.trials.map((t) => t.i).sort()).toEqual([0, 1, 2, 3]);
        // Only if the hanging trials were stopped can a pool of two run two more (i 0 and 1 return at once).
        const again = await hyperopt({ space, iterations: 2, concurrency: 2, progress: false }, objective);
        expect(again.trials.map((t) => t.status)).toEqual(['ok', 'ok']);
      } finally {
        await objective.close();
      }
    });
  });
}
