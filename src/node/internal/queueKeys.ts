import { ArgumentError } from '../../base/ArgumentError.js';
import { show } from '../../base/check.js';

/** A queue name or key prefix: non-empty, without the ':' that separates the parts of BullMQ's keys. */
export function checkQueueName(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes(':')) {
    throw new ArgumentError(option, `must be a non-empty string without ':', got ${show(value)}`);
  }
  return value;
}

/** The Redis channel on which a coordinator asks workers to cancel a running trial. */
export function cancelChannel(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:hyperopt-rx:cancel`;
}
