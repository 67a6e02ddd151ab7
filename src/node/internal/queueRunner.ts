import { randomUUID } from 'node:crypto';
import type { QueueTarget } from './checkQueueTarget.js';
import { fromJsonResult, type JsonResult } from './jsonResult.js';
import type { PlainResult } from './objectiveRuntime.mjs';
import { QueueConnection } from './QueueConnection.js';
import { redisPresence } from './redisPresence.js';
import type { Runner } from './Runner.js';
import type { WireTask } from './WireTask.js';

export interface QueueRunnerOptions extends QueueTarget {
  /** Trials in flight at most: finished jobs are kept in proportion. */
  readonly concurrency: number;
  readonly lostTimeoutMs: number;
}

/** A trial in flight: one job at a time, a new one if its job vanishes from Redis. */
interface Pending {
  jobId: string;
  readonly data: WireTask & { stream?: true };
  /** The current job's add (set by `enqueue`); `added` once it has run: only then can the job be missed. */
  adding?: Promise<QueueConnection>;
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

/** A trial whose job vanished this many times fails: Redis keeps losing it (evicting keys? BullMQ needs maxmemory-policy noeviction). */
const MAX_VANISHED = 3;

/**
 * The queue as a Runner: each trial is a job, settled by the job's events
 * (once, however often it is delivered). While trials are in flight, a
 * watch fails them when Redis stays away `lostTimeoutMs`, and puts a job
 * that vanished from a reachable Redis on the queue again (see `queue`).
 */
export function queueRunner(options: QueueRunnerOptions): Runner {
  const { concurrency, lostTimeoutMs } = options;
  const pending = new Map<string, Pending>();
  // Our own job ids, registered before the job exists, so no result can arrive unclaimed.
  const runId = randomUUID().slice(0, 8);
  let count = 0;
  const nextJobId = () => `${runId}-${count++}`;
  let opened: Promise<QueueConnection> | undefined;
  let live: QueueConnection | undefined;
  let closed = false;
  // Finished jobs kept: a job of ours finishes only while its trial is pending, so fewer than the trials in flight await their report.
  const keep = Math.max(100, 2 * concurrency);

  const settle = (jobId: string, outcome: { result: JsonResult } | { error: Error }): void => {
    const p = pending.get(jobId);
    if (!p) return; // not ours, already settled, or aborted: a re-delivered job is recorded once
    pending.delete(jobId);
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(fromJsonResult(outcome.result));
  };
  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const open = () =>
    (opened ??= (async () => {
      if (closed) throw new Error('this queue executor is closed');
      return (live = await QueueConnection.open(options, {
        completed: (jobId, result) => settle(jobId, { result }),
        failed: (jobId, reason) => settle(jobId, { error: new Error(reason) }),
        progress: (jobId, step) => {
          const p = pending.get(jobId);
          if (p?.onStep && ++p.seen > p.sent) {
            p.sent++;
            p.onStep(fromJsonResult(step));
          }
        },
      }));
    })());

  /** Adds the trial's current job; a failed add fails the trial. */
  const enqueue = (p: Pending): void => {
    const { jobId } = p;
    p.added = false;
    p.adding = open().then(async (connection) => {
      await connection.add(jobId, p.data, keep);
      if (p.jobId === jobId) p.added = true;
      return connection;
    });
    p.adding.catch((error) => {
      if (pending.delete(jobId)) p.reject(error);
    });
  };

  /** Its job is gone from Redis: the same trial goes on the queue again, as a new job. */
  const resubmit = (p: Pending): void => {
    pending.delete(p.jobId);
    if (++p.vanished > MAX_VANISHED) {
      p.reject(
        new Error(`the job of trial ${p.data.i} vanished from Redis ${p.vanished} times (BullMQ needs Redis to keep its keys: maxmemory-policy noeviction, no flushes)`),
      );
      return;
    }
    p.jobId = nextJobId();
    p.seen = 0;
    pending.set(p.jobId, p);
    enqueue(p);
  };

  const findVanished = async (connection: QueueConnection): Promise<void> => {
    const checked = [...pending.values()].filter((p) => p.added).map((p) => ({ p, jobId: p.jobId }));
    if (checked.length === 0) return;
    const missing = await connection.missing(checked.map((c) => c.jobId));
    // Still the same job, still pending, and really missing.
    for (const { p, jobId } of checked) if (missing.has(jobId) && p.jobId === jobId && pending.get(jobId) === p) resubmit(p);
  };

  // While trials are in flight: a cheap TCP check notices a Redis that is gone, and a check of
  // the jobs notices those that Redis lost while it stayed reachable or came back.
  const checkEvery = Math.max(50, Math.min(1000, Math.floor(lostTimeoutMs / 4)));
  const stillThere = redisPresence(options.redis, { lostTimeoutMs, answerMs: checkEvery, onLost: failAll });
  let watching: NodeJS.Timeout | undefined;
  let checking = false;
  const round = async (): Promise<void> => {
    if ((await stillThere()) && live && !checking) {
      // Not awaited: a Redis that accepts connections but does not answer must not stop the lost-Redis watch.
      checking = true;
      void findVanished(live)
        .catch(() => {}) // Redis away again: the next round checks
        .finally(() => (checking = false));
    }
    watching = undefined;
    watch();
  };
  const watch = (): void => {
    if (watching || pending.size === 0 || closed) return;
    watching = setTimeout(() => void round(), checkEvery);
    watching.unref();
  };

  return {
    run: (task, signal, onStep) =>
      new Promise<PlainResult>((resolve, reject) => {
        const data = onStep ? { ...task, stream: true as const } : task;
        const p: Pending = { jobId: nextJobId(), data, added: false, vanished: 0, seen: 0, sent: 0, resolve, reject, onStep };
        pending.set(p.jobId, p);
        enqueue(p);
        watch();
        signal?.addEventListener(
          'abort',
          () => {
            const { jobId, adding } = p;
            if (!pending.delete(jobId)) return;
            reject(signal.reason as Error);
            void adding?.then((connection) => connection.cancel(jobId)).catch(() => {});
          },
          { once: true },
        );
      }),
    probe: async () => {
      await open();
    },
    close: async () => {
      closed = true;
      clearTimeout(watching);
      failAll(new Error('this queue executor was closed'));
      const connection = await opened?.catch(() => undefined);
      await connection?.close();
    },
  };
}
