import { it, expect, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { hyperopt } from '../../src/run/hyperopt.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { workerCommand } from '../../src/node/workerCommand.js';
import { f, space } from '../fixtures/node/objective.mjs';
import { queue } from '../../src/node/queue.js';
import { startWorker, type QueueWorker } from '../../src/node/startWorker.js';
import type { Executor } from '../../src/node/Executor.js';
import { executorContract, fixture } from './executorContract.js';
import { redisAvailable, startRedis, type TestRedis } from './redisServer.js';
import { describeWithRedis as describe, itWithRedisServer } from './withRedis.js';
import { queuePackages } from '../../src/node/internal/queuePackages.js';

// Top-level await: the contract builds its first executor while describing.
// Load bullmq and ioredis while the file is being set up: a first dynamic import from inside a hook is refused by Jest's ESM loader.
if (redisAvailable) await queuePackages('queue');
const redis: TestRedis = redisAvailable ? await startRedis() : { url: 'redis://127.0.0.1:0', stop: async () => {} };
afterAll(() => redis.stop());

let queues = 0;
const uniqueQueue = (name: string) => `${name}-${process.pid}-${queues++}`;

// Each executor gets its own queue and an in-process worker (on two threads) serving the export under test.
describe('queue', () =>
  executorContract('queue', ({ exportName, spaceExport, ...rest }) => {
    const queueName = uniqueQueue('contract');
    const executor = queue({ redis: redis.url, queueName, concurrency: 4, ...rest });
    const worker: Promise<QueueWorker> = startWorker({ redis: redis.url, queueName, module: fixture, exportName, spaceExport, concurrency: 2 });
    worker.catch(() => {}); // reported by ready() and by each trial
    const started = () => worker;
    const close = async () => {
      await executor.close();
      await (await worker.catch(() => undefined))?.close(true);
    };
    // Jobs wait in Redis until the worker serves them: the executor is used as it is.
    return Object.assign((params: unknown, context: Parameters<Executor>[1]) => executor(params, context), {
      concurrency: executor.concurrency,
      ready: () => started().then(() => executor.ready()),
      close,
      [Symbol.asyncDispose]: close,
    }) as Executor;
  }));

const fixturePath = fileURLToPath(fixture);
const workerScript = fileURLToPath(new URL('../fixtures/node/worker.ts', import.meta.url));

/** A real `hyperopt-rx worker` process (from source, through tsx). */
function spawnWorker(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', workerScript, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, limitMs = 30_000): Promise<T> {
  for (const start = Date.now(); Date.now() - start < limitMs; await new Promise((r) => setTimeout(r, 25))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`gave up waiting for ${what}`);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('queue: a worker killed mid-trial', () => {
  it('should re-deliver its trial to another worker and record it exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-crash-'));
    const markFile = join(dir, 'starts');
    writeFileSync(markFile, '');
    const queueName = uniqueQueue('crash');
    const flags = [
      '--redis',
      redis.url,
      '--queue',
      queueName,
      '--module',
      fixturePath,
      '--export',
      'hangsOnceAt3',
      '--concurrency',
      '2',
      '--lock-duration',
      '2000',
      '--stalled-interval',
      '1000',
    ];
    const workers = [spawnWorker(flags, { MARK_FILE: markFile }), spawnWorker(flags, { MARK_FILE: markFile })];
    const objective = queue({ redis: redis.url, queueName, space, concurrency: 4 });
    try {
      const run = hyperopt({ space, iterations: 20, concurrency: 4, sampler: new RandomSampler({ seed: 3 }), progress: false }, objective);
      // Trial 3 hangs in whichever worker took it first: kill that process outright.
      const victim = await until(() => (existsSync(`${markFile}.3`) ? Number(readFileSync(`${markFile}.3`, 'utf8')) || undefined : undefined), 'trial 3 to start');
      expect(workers.map((w) => w.pid)).toContain(victim);
      process.kill(victim, 'SIGKILL');
      const ho = await run;

      expect(ho.trials.length).toBe(20);
      expect(ho.trials.map((t) => t.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => k));
      const third = ho.trials.filter((t) => t.i === 3);
      expect(third.length).toBe(1);
      expect(third[0].status).toBe('ok');
      expect(third[0].value).toBe(f(third[0].params));
      // It started twice: in the killed worker, then in the other one.
      const starts = readFileSync(markFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number));
      const startsOf3 = starts.filter(([i]) => i === 3);
      expect(startsOf3.length).toBe(2);
      expect(startsOf3[0][1]).toBe(victim);
      expect(startsOf3[1][1]).not.toBe(victim);
    } finally {
      await objective.close();
      const survivors = workers.filter((w) => w.exitCode === null && w.signalCode === null);
      for (const w of survivors) w.kill('SIGTERM');
      // A worker stops cleanly (exit code 0) on SIGTERM.
      expect(await Promise.all(survivors.map(exited))).toEqual(survivors.map(() => 0));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('queue: cancellation and cleanup', () => {
  it('should remove waiting jobs on abort and leave no keys in Redis after close', async () => {
    const queueName = uniqueQueue('cancel');
    const client = new Redis(redis.url);
    const objective = queue({ redis: redis.url, queueName, space, concurrency: 4 });
    try {
      // No worker serves this queue: the jobs wait until the abort removes them.
      const controller = new AbortController();
      const run = hyperopt({ space, iterations: 10, concurrency: 4, signal: controller.signal, progress: false }, objective);
      await until(async () => ((await client.llen(`bull:${queueName}:wait`)) === 4 ? true : undefined), '4 waiting jobs');
      controller.abort();
      const ho = await run;
      expect(ho.trials.length).toBe(0);
      await until(async () => ((await client.llen(`bull:${queueName}:wait`)) === 0 ? true : undefined), 'the waiting jobs to be removed');
      expect(await client.keys(`bull:${queueName}:*`)).not.toEqual([]);
      await objective.close();
      expect(await client.keys(`bull:${queueName}:*`)).toEqual([]);
    } finally {
      await objective.close();
      client.disconnect();
    }
  });
});

describe('queue: Redis unreachable', () => {
  const nowhere = async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return `redis://127.0.0.1:${port}`; // nothing listens there now
  };

  it('should fail the run with a clear error instead of hanging', async () => {
    const objective = queue({ redis: await nowhere(), queueName: 'nowhere', connectTimeoutMs: 2000 });
    try {
      await expect(objective.ready()).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
      await expect(hyperopt({ space, iterations: 3, progress: false }, objective)).rejects.toThrow(/unreachable/);
    } finally {
      await objective.close();
    }
  });

  it('should make startWorker reject and the worker command exit with 1', async () => {
    const url = await nowhere();
    await expect(startWorker({ redis: url, queueName: 'nowhere', module: fixture, connectTimeoutMs: 2000 })).rejects.toThrow(/unreachable/);
    let err = '';
    expect(await workerCommand(['--redis', url, '--queue', 'nowhere', '--module', fixturePath], { stderr: (t) => void (err += t) })).toBe(1);
    expect(err).toMatch(/unreachable/);
  });
});

describe('hyperopt-rx worker (workerCommand)', () => {
  const run = async (argv: string[], signal?: AbortSignal) => {
    let err = '';
    let out = '';
    const code = await workerCommand(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), signal });
    return out ? { code, err, out } : { code, err };
  };

  it('should exit with 2 and name the flag when a flag is missing or bad', async () => {
    expect(await run(['--redis', redis.url, '--module', fixturePath])).toEqual({ code: 2, err: expect.stringMatching(/`--queue` is required/) });
    expect(await run(['--redis', redis.url, '--queue', 'q', '--module', fixturePath, '--concurrency', 'many'])).toEqual({
      code: 2,
      err: expect.stringMatching(/`--concurrency` must be a positive integer/),
    });
    expect(await run(['--redis', redis.url, '--queue', 'q', '--module', fixturePath, '--isolate', 'vm'])).toEqual({
      code: 2,
      err: expect.stringMatching(/`--isolate` must be one of/),
    });
    expect(await run(['--redis', redis.url, '--queue', 'q', '--module', fixturePath, '--export', 'nope'])).toEqual({
      code: 2,
      err: expect.stringMatching(/`--export` "nope" is not a function/),
    });
    expect(await run(['--redis', redis.url, '--queue', 'q', '--module', fixturePath, '--lock-duration', String(2 ** 31)])).toEqual({
      code: 2,
      err: expect.stringMatching(/`--lock-duration` must be at most 2147483647 ms/),
    });
    expect(await run(['--bogus'])).toMatchObject({ code: 2 });
    expect(await run(['--help'])).toEqual({ code: 0, err: '', out: expect.stringMatching(/^Usage: hyperopt-rx worker/) });
  });

  it('should serve trials until stopped, then exit with 0', async () => {
    const queueName = uniqueQueue('command');
    const controller = new AbortController();
    const serving = run(['--redis', redis.url, '--queue', queueName, '--module', fixturePath, '--isolate', 'none', '--concurrency', '3'], controller.signal);
    const objective = queue({ redis: redis.url, queueName, concurrency: 3 });
    try {
      const ho = await hyperopt({ space, iterations: 30, concurrency: 3, progress: false }, objective);
      ho.history.forEach((p, k) => expect(ho.results[k]).toBe(f(p)));
    } finally {
      await objective.close();
      controller.abort();
    }
    expect(await serving).toEqual({ code: 0, err: expect.stringMatching(/serving queue command-/) });
  });
});

describe('queue: lostTimeoutMs', () => {
  // Redis dying mid-run is tested in a fresh process (exit.test.ts): BullMQ then sleeps 5 s before it notices the close.
  it('should name lostTimeoutMs in its ArgumentError', () => {
    expect(() => queue({ redis: redis.url, queueName: 'q', lostTimeoutMs: 0 })).toThrow(/`lostTimeoutMs`/);
  });
});

describe('startWorker isolation', () => {
  it.each(['processes', 'none'] as const)('should serve trials with isolate: %s', async (isolate) => {
    const queueName = uniqueQueue(`isolate-${isolate}`);
    const worker = await startWorker({ redis: redis.url, queueName, module: fixture, isolate, concurrency: 2 });
    const objective = queue({ redis: redis.url, queueName, space, concurrency: 2 });
    try {
      const ho = await hyperopt({ space, iterations: 12, concurrency: 2, progress: false }, objective);
      expect(ho.history.length).toBe(12);
      ho.history.forEach((p, k) => expect(ho.results[k]).toBe(f(p)));
    } finally {
      await objective.close();
      await worker.close();
    }
  });
});

describe('queue and startWorker options', () => {
  it('should name the option in ArgumentErrors, before connecting', () => {
    expect(() => queue({ redis: redis.url, queueName: '' })).toThrow(/`queueName`/);
    expect(() => queue({ redis: redis.url, queueName: 'a:b' })).toThrow(/`queueName`/);
    expect(() => queue({ redis: 'http://x', queueName: 'q' })).toThrow(/`redis` must be a redis:\/\//);
    expect(() => queue({ redis: 42 as never, queueName: 'q' })).toThrow(/`redis`/);
    expect(() => queue({ redis: redis.url, queueName: 'q', concurrency: 0 })).toThrow(/`concurrency`/);
    expect(() => startWorker({ redis: redis.url, queueName: 'q', module: fixture, lockDuration: -1 })).toThrow(/`lockDuration`/);
    expect(() => startWorker({ redis: redis.url, queueName: 'q', module: fixture, isolate: 'vm' as never })).toThrow(/`isolate`/);
    expect(() => startWorker({ redis: redis.url, queueName: 'q', module: fixture, space } as never)).toThrow(/options\.space/);
    expect(() => startWorker({ redis: redis.url, queueName: 'a:b', module: fixture })).toThrow(/`queueName` must be a non-empty string without ':'/);
    expect(() => startWorker({ redis: redis.url, queueName: 'q', prefix: '', module: fixture })).toThrow(/`prefix` must be a non-empty string without ':'/);
  });

  it('should check the options the coordinator and its workers share with the same words', () => {
    const message = (make: () => unknown): string => {
      try {
        make();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    const shared = [{ queueName: '' }, { queueName: 'a:b' }, { prefix: 'x:y' }, { redis: 'http://x' }, { redis: 'redis://h/db' }, { connectTimeoutMs: 0 }];
    for (const bad of shared) {
      const options = { redis: redis.url, queueName: 'q', ...bad };
      const fromQueue = message(() => queue(options));
      expect(fromQueue).toMatch(/^`(queueName|prefix|redis|connectTimeoutMs)`/);
      expect(message(() => startWorker({ ...options, module: fixture }))).toBe(fromQueue);
    }
  });

  it('should refuse timeouts of 2^31 ms or more, which Node fires after 1 ms', () => {
    for (const option of ['connectTimeoutMs', 'lostTimeoutMs']) {
      expect(() => queue({ redis: redis.url, queueName: 'q', [option]: 2 ** 31 })).toThrow(new RegExp(`\`${option}\` must be at most 2147483647 ms`));
      expect(queue({ redis: redis.url, queueName: 'q', [option]: 2 ** 31 - 1 }).concurrency).toBe(8);
    }
    for (const option of ['lockDuration', 'stalledInterval', 'connectTimeoutMs']) {
      expect(() => startWorker({ redis: redis.url, queueName: 'q', module: fixture, [option]: 2 ** 31 })).toThrow(new RegExp(`\`${option}\` must be at most 2147483647 ms`));
    }
  });

  it('should default to 8 jobs in flight', () => {
    expect(queue({ redis: redis.url, queueName: 'q' }).concurrency).toBe(8);
  });
});

describe('queue: Redis options pass through', () => {
  itWithRedisServer('should connect with a password (in the URL or as ioredis options) and fail clearly with a wrong one', async () => {
    const secured = await startRedis({ password: 's3cret/:@' });
    const { hostname, port } = new URL(secured.url);
    const queueName = uniqueQueue('auth');
    const worker = await startWorker({ redis: { host: hostname, port: Number(port), password: 's3cret/:@' }, queueName, module: fixture, isolate: 'none', concurrency: 2 });
    const objective = queue({ redis: secured.url, queueName, concurrency: 2 });
    const wrong = queue({ redis: `redis://:nope@${hostname}:${port}`, queueName, connectTimeoutMs: 2000 });
    try {
      const ho = await hyperopt({ space, iterations: 10, concurrency: 2, progress: false }, objective);
      expect(ho.trials.map((t) => t.status)).toEqual(Array(10).fill('ok'));
      await expect(wrong.ready()).rejects.toThrow(/did not accept the connection.*(WRONGPASS|NOAUTH|invalid)/s);
    } finally {
      await Promise.all([objective.close(), wrong.close()]);
      await worker.close();
      await secured.stop();
    }
  });
});
