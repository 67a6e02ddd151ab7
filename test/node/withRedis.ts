// Jest-side wrappers for the Redis suites (redisServer.ts stays free of jest: fixtures run it under plain tsx).
import { describeIf, itIf, type DescribeLike, type ItLike } from '../helpers/requires.js';
import { redisAvailable, redisServerOnPath } from './redisServer.js';

/** `describe` for suites on a shared Redis; skipped visibly without one. */
export const describeWithRedis: DescribeLike = describeIf(redisAvailable, 'Redis', 'apt-get install redis-server, or set REDIS_URL=redis://host:port');
/** `it` for tests that start a redis-server of their own; skipped visibly without the binary. */
export const itWithRedisServer: ItLike = itIf(redisServerOnPath, 'redis-server', 'apt-get install redis-server');
