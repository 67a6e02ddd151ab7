import { availableParallelism } from 'node:os';
import type { RedisOptions } from 'ioredis';
import { checkOptions, checkOneOf, checkPositiveInteger, checkTimeoutMs, show } from '../base/check.js';
import type { RedisConnection } from './RedisConnection.js';
import { checkModuleOptions } from './internal/checkModuleOptions.js';
import { checkQueueTarget } from './internal/checkQueueTarget.js';
import { connectRedis } from './internal/connectRedis.js';
import { queuePackages } from './internal/queuePackages.js';
import { inlineRunner } from './internal/inlineRunner.js';
import { toJsonResult, type JsonResult } from './internal/jsonResult.js';
import { processRunner } from './internal/processRunner.js';
import { cancelChannel } from './internal/queueKeys.js';
import type { Runner } from './internal/Runner.js';
import { threadRunner } from './internal/threadRunner.js';
import type { WireTask } from './internal/WireTask.js';
import type { PlainResult } from './internal/objectiveRuntime.mjs';

export interface StartWorkerOptions {
  /** Redis: a URL (`redis://:password@host:6379/0`, `rediss://` for TLS) or ioredis options. */
  readonly redis: RedisConnection;
  /** The queue the coordinator's `queue({ queueName })` fills. */
  readonly queueName: string;
  /** The objective's ES module: a path (from the current directory) or a `file:` URL. */
  readonly module: string | URL;
  /** The export that is the objective. @default 'default' */
  readonly exportName?: string;
  /** The export holding the space, to rebuild values sent as indices. @default 'space' */
  readonly spaceExport?: string;
  /** Trials this process runs at once. @default os.availableParallelism() */
  readonly concurrency?: number;
  /**
   * Where the objective runs: on worker threads (the default: a long
   * synchronous objective cannot starve the job locks), in child processes,
   * or on this thread (`'none'`: least overhead, but a synchronous objective
   * longer than `lockDuration` gets its job re-delivered). @default 'threads'
   */
  readonly isolate?: 'threads' | 'processes' | 'none';
  /**
   * How long a job's lock lasts without renewal (renewed every half of it):
   * after a worker dies, its job goes back to the queue within about
   * `lockDuration` + `stalledInterval`. @default 5000
   */
  readonly lockDuration?: number;
  /** How often workers look for jobs whose lock expired. @default 2500 */
  readonly stalledInterval?: number;
  /** Times a job may lose its worker before it fails. @default 1 */
  readonly maxStalledCount?: number;
  /** BullMQ key prefix, the same as the coordinator's. @default 'bull' */
  readonly prefix?: string;
  /** How long to wait for Redis before failing with a clear error. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** A cancelled trial's objective gets its `signal`, then this long before its thread or process is terminated. @default 1000 */
  readonly abortGraceMs?: number;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Stops taking jobs; with `force`, drops running ones too (they go to other workers). */
  close(force?: boolean): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a `queue` executor's trials: takes jobs from the BullMQ queue, runs
 * the module's objective and sends back the result. Run any number, on any
 * machines that reach Redis; `hyperopt-rx worker` is this on the command line.
 * Throws an ArgumentError for bad options; rejects when Redis is unreachable
 * or the module or its export cannot be loaded, before taking any job.
 *
 * ## Example
 * ```ts
 * import { startWorker } from 'hyperopt-rx/node';
 * const worker = await startWorker({ redis: 'redis://10.0.0.5:6379', queueName: 'tune-1', module: './objective.js' });
 * process.once('SIGTERM', () => worker.close());
 * ```
 * @see queue
 */
export function startWorker(options: StartWorkerOptions): Promise<QueueWorker> {
  const keys = ['redis', 'queueName', 'concurrency', 'isolate', 'lockDuration', 'stalledInterval', 'maxStalledCount', 'prefix', 'connectTimeoutMs'];
  checkOptions('options', options, ['module', 'exportName', 'spaceExport', 'abortGraceMs', ...keys]);
  const {
    redis: _r,
    queueName: _q,
    concurrency: _c,
    isolate: _i,
    lockDuration: _l,
    stalledInterval: _s,
    maxStalledCount: _m,
    prefix: _p,
    connectTimeoutMs: _t,
    ...moduleOptions
  } = options;
  const { spec, graceMs } = checkModuleOptions(moduleOptions, []);
  const { redis, connection, queueName, prefix, connectTimeoutMs } = checkQueueTarget(options);
  const concurrency = checkPositiveInteger('concurrency', options.concurrency ?? availableParallelism());
  const isolate = checkOneOf('isolate', options.isolate ?? 'threads', ['threads', 'processes', 'none'] as const);
  const lockDuration = checkTimeoutMs('lockDuration', options.lockDuration ?? 5000);
  const stalledInterval = checkTimeoutMs('stalledInterval', options.stalledInterval ?? 2500);
  const maxStalledCount = checkPositiveInteger('maxStalledCount', options.maxStalledCount ?? 1);

  return (async () => {
    const probe = await connectRedis(redis, connectTimeoutMs, 'startWorker');
    await probe.quit();
    const { Worker, Redis } = await queuePackages('startWorker');
    const runner: Runner =
      isolate === 'threads'
        ? threadRunner(spec, concurrency, graceMs)
        : isolate === 'processes'
          ? processRunner(spec, { processes: concurrency, graceMs })
          : inlineRunner(spec);
    try {
      await runner.probe();
    } catch (error) {
      await runner.close();
      throw error;
    }
    const worker = new Worker<WireTask & { stream?: true }, JsonResult>(
      queueName,
      async (job, _token, signal) => {
        try {
          // Streamed values go out as job progress, in order, all before the result.
          let sent: Promise<unknown> = Promise.resolve();
          const onStep = job.data.stream ? (step: PlainResult) => void (sent = sent.then(() => job.updateProgress(toJsonResult(step) as unknown as object))) : undefined;
          const result = await runner.run(job.data, signal, onStep);
          await sent;
          return toJsonResult(result);
        } catch (error) {
          throw toError(error);
        }
      },
      { connection, prefix, concurrency, lockDuration, stalledInterval, maxStalledCount },
    );
    worker.on('error', () => {}); // connection trouble: ioredis reconnects; job errors go back to the coordinator
    // A lock that cannot be renewed: the job vanished (Redis lost it) or went to another worker; its result would be refused, so stop it.
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const jobId of jobIds) worker.cancelJob(jobId, 'lost its lock');
    });
    // The coordinator publishes the id of a trial it no longer wants.
    const cancels = new Redis(connection as RedisOptions);
    cancels.on('error', () => {});
    cancels.on('message', (_channel: string, jobId: string) => worker.cancelJob(jobId, 'cancelled by the coordinator'));
    await Promise.all([worker.waitUntilReady(), cancels.subscribe(cancelChannel(prefix, queueName))]);
    let closing: Promise<void> | undefined;
    const close = (force = false) =>
      (closing ??= (async () => {
        await worker.close(force);
        cancels.disconnect();
        await runner.close();
      })());
    return { close, [Symbol.asyncDispose]: () => close() };
  })();
}

/** BullMQ keeps only an Error's message as the job's failedReason; errors from threads may come from another realm. */
function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  const message = (error as { message?: unknown } | null)?.message;
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof message === 'string') return Object.assign(new Error(message), { name: typeof name === 'string' ? name : 'Error' });
  return new Error(`objective threw ${show(error)}`);
}
