import { randomUUID } from 'node:crypto';
import type { Queue, QueueEvents, ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { ArgumentError } from '../base/ArgumentError.js';
import type { Objective, ObjectiveResult, TrialContext } from '../trial/Objective.js';
import { checkOptions, checkPositiveInteger, checkTimeoutMs, show } from '../base/check.js';
import type { Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import type { Executor } from './Executor.js';
import type { RedisConnection } from './RedisConnection.js';
import { connectRedis, describeRedis, reachable, toRedisOptions } from './internal/connectRedis.js';
import { queuePackages } from './internal/queuePackages.js';
import { encodeTask } from './internal/encodeTask.js';
import { fromJsonResult, type JsonResult } from './internal/jsonResult.js';
import type { PlainResult } from './internal/objectiveRuntime.mjs';
import type { WireTask } from './internal/WireTask.js';
import { cancelChannel, checkQueueName } from './internal/queueKeys.js';

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
  /** How long to wait for Redis before failing with a clear error (at most 2^31 - 1). @default 5000 */
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
   * come back (at most 2^31 - 1). @default 30000
   */
  readonly lostTimeoutMs?: number;
}

/** A trial in flight: one job at a time, a new one if its job vanishes from Redis. */
interface Pending {
  jobId: string;
  readonly data: WireTask & { stream?: true };
  /** The current job's `queue.add` (set by `enqueue`); `added` once it has run: only then can the job be missed. */
  adding?: Promise<Opened>;
  added: boolean;
  /** Jobs of this trial that vanished so far. */
  vanished: number;
  /** Steps seen from the current job, and passed on in all: a resubmitted job's replayed steps are not passed on again. */
  seen: number;
  sent: number;
  readonly resolve: (value: PlainResult) => void;
  readonly reject: (error: unknown) => void;
  readonly onStep?: (value: PlainResult) => void;
}

interface Opened {
  readonly queue: Queue;
  readonly events: QueueEvents;
  /** Our own connection (reconnecting, failing fast while Redis is away): cancel messages and the vanished-job check. */
  readonly client: Redis;
}

/** A trial whose job vanished this many times fails: Redis keeps losing it (evicting keys? BullMQ needs maxmemory-policy noeviction). */
const MAX_VANISHED = 3;

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
 * A job that vanishes from Redis (a restart without persistence, a flush)
 * would never report back, and Redis being reachable again, `lostTimeoutMs`
 * would not fire either: while trials are in flight, the executor checks
 * every second (or `lostTimeoutMs` / 4) that their jobs still exist, and
 * puts a vanished one on the queue again, as a new job for the same trial
 * (same index, params, resources and state), recorded once. Finished jobs
 * stay in Redis until then, at most max(100, 2 × `concurrency`) of them, so
 * that one whose result is on its way is never taken for a vanished one. A
 * trial whose job vanishes a fourth time fails (per `onError`).
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
  const connectTimeoutMs = checkTimeoutMs('connectTimeoutMs', options.connectTimeoutMs ?? 5000);
  const lostTimeoutMs = checkTimeoutMs('lostTimeoutMs', options.lostTimeoutMs ?? 30_000);
  const stream = options.stream ?? false;
  if (typeof stream !== 'boolean') throw new ArgumentError('stream', `must be a boolean, got ${show(stream)}`);

  const pending = new Map<string, Pending>();
  // Our own job ids, registered before the job exists, so no result can arrive unclaimed.
  const runId = randomUUID().slice(0, 8);
  let count = 0;
  let opened: Promise<Opened> | undefined;
  let live: Opened | undefined;
  let closing: Promise<void> | undefined;
  // Finished jobs kept: a job of ours finishes only while its trial is pending, so fewer than the trials in flight await their report.
  const keep = { count: Math.max(100, 2 * concurrency) };

  const settle = (jobId: string, outcome: { result: JsonResult } | { error: Error }): void => {
    const p = pending.get(jobId);
    if (!p) return; // not ours, already settled, or aborted: a re-delivered job is recorded once
    pending.delete(jobId);
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(fromJsonResult(outcome.result));
  };

  // While trials are in flight, a cheap TCP check notices a Redis that is gone (BullMQ would wait for it forever)...
  let watching: NodeJS.Timeout | undefined;
  let lostSince: number | undefined;
  const checkEvery = Math.max(50, Math.min(1000, Math.floor(lostTimeoutMs / 4)));
  const tcp = redis.path === undefined && !redis.sentinels;
  const stillThere = async (): Promise<boolean> => {
    if (!tcp) return true;
    try {
      await reachable(redis, checkEvery);
      lostSince = undefined;
      return true;
    } catch (error) {
      lostSince ??= Date.now();
      if (Date.now() - lostSince >= lostTimeoutMs) {
        const lost = new Error(`lost Redis at ${describeRedis(redis)} for ${Date.now() - lostSince} ms (option \`lostTimeoutMs\`): ${(error as Error).message}`);
        lostSince = undefined;
        for (const p of pending.values()) p.reject(lost);
        pending.clear();
      }
      return false;
    }
  };
  // ...and a check of the jobs notices those that Redis lost while it stayed reachable or came back.
  let checking = false;
  const watch = (): void => {
    if (watching || pending.size === 0 || closing) return;
    watching = setTimeout(async () => {
      if ((await stillThere()) && live && !checking) {
        // Not awaited: a Redis that accepts connections but does not answer must not stop the lost-Redis watch.
        checking = true;
        void findVanished(live)
          .catch(() => {}) // Redis away again: the next round checks
          .finally(() => (checking = false));
      }
      watching = undefined;
      watch();
    }, checkEvery);
    watching.unref();
  };

  const findVanished = async ({ queue: q, client }: Opened): Promise<void> => {
    const checked = [...pending.values()].filter((p) => p.added).map((p) => ({ p, jobId: p.jobId }));
    if (checked.length === 0) return;
    const pipeline = client.pipeline();
    for (const { jobId } of checked) pipeline.exists(q.toKey(jobId));
    const replies = (await pipeline.exec()) ?? [];
    checked.forEach(({ p, jobId }, k) => {
      const [error, exists] = replies[k] ?? [];
      // Still the same job, still pending, and really missing.
      if (!error && exists === 0 && p.jobId === jobId && pending.get(jobId) === p) resubmit(p);
    });
  };

  /** Its job is gone from Redis: the same trial goes on the queue again, as a new job. */
  const resubmit = (p: Pending): void => {
    pending.delete(p.jobId);
    if (++p.vanished > MAX_VANISHED) {
      p.reject(new Error(`the job of trial ${p.data.i} vanished from Redis ${p.vanished} times (BullMQ needs Redis to keep its keys: maxmemory-policy noeviction, no flushes)`));
      return;
    }
    p.jobId = `${runId}-${count++}`;
    p.seen = 0;
    pending.set(p.jobId, p);
    enqueue(p);
  };

  /** Adds the trial's current job; a failed add fails the trial. */
  const enqueue = (p: Pending): void => {
    const { jobId } = p;
    p.added = false;
    p.adding = open().then(async (o) => {
      await o.queue.add('trial', p.data, { jobId, removeOnComplete: keep, removeOnFail: keep });
      if (p.jobId === jobId) p.added = true;
      return o;
    });
    p.adding.catch((error) => {
      if (pending.delete(jobId)) p.reject(error);
    });
  };

  const open = () =>
    (opened ??= (async () => {
      if (closing) throw new Error('this queue executor is closed');
      const probe = await connectRedis(redis, connectTimeoutMs, 'queue', { reconnect: true });
      const { Queue, QueueEvents } = await queuePackages('queue');
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
      events.on('progress', ({ jobId, data }) => {
        const p = pending.get(jobId);
        if (p?.onStep && ++p.seen > p.sent) {
          p.sent++;
          p.onStep(fromJsonResult(data as unknown as JsonResult));
        }
      });
      await Promise.all([q.waitUntilReady(), events.waitUntilReady()]);
      return (live = { queue: q, events, client: probe });
    })());

  /** One trial: resolves with its result; `onStep` gets each streamed value first. */
  const submit = (params: P, context: TrialContext<S>, signal: AbortSignal, onStep?: (value: PlainResult) => void): Promise<PlainResult> => {
    const task = encodeTask(space, true, params, context);
    const data = onStep ? { ...task, stream: true as const } : task;
    return new Promise<PlainResult>((resolve, reject) => {
      const p: Pending = { jobId: `${runId}-${count++}`, data, added: false, vanished: 0, seen: 0, sent: 0, resolve, reject, onStep };
      pending.set(p.jobId, p);
      enqueue(p);
      watch();
      signal.addEventListener(
        'abort',
        () => {
          const { jobId, adding } = p;
          if (!pending.delete(jobId)) return;
          reject(signal.reason);
          // Waiting: removed; running: the worker is asked to stop it.
          void adding
            ?.then(async ({ queue: q, client }) => {
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
