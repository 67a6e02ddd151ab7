import type { FlagSpec } from './FlagSpec.js';

/** The flags of `hyperopt-rx worker` (parsed by workerCommand), for its help and did-you-mean. */
export const WORKER_FLAGS: readonly FlagSpec[] = [
  { name: 'redis', type: 'string', value: 'URL', meaning: 'redis://[:pw@]host:port[/db] or rediss:// (required)' },
  { name: 'queue', type: 'string', value: 'NAME', meaning: "the coordinator's queueName (required)" },
  { name: 'module', type: 'string', value: 'FILE', meaning: 'the module that exports the objective (required)' },
  { name: 'export', type: 'string', value: 'NAME', meaning: 'the export that is the objective', default: 'default' },
  { name: 'space-export', type: 'string', value: 'NAME', meaning: 'the export holding the space', default: 'space' },
  { name: 'concurrency', type: 'string', value: 'N', meaning: 'trials this process runs at once', default: 'the number of CPUs' },
  { name: 'isolate', type: 'string', value: 'KIND', meaning: 'threads, processes or none: where each trial runs', default: 'threads' },
  { name: 'lock-duration', type: 'string', value: 'MS', meaning: 'a silent worker loses its trials after this long', default: '5000' },
  { name: 'stalled-interval', type: 'string', value: 'MS', meaning: 'how often workers look for expired locks', default: '2500' },
  { name: 'max-stalled-count', type: 'string', value: 'N', meaning: 'times a trial may lose its worker before it fails', default: '1' },
  { name: 'prefix', type: 'string', value: 'PREFIX', meaning: "BullMQ's key prefix, the coordinator's", default: 'bull' },
  { name: 'connect-timeout', type: 'string', value: 'MS', meaning: 'how long to wait for Redis before failing', default: '5000' },
  { name: 'abort-grace', type: 'string', value: 'MS', meaning: "a cancelled trial's time to stop before it is ended", default: '1000' },
  { name: 'help', type: 'boolean', short: 'h', meaning: 'this help' },
];
