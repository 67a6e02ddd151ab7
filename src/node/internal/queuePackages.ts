import { importOptional } from './importOptional.js';

const PACKAGES = ['bullmq', 'ioredis'];

/** bullmq and ioredis, optional peers of `queue` and `startWorker`, loaded on first use. */
export async function queuePackages(feature: string) {
  const ioredis = await importOptional(feature, PACKAGES, () => import('ioredis'));
  const bullmq = await importOptional(feature, PACKAGES, () => import('bullmq'));
  return { bullmq, ioredis };
}
