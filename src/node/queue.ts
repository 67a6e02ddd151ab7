import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions, checkPositiveInteger, checkTimeoutMs, show } from '../base/check.js';
import type { Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import type { Executor } from './Executor.js';
import type { RedisConnection } from './RedisConnection.js';
import { checkQueueTarget } from './internal/checkQueueTarget.js';
import { queueRunner } from './internal/queueRunner.js';
import { toExecutor } from './internal/toExecutor.js';

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
  const target = checkQueueTarget(options);
  const space = options.space === undefined ? undefined : checkSpace(options.space);
  const concurrency = checkPositiveInteger('concurrency', options.concurrency ?? 8);
  const lostTimeoutMs = checkTimeoutMs('lostTimeoutMs', options.lostTimeoutMs ?? 30_000);
  const stream = options.stream ?? false;
  if (typeof stream !== 'boolean') throw new ArgumentError('stream', `must be a boolean, got ${show(stream)}`);
  return toExecutor(queueRunner({ ...target, concurrency, lostTimeoutMs }), { space, concurrency, stream, json: true });
}
