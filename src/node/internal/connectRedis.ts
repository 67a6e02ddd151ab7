import { connect } from 'node:net';
import type { Redis, RedisOptions } from 'ioredis';
import { queuePackages } from './queuePackages.js';
import { ArgumentError } from '../../base/ArgumentError.js';
import { show } from '../../base/check.js';

/** ioredis options for a `redis` option; throws an ArgumentError for anything else. */
export function toRedisOptions(option: string, value: unknown): RedisOptions {
  if (typeof value === 'string') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ArgumentError(option, `must be a redis:// or rediss:// URL, got ${show(value)}`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ArgumentError(option, `must be a redis:// or rediss:// URL, got ${url.protocol}//...`);
    const options: RedisOptions = { host: url.hostname || '127.0.0.1', port: url.port ? Number(url.port) : 6379 };
    if (url.username) options.username = decodeURIComponent(url.username);
    if (url.password) options.password = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\//, '');
    if (db) {
      if (!/^\d+$/.test(db)) throw new ArgumentError(option, `has a database path that is not a number: /${db}`);
      options.db = Number(db);
    }
    if (url.protocol === 'rediss:') options.tls = { servername: url.hostname };
    return options;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  throw new ArgumentError(option, `must be a redis:// URL or ioredis options, got ${show(value)}`);
}

/** host:port for messages, never the password. */
export function describeRedis(options: RedisOptions): string {
  return `${options.tls ? 'rediss' : 'redis'}://${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}

/**
 * Connects once, without retrying, and pings: an unreachable or refusing
 * Redis is a clear error within `timeoutMs` instead of a silent retry loop.
 * Returns the connected client; with `reconnect`, it reconnects after a later
 * loss of the connection, its commands failing at once while it is down and
 * after `timeoutMs` without an answer (a Redis that hangs).
 */
export async function connectRedis(options: RedisOptions, timeoutMs: number, feature: string, { reconnect = false }: { reconnect?: boolean } = {}): Promise<Redis> {
  const { Redis } = await queuePackages(feature);
  // A bare TCP check first: ioredis lingers for seconds after a refused connection.
  if (options.path === undefined && !options.sentinels) await reachable(options, timeoutMs);
  let connected = false;
  // No ready check and no retries before the first connection: ioredis would otherwise linger for seconds after a refusal.
  const retryStrategy = (times: number) => (reconnect && connected ? Math.min(times * 100, 1000) : null);
  const client = new Redis({
    ...options,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    ...(reconnect ? { commandTimeout: timeoutMs } : {}),
  });
  client.on('error', () => {}); // later trouble: the caller's commands fail
  const failed = new Promise<never>((_, reject) => client.once('error', reject));
  failed.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client
        .connect()
        .then(() => client.ping())
        .then(() => (connected = true)),
      failed,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return client;
  } catch (error) {
    client.disconnect();
    const why = (error as Error)?.message || String(error);
    throw new Error(`Redis at ${describeRedis(options)} did not accept the connection (option \`redis\`): ${why}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** A bare TCP connection to Redis's port, closed at once: rejects when nothing answers within `timeoutMs`. */
export function reachable(options: RedisOptions, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port ?? 6379, family: options.family });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Redis at ${describeRedis(options)} is unreachable (option \`redis\`): ${why}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}
