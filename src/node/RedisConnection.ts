/**
 * Where Redis is: a URL (`redis://[user:password@]host:port[/db]`, `rediss://`
 * for TLS) or ioredis options, passed through as they are (password, tls,
 * sentinels...). Typed here without ioredis, an optional peer dependency, so
 * that projects which never use the queue need not install it.
 */
export type RedisConnection = string | RedisConnectionOptions;

/** The ioredis options the queue reads itself; any other ioredis option passes through. */
export interface RedisConnectionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: object;
  readonly sentinels?: readonly { readonly host?: string; readonly port?: number }[];
  readonly [option: string]: unknown;
}
