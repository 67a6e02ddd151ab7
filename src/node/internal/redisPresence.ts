import type { RedisOptions } from 'ioredis';
import { describeRedis, reachable } from './connectRedis.js';

export interface RedisPresenceOptions {
  /** How long Redis may stay away before `onLost`. */
  readonly lostTimeoutMs: number;
  /** How long one check waits for an answer. */
  readonly answerMs: number;
  /** Called with the error to fail the waiting trials with, once Redis has been away `lostTimeoutMs`; the clock then starts again. */
  readonly onLost: (error: Error) => void;
}

/**
 * A check that Redis still answers on its port (a bare TCP connection:
 * BullMQ would wait for a Redis that is gone forever): each call resolves
 * false while it is away. Always true where no such check applies (a socket
 * path, sentinels).
 */
export function redisPresence(redis: RedisOptions, { lostTimeoutMs, answerMs, onLost }: RedisPresenceOptions): () => Promise<boolean> {
  if (redis.path !== undefined || redis.sentinels) return async () => true;
  let lostSince: number | undefined;
  return async () => {
    try {
      await reachable(redis, answerMs);
      lostSince = undefined;
      return true;
    } catch (error) {
      lostSince ??= Date.now();
      const away = Date.now() - lostSince;
      if (away >= lostTimeoutMs) {
        lostSince = undefined;
        onLost(new Error(`lost Redis at ${describeRedis(redis)} for ${away} ms (option \`lostTimeoutMs\`): ${(error as Error).message}`));
      }
      return false;
    }
  };
}
