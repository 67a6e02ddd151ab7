import { parseArgs } from 'node:util';
import { ArgumentError } from '../base/ArgumentError.js';
import { describeRedis, toRedisOptions } from './internal/connectRedis.js';
import { startWorker, type StartWorkerOptions } from './startWorker.js';

const USAGE = `Usage: hyperopt-rx worker --redis redis://host:port --queue NAME --module ./objective.js
         [--export NAME] [--space-export NAME] [--concurrency N] [--isolate threads|processes|none]
         [--lock-duration MS] [--stalled-interval MS] [--max-stalled-count N] [--prefix bull]
         [--abort-grace MS] [--connect-timeout MS]

Serves the trials a coordinator's queue({ redis, queueName }) enqueues: runs the
module's objective (export --export, default "default") and sends each result
back, until SIGINT or SIGTERM (a second one drops the running trials, which go
to other workers). Redis URLs may carry a password (redis://:pw@host:6379/0);
rediss:// is TLS. Exit codes: 0 stopped, 1 Redis unreachable, 2 bad flags or module.
`;

/** Where `workerCommand` writes and what stops it; the CLI uses the defaults. */
export interface WorkerCommandIO {
  /** Gets the usage for --help. */
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Stops the worker like SIGTERM does. */
  readonly signal?: AbortSignal;
}

/**
 * `hyperopt-rx worker`: parses the flags, starts a queue worker
 * (`startWorker`) and serves until SIGINT/SIGTERM; resolves with the exit code.
 *
 * ## Example
 * ```ts
 * import { workerCommand } from 'hyperopt-rx/node';
 * process.exitCode = await workerCommand(['--redis', 'redis://127.0.0.1:6379', '--queue', 'tune-1', '--module', './objective.js']);
 * ```
 * @see startWorker
 */
export async function workerCommand(argv: readonly string[], io: WorkerCommandIO = {}): Promise<number> {
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text));
  let options: StartWorkerOptions | 'help';
  try {
    options = parseFlags(argv);
  } catch (error) {
    stderr(`hyperopt-rx worker: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    (io.stdout ?? ((text: string) => void process.stdout.write(text)))(USAGE);
    return 0;
  }
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    worker = await startWorker(options);
  } catch (error) {
    const message =
      error instanceof ArgumentError && FLAGS[error.option] ? error.message.replace(`\`${error.option}\``, `\`${FLAGS[error.option]}\``) : (error as Error).message;
    stderr(`hyperopt-rx worker: ${message}\n`);
    return error instanceof ArgumentError ? 2 : 1;
  }
  stderr(`hyperopt-rx worker ${process.pid}: serving queue ${options.queueName} on ${describeRedis(toRedisOptions('redis', options.redis))}\n`);
  let stops = 0;
  let stop = () => {};
  await new Promise<void>((resolve) => {
    stop = () => {
      stops++;
      // First signal: finish the running trials; second: drop them (they are re-delivered elsewhere).
      void worker.close(stops > 1).then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
    if (io.signal?.aborted) stop();
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}

/** startWorker's option names as the flags that set them. */
const FLAGS: Record<string, string> = {
  redis: '--redis',
  queueName: '--queue',
  module: '--module',
  exportName: '--export',
  spaceExport: '--space-export',
  concurrency: '--concurrency',
  isolate: '--isolate',
  lockDuration: '--lock-duration',
  stalledInterval: '--stalled-interval',
  maxStalledCount: '--max-stalled-count',
  prefix: '--prefix',
  connectTimeoutMs: '--connect-timeout',
  abortGraceMs: '--abort-grace',
};

/** startWorker's options from the flags, or 'help' for --help. */
function parseFlags(argv: readonly string[]): StartWorkerOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      queue: { type: 'string' },
      module: { type: 'string' },
      export: { type: 'string' },
      'space-export': { type: 'string' },
      concurrency: { type: 'string' },
      isolate: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      'max-stalled-count': { type: 'string' },
      prefix: { type: 'string' },
      'connect-timeout': { type: 'string' },
      'abort-grace': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new ArgumentError(positionals[0], 'is not a flag of the worker command');
  for (const flag of ['redis', 'queue', 'module'] as const) if (values[flag] === undefined) throw new ArgumentError(`--${flag}`, 'is required');
  const int = (flag: keyof typeof values): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < 1) throw new ArgumentError(`--${flag}`, `must be a positive integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  const options: Record<string, unknown> = {
    redis: values.redis,
    queueName: values.queue,
    module: values.module,
    exportName: values.export,
    spaceExport: values['space-export'],
    concurrency: int('concurrency'),
    isolate: values.isolate,
    lockDuration: int('lock-duration'),
    stalledInterval: int('stalled-interval'),
    maxStalledCount: int('max-stalled-count'),
    prefix: values.prefix,
    connectTimeoutMs: int('connect-timeout'),
    abortGraceMs: values['abort-grace'] === undefined ? undefined : Number(values['abort-grace']),
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  // startWorker validates the rest synchronously and names the option.
  return options as unknown as StartWorkerOptions;
}
