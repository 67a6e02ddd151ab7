import { describe, expect } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, tap, toArray, type Observable } from 'rxjs';
import { hyperopt } from '../../src/run/hyperopt.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { queue, type QueueOptions } from '../../src/node/queue.js';
import { startWorker, type StartWorkerOptions } from '../../src/node/startWorker.js';
import type { Executor } from '../../src/node/Executor.js';
import { f, space } from '../fixtures/node/objective.mjs';
import { itWithRedisServer } from './withRedis.js';
import { startRestartableRedis, type RestartableRedis } from './restartableRedis.js';

type Params = Parameters<typeof f>[0];
const module = new URL('./fixtures/gated.mjs', import.meta.url);

async function until(probe: () => boolean, what: string): Promise<void> {
  for (const start = Date.now(); !probe(); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() - start > 60_000) throw new Error(`gave up waiting for ${what}`);
  }
}

/** A hang guard, not a timing assertion: before the fix, runs never settled after the restart. */
function settles<T>(promise: Promise<T>): Promise<T> {
  let guard: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('hung after the Redis restart')), 90_000)));
  return Promise.race([promise, hung]).finally(() => clearTimeout(guard));
}

/**
 * A redis-server of its own (REDIS_URL's server cannot be restarted from
 * here), a worker on this thread serving `exportName` of the gated fixture,
 * and a queue executor; `gate` holds the trials until `open()`.
 */
async function setUp(exportName: string, options: Partial<QueueOptions> = {}, workerOptions: Partial<StartWorkerOptions> = {}) {
  const redis: RestartableRedis = await startRestartableRedis();
  const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-restart-'));
  writeFileSync(join(dir, 'starts'), '');
  process.env.HYPEROPT_RX_GATE = dir;
  const queueName = `restart-${process.pid}`;
  const worker = await startWorker({ redis: redis.url, queueName, module, exportName, isolate: 'none', concurrency: 6, ...workerOptions });
  // lostTimeoutMs far above the restart: Redis is back long before, so only the check for vanished jobs can save the run.
  const objective: Executor = queue({ redis: redis.url, queueName, space, concurrency: 6, lostTimeoutMs: 600_000, ...options });
  return {
    redis,
    objective,
    starts: () => numbers(join(dir, 'starts')),
    aborted: () => numbers(join(dir, 'aborted')),
    open: () => writeFileSync(join(dir, 'open'), ''),
    tearDown: async () => {
      await objective.close();
      await worker.close(true);
      await redis.stop();
      delete process.env.HYPEROPT_RX_GATE;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const numbers = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);
const count = (list: number[], i: number) => list.filter((j) => j === i).length;

describe('queue: Redis restarts without persistence mid-run', () => {
  itWithRedisServer(
    'should resubmit the vanished jobs and record every trial exactly once',
    async () => {
      const { redis, objective, starts, open, tearDown } = await setUp('default');
      try {
        const run = hyperopt({ space, iterations: 12, concurrency: 6, sampler: new RandomSampler({ seed: 5 }), progress: false }, objective);
        // Trials 0-3 finish; 4-9 are then held at the gate in the worker.
        await until(() => starts().filter((i) => i >= 4).length >= 6, 'six held trials');
        await redis.restart(); // SIGKILL, and the same port again, empty: every job is gone
        open();
        const ho = await settles(run);

        expect(ho.trials.map((t) => t.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, k) => k));
        expect(ho.trials.map((t) => t.status)).toEqual(Array(12).fill('ok'));
        for (const t of ho.trials) expect(t.value).toBe(f(t.params));
        // The held trials really vanished with Redis: each started again.
        for (let i = 4; i < 10; i++) expect(count(starts(), i)).toBeGreaterThanOrEqual(2);
      } finally {
        await tearDown();
      }
    },
    150_000,
  );

  itWithRedisServer(
    'should not pass on again the steps a resubmitted job replays (stream: true)',
    async () => {
      const { redis, objective, starts, open, tearDown } = await setUp('gatedSteps', { stream: true });
      try {
        const params = (k: number): Params => ({ a: space.a[k], b: space.b[k % 2], c: space.c[k] });
        const steps: number[][] = Array.from({ length: 6 }, () => []);
        const trials = steps.map((seen, i) =>
          lastValueFrom(
            from(objective(params(i), { i, signal: new AbortController().signal }) as Observable<number>).pipe(
              tap((v) => seen.push(v)),
              toArray(),
            ),
          ),
        );
        // Trials 2-5 have sent their first step back, and wait at the gate for the others.
        await until(() => steps.slice(2).every((seen) => seen.length === 1), 'the first steps of trials 2-5');
        await redis.restart();
        open();
        await settles(Promise.all(trials));

        steps.forEach((seen, i) => expect(seen).toEqual([f(params(i)) + 1, f(params(i)) + 2, f(params(i))]));
        for (let i = 2; i < 6; i++) expect(count(starts(), i)).toBeGreaterThanOrEqual(2);
      } finally {
        await tearDown();
      }
    },
    150_000,
  );

  itWithRedisServer(
    "should stop a vanished job's objective in the worker, freeing its slot for the resubmitted jobs",
    async () => {
      // Every slot of the worker is held by a trial that ends only when its signal fires: without that, the resubmitted jobs never get a slot.
      const { redis, objective, starts, aborted, tearDown } = await setUp('heldUntilAborted', {}, { lockDuration: 2000 });
      try {
        const run = hyperopt({ space, iterations: 12, concurrency: 6, sampler: new RandomSampler({ seed: 5 }), progress: false }, objective);
        await until(() => starts().filter((i) => i >= 4).length >= 6, 'six held trials');
        await redis.restart();
        const ho = await settles(run);

        expect(ho.trials.map((t) => t.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, k) => k));
        expect(ho.trials.map((t) => t.status)).toEqual(Array(12).fill('ok'));
        expect(aborted().sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
      } finally {
        await tearDown();
      }
    },
    150_000,
  );
});
