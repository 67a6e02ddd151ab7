import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { checkTimeoutMs } from '../../base/check.js';
import type { RedisConnection } from '../RedisConnection.js';
import { toRedisOptions } from './connectRedis.js';
import { checkQueueName } from './queueKeys.js';

/** Where a coordinator and its workers meet: Redis and the queue's keys. */
export interface QueueTarget {
  readonly redis: RedisOptions;
  /** What BullMQ connects with: `redis`, its commands waiting through a reconnect (BullMQ requires it). */
  readonly connection: ConnectionOptions;
  readonly queueName: string;
  readonly prefix: string;
  readonly connectTimeoutMs: number;
}

/** The options `queue` and `startWorker` share, checked the same way for both (ArgumentErrors naming them). */
export function checkQueueTarget(options: {
  readonly redis: RedisConnection;
  readonly queueName: string;
  readonly prefix?: string;
  readonly connectTimeoutMs?: number;
}): QueueTarget {
  const redis = toRedisOptions('redis', options.redis);
  return {
    redis,
    connection: { ...redis, maxRetriesPerRequest: null } as ConnectionOptions,
    queueName: checkQueueName('queueName', options.queueName),
    prefix: checkQueueName('prefix', options.prefix ?? 'bull'),
    connectTimeoutMs: checkTimeoutMs('connectTimeoutMs', options.connectTimeoutMs ?? 5000),
  };
}
