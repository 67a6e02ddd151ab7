import { describe, it, expect } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperopt } from '../../src/hyperopt.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { queue } from '../../src/node/queue.js';
import { startWorker } from '../../src/node/startWorker.js';
import { f, space } from '../fixtures/node/objective.mjs';
import { itWithRedisServer } from './redisServer.js';
import { startRestartableRedis } from './restartableRedis.js';

const starts = (dir: string) => readFileSync(join(dir, 'starts'), 'utf8').trim().split('\n').filter(Boolean).map(Number);

async function until(probe: () => boolean, what: string): Promise<void> {
  for (const start = Date.now(); !probe(); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() - start > 60_000) throw new Error(`gave up waiting for ${what}`);
  }
}

describe('queue: Redis restarts without persistence mid-run', () => {
  // A redis-server of its own (REDIS_URL's server cannot be restarted from here).
  itWithRedisServer('should resubmit the vanished jobs and record every trial exactly once', async () => {
    const redis = await startRestartableRedis();
    const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-restart-'));
    writeFileSync(join(dir, 'starts'), '');
    process.env.HYPEROPT_RX_GATE = dir;
    const module = new URL('./fixtures/gated.mjs', import.meta.url);
    const queueName = `restart-${process.pid}`;
    // Short locks: the worker learns soon that its jobs are gone.
    const worker = await startWorker({ redis: redis.url, queueName, module, isolate: 'none', concurrency: 4, lockDuration: 1000, stalledInterval: 500 });
    // lostTimeoutMs well above the restart: Redis is back long before it, so only the vanished-job check can save the run.
    const objective = queue({ redis: redis.url, queueName, space, concurrency: 6, lostTimeoutMs: 600_000 });
    let guard: NodeJS.Timeout | undefined;
    try {
      const run = hyperopt({ space, iterations: 12, concurrency: 6, sampler: new RandomSampler({ seed: 5 }), progress: false }, objective);
      // Trials 0-3 finish; 4-7 then run (held at the gate) and 8-9 wait in Redis.
      await until(() => starts(dir).filter((i) => i >= 4).length >= 4, 'four held trials');
      await redis.restart(); // SIGKILL, and the same port again, empty: every job is gone
      writeFileSync(join(dir, 'open'), '');
      // A hang guard, not a timing assertion: before the fix, the run never settled.
      const hung = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('the run hung after the Redis restart')), 90_000)));
      const ho = await Promise.race([run, hung]);

      expect(ho.trials.map((t) => t.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, k) => k));
      expect(ho.trials.map((t) => t.status)).toEqual(Array(12).fill('ok'));
      for (const t of ho.trials) expect(t.value).toBe(f(t.params as Parameters<typeof f>[0]));
      // The held trials really vanished with Redis: each started again.
      const log = starts(dir);
      for (const i of log.filter((i) => i >= 4 && i < 8)) expect(log.filter((j) => j === i).length).toBeGreaterThanOrEqual(2);
      expect(existsSync(join(dir, 'open'))).toBe(true);
    } finally {
      clearTimeout(guard);
      await objective.close();
      await worker.close(true);
      await redis.stop();
      delete process.env.HYPEROPT_RX_GATE;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
