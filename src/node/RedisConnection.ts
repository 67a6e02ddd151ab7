import type { RedisOptions } from 'ioredis';

/**
 * Where Redis is: a URL (`redis://[user:password@]host:port[/db]`, `rediss://`
 * for TLS) or ioredis options, passed through as they are (password, tls,
 * sentinels...).
 */
export type RedisConnection = string | RedisOptions;
