import type { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { importOptional } from './importOptional.js';

const PACKAGES = ['bullmq', 'ioredis'];

/** The classes the queue uses from bullmq and ioredis. */
export interface QueuePackages {
  readonly Queue: typeof Queue;
  readonly QueueEvents: typeof QueueEvents;
  readonly Worker: typeof Worker;
  readonly Redis: typeof Redis;
}

// One load for every caller: a queue and a worker starting together must not import the packages twice at once
// (concurrent loading of the same modules trips Jest's ESM loader).
let loading: Promise<QueuePackages> | undefined;

/** bullmq and ioredis, optional peers of `queue` and `startWorker`, loaded on first use. */
export function queuePackages(feature: string): Promise<QueuePackages> {
  const load = (loading ??= (async () => {
    const { Redis } = await importOptional(feature, PACKAGES, () => import('ioredis'));
    const { Queue, QueueEvents, Worker } = await importOptional(feature, PACKAGES, () => import('bullmq'));
    return { Queue, QueueEvents, Worker, Redis };
  })());
  // A failed load is tried again next time (and names the feature that asked).
  load.catch(() => (loading = undefined));
  return load;
}
