import { randomUUID } from 'node:crypto';
import type { Queue, QueueEvents, ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { ArgumentError } from '../ArgumentError.js';
import type { Objective, ObjectiveResult, TrialContext } from '../Objective.js';
import { checkOptions, checkPositiveInteger, show } from '../internal/check.js';
import type { Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import type { Executor } from './Executor.js';
import type { RedisConnection } from './RedisConnection.js';
import { connectRedis, describeRedis, reachable, toRedisOptions } from './internal/connectRedis.js';
import { queuePackages } from './internal/queuePackages.js';
import { encodeTask } from './internal/encodeTask.js';
import { fromJsonResult, type JsonResult } from './internal/jsonResult.js';
import type { PlainResult } from './internal/objectiveRuntime.mjs';
import { cancelChannel } from './internal/queueKeys.js';

export interface QueueOptions {
  /** Redis: a URL (`redis://:password@host:6379/0`, `rediss://` for TLS) or ioredis options. */
  readonly redis: RedisConnection;
  /** The BullMQ queue the workers serve (`hyperopt-rx worker --queue NAME`); one per run: it is emptied on close. */
  readonly queueName: string;
  /**
   * The run's space: values that JSON cannot carry (functions, objects,
   * non-finite numbers) cross as their index in its candidate vectors and
   * the worker takes the element of its module's copy (`spaceExport`).
   */
  readonly space?: Space;
  /** Jobs kept in flight: pass it on as `hyperopt`'s `concurrency` (the executor's `concurrency`). @default 8 */
  readonly concurrency?: number;
  /** BullMQ key prefix; workers must use the same. @default 'bull' */
  readonly prefix?: string;
  /** How long to wait for Redis before failing with a clear error. @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * Stream the objective's intermediate values back (as job progress), so
   * trials record `steps` and a `prune` rule can stop a trial early (its job
   * is cancelled in the worker). @default false
   */
  readonly stream?: boolean;
  /**
   * How long Redis may stay unreachable while trials are in flight before
   * they fail with a clear error (per `onError`) instead of waiting for it to
   * come back. @default 30000
   */
  readonly lostTimeoutMs?: number;
}

interface Pending {
  readonly resolve: (value: PlainResult) => void;
  readonly reject: (error: unknown) => void;
  readonly onStep?: (value: PlainResult) => void;
}

/**
 * Sends each trial to a BullMQ queue on Redis, where any number of worker
 * processes on any machines (`npx hyperopt-rx worker --redis URL --queue NAME
 * --module ./objective.js`, or `startWorker`) run the objective and send the
 * result back. Sampling stays here; a trial is one job, so jobs in flight =
 * `hyperopt`'s `concurrency`. A worker killed mid-trial loses its lock and
 * the job goes to another worker (see `startWorker`'s `lockDuration`), and
 * the trial is recorded once. An objective that throws in a worker fails its
 * trial (per `onError`). Aborting a trial removes its job if waiting and
 * cancels it if running. `close()` removes the queue from Redis.
 *
 * ## Example
 * ```ts
 * import { hyperopt } from 'hyperopt-rx';
 * import { queue } from 'hyperopt-rx/node';
 * import { space } from './objective.js';
 * // elsewhere: npx hyperopt-rx worker --redis redis://10.0.0.5:6379 --queue tune-1 --module ./objective.js
 * await using objective = queue({ redis: 'redis://10.0.0.5:6379', queueName: 'tune-1', space, concurrency: 32 });
 * const ho = await hyperopt({ space, iterations: 1000, concurrency: objective.concurrency }, objective);
 * ```
 * @see startWorker
 */
export function queue<P = any, S = unknown>(options: QueueOptions): Executor<P, S> {
  checkOptions('options', options, ['redis', 'queueName', 'space', 'concurrency', 'prefix', 'connectTimeoutMs', 'stream', 'lostTimeoutMs']);
  const redis = toRedisOptions('redis', options.redis);
  const queueName = checkQueueName('queueName', options.queueName);
  const space = options.space === undefined ? undefined : checkSpace(options.space);
  const concurrency = checkPositiveInteger('concurrency', options.concurrency ?? 8);
  const prefix = checkQueueName('prefix', options.prefix ?? 'bull');
  const connectTimeoutMs = checkPositiveInteger('connectTimeoutMs', options.connectTimeoutMs ?? 5000);
  const lostTimeoutMs = checkPositiveInteger('lostTimeoutMs', options.lostTimeoutMs ?? 30_000);
  const stream = options.stream ?? false;
  if (typeof stream !== 'boolean') throw new ArgumentError('stream', `must be a boolean, got ${show(stream)}`);

  const pending = new Map<string, Pending>();
  // Our own job ids, registered before the job exists, so no result can arrive unclaimed.
  const runId = randomUUID().slice(0, 8);
  let count = 0;
  let opened: Promise<{ queue: Queue; events: QueueEvents; client: Redis }> | undefined;
  let closing: Promise<void> | undefined;

  const settle = (jobId: string, outcome: { result: JsonResult } | { error: Error }): void => {
    const p = pending.get(jobId);
    if (!p) return; // not ours, already settled, or aborted: a re-delivered job is recorded once
    pending.delete(jobId);
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(fromJsonResult(outcome.result));
  };

  // While trials are in flight, a cheap TCP check notices a Redis that is gone (BullMQ would wait for it forever).
  let watching: NodeJS.Timeout | undefined;
  let lostSince: number | undefined;
  const checkEvery = Math.max(50, Math.min(1000, Math.floor(lostTimeoutMs / 4)));
  const watch = (): void => {
    if (watching || pending.size === 0 || closing || redis.path !== undefined || redis.sentinels) return;
    watching = setTimeout(async () => {
      try {
        await reachable(redis, checkEvery);
        lostSince = undefined;
      } catch (error) {
        lostSince ??= Date.now();
        if (Date.now() - lostSince >= lostTimeoutMs) {
          const lost = new Error(`lost Redis at ${describeRedis(redis)} for ${Date.now() - lostSince} ms (option \`lostTimeoutMs\`): ${(error as Error).message}`);
          lostSince = undefined;
          for (const p of pending.values()) p.reject(lost);
          pending.clear();
        }
      }
      watching = undefined;
      watch();
    }, checkEvery);
    watching.unref();
  };

  const open = () =>
    (opened ??= (async () => {
      if (closing) throw new Error('this queue executor is closed');
      const probe = await connectRedis(redis, connectTimeoutMs, 'queue');
      const { Queue, QueueEvents } = (await queuePackages('queue')).bullmq;
      // Listen from the newest event on: earlier runs' events are not ours, and none of ours can be missed.
      const newest = await probe.xrevrange(`${prefix}:${queueName}:events`, '+', '-', 'COUNT', 1);
      // The probe's connection stays for the rare cancel message; BullMQ opens its own, retrying ones.
      const connection = { ...redis, maxRetriesPerRequest: null } as ConnectionOptions;
      const q = new Queue(queueName, { connection, prefix });
      const events = new QueueEvents(queueName, { connection, prefix, lastEventId: newest[0]?.[0] ?? '0-0' });
      q.on('error', () => {}); // ioredis reconnects; trials wait meanwhile
      events.on('error', () => {});
      events.on('completed', ({ jobId, returnvalue }) => settle(jobId, { result: returnvalue as unknown as JsonResult }));
      events.on('failed', ({ jobId, failedReason }) => settle(jobId, { error: new Error(failedReason) }));
      events.on('progress', ({ jobId, data }) => pending.get(jobId)?.onStep?.(fromJsonResult(data as unknown as JsonResult)));
      await Promise.all([q.waitUntilReady(), events.waitUntilReady()]);
      return { queue: q, events, client: probe };
    })());

  /** One job: resolves with its result; `onStep` gets each streamed value first. */
  const submit = (params: P, context: TrialContext<S>, signal: AbortSignal, onStep?: (value: PlainResult) => void): Promise<PlainResult> => {
    const task = encodeTask(space, true, params, context);
    const data = onStep ? { ...task, stream: true } : task;
    const jobId = `${runId}-${count++}`;
    return new Promise<PlainResult>((resolve, reject) => {
      pending.set(jobId, { resolve, reject, onStep });
      watch();
      const added = open().then(async (o) => {
        await o.queue.add('trial', data, { jobId, removeOnComplete: true, removeOnFail: true });
        return o;
      });
      added.catch((error) => {
        if (pending.delete(jobId)) reject(error);
      });
      signal.addEventListener(
        'abort',
        () => {
          if (!pending.delete(jobId)) return;
          reject(signal.reason);
          // Waiting: removed; running: the worker is asked to stop it.
          void added
            .then(async ({ queue: q, client }) => {
              if ((await q.remove(jobId)) === 0) await client.publish(cancelChannel(prefix, queueName), jobId);
            })
            .catch(() => {});
        },
        { once: true },
      );
    });
  };

  const objective: Objective<P, S> = stream
    ? (params: P, context: TrialContext<S>) =>
        new Observable<ObjectiveResult<S>>((subscriber) => {
          const controller = new AbortController();
          submit(params, context, controller.signal, (step) => subscriber.next(step as ObjectiveResult<S>)).then(
            () => subscriber.complete(),
            (error) => subscriber.error(error),
          );
          return () => controller.abort(new Error('trial stopped'));
        })
    : (params: P, context: TrialContext<S>) => submit(params, context, context.signal) as Promise<ObjectiveResult<S>>;

  const close = () =>
    (closing ??= (async () => {
      clearTimeout(watching);
      for (const p of pending.values()) p.reject(new Error('this queue executor was closed'));
      pending.clear();
      const o = await opened?.catch(() => undefined);
      if (!o) return;
      const tidy = (async () => {
        await o.queue.obliterate({ force: true }).catch(() => {});
        await Promise.all([o.events.close(), o.queue.close(), o.client.quit().catch(() => {})]);
      })();
      // With Redis gone, tidying up would wait for it forever: give up after connectTimeoutMs.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([tidy.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), connectTimeoutMs)))]);
      clearTimeout(timer);
      if (gaveUp) {
        // Not awaited: BullMQ's disconnect also waits for a Redis that is gone.
        o.client.disconnect();
        void o.queue.disconnect().catch(() => {});
        void o.events.disconnect().catch(() => {});
      }
    })());

  return Object.assign(objective, {
    concurrency,
    ready: async () => {
      await open();
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}

function checkQueueName(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes(':')) {
    throw new ArgumentError(option, `must be a non-empty string without ':', got ${show(value)}`);
  }
  return value;
}
