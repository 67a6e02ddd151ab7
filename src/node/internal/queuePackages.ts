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

/** bullmq and ioredis, optional peers of `queue` and `startWorker`, loaded on first use. */
export async function queuePackages(feature: string): Promise<QueuePackages> {
  const { Redis } = await importOptional(feature, PACKAGES, () => import('ioredis'));
  const { Queue, QueueEvents, Worker } = await importOptional(feature, PACKAGES, () => import('bullmq'));
  return { Queue, QueueEvents, Worker, Redis };
}
