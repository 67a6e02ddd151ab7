import { describe, it, expect, afterAll } from '@jest/globals';
import { Redis } from 'ioredis';
import { queue } from '../../src/node/queue.js';
import { startWorker, type QueueWorker } from '../../src/node/startWorker.js';
import type { Executor } from '../../src/node/Executor.js';
import { executorContract, fixture } from './executorContract.js';
import { startRedis, type TestRedis } from './redisServer.js';

// Top-level await: the contract builds its first executor while describing.
const redis: TestRedis = await startRedis();
afterAll(() => redis.stop());

let queues = 0;
const uniqueQueue = (name: string) => `${name}-${process.pid}-${queues++}`;

// Each executor gets its own queue and an in-process worker (on two threads) serving the export under test.
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
  return Object.assign((params: unknown, context: Parameters<Executor>[1]) => started().then(() => executor(params, context)), {
    concurrency: executor.concurrency,
    ready: () => started().then(() => executor.ready()),
    close,
    [Symbol.asyncDispose]: close,
  }) as Executor;
});
