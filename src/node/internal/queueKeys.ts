/** The Redis channel on which a coordinator asks workers to cancel a running trial. */
export function cancelChannel(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:hyperopt-rx:cancel`;
}
