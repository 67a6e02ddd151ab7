import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueTarget } from './checkQueueTarget.js';
import { connectRedis } from './connectRedis.js';
import type { JsonResult } from './jsonResult.js';
import { queuePackages } from './queuePackages.js';
import { cancelChannel } from './queueKeys.js';

/** What the coordinator hears of its jobs. */
export interface QueueListeners {
  completed(jobId: string, result: JsonResult): void;
  failed(jobId: string, reason: string): void;
  progress(jobId: string, step: JsonResult): void;
}

/** The coordinator's side of a queue: BullMQ's queue and events, and a client of our own. */
export class QueueConnection {
  private constructor(
    private readonly target: QueueTarget,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    /** Reconnecting, failing fast while Redis is away: cancel messages and the vanished-job check. */
    private readonly client: Redis,
  ) {}

  /**
   * Connects (a clear error within `connectTimeoutMs` when Redis is not
   * there), then opens the queue and listens to its events from the newest
   * on: earlier runs' events are not ours, and none of ours can be missed.
   */
  static async open(target: QueueTarget, on: QueueListeners): Promise<QueueConnection> {
    const { redis, connection, queueName, prefix, connectTimeoutMs } = target;
    const client = await connectRedis(redis, connectTimeoutMs, 'queue', { reconnect: true });
    const { Queue, QueueEvents } = await queuePackages('queue');
    const newest = await client.xrevrange(`${prefix}:${queueName}:events`, '+', '-', 'COUNT', 1);
    // Our client stays for the rare cancel message; BullMQ opens its own, retrying connections.
    const queue = new Queue(queueName, { connection, prefix });
    const events = new QueueEvents(queueName, { connection, prefix, lastEventId: newest[0]?.[0] ?? '0-0' });
    queue.on('error', () => {}); // ioredis reconnects; trials wait meanwhile
    events.on('error', () => {});
    events.on('completed', ({ jobId, returnvalue }) => on.completed(jobId, returnvalue as unknown as JsonResult));
    events.on('failed', ({ jobId, failedReason }) => on.failed(jobId, failedReason));
    events.on('progress', ({ jobId, data }) => on.progress(jobId, data as unknown as JsonResult));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueConnection(target, queue, events, client);
  }

  /** Adds a job; finished jobs are kept up to `keep` of each kind (see `queue`: a result on its way is not a vanished job). */
  async add(jobId: string, data: object, keep: number): Promise<void> {
    await this.queue.add('trial', data, { jobId, removeOnComplete: { count: keep }, removeOnFail: { count: keep } });
  }

  /** Stops a job: removed while waiting, else its worker is asked to cancel it. */
  async cancel(jobId: string): Promise<void> {
    if ((await this.queue.remove(jobId)) === 0) await this.client.publish(cancelChannel(this.target.prefix, this.target.queueName), jobId);
  }

  /** The ids among `jobIds` whose job no longer exists in Redis (one round trip). */
  async missing(jobIds: readonly string[]): Promise<Set<string>> {
    const pipeline = this.client.pipeline();
    for (const jobId of jobIds) pipeline.exists(this.queue.toKey(jobId));
    const replies = (await pipeline.exec()) ?? [];
    return new Set(
      jobIds.filter((_, k) => {
        const [error, exists] = replies[k] ?? [];
        return !error && exists === 0;
      }),
    );
  }

  /**
   * Removes the queue from Redis and closes the connections. With Redis
   * gone, that would wait for it forever: after `connectTimeoutMs` it gives
   * up and drops the connections instead.
   */
  async close(): Promise<void> {
    const { queue, events, client } = this;
    const tidy = (async () => {
      await queue.obliterate({ force: true }).catch(() => {});
      await Promise.all([events.close(), queue.close(), client.quit().catch(() => {})]);
    })();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([tidy.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.target.connectTimeoutMs)))]);
    clearTimeout(timer);
    if (gaveUp) {
      // Not awaited: BullMQ's disconnect also waits for a Redis that is gone.
      client.disconnect();
      void queue.disconnect().catch(() => {});
      void events.disconnect().catch(() => {});
    }
  }
}
