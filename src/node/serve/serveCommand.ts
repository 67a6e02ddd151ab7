import { ArgumentError } from '../../base/ArgumentError.js';
import { spaceFromFile } from '../internal/spaceFromFile.js';
import { durationFlag, integerFlag, LISTEN_FLAGS, listenOptions, parseFlags, stopRequested, type CommandIO } from '../dashboard/internal/commandFlags.js';
import { samplerFromName } from '../internal/samplerFromName.js';
import { serve } from './serve.js';

export const SERVE_USAGE = `Usage:
  hyperopt-rx serve --space space.json --journal run.jsonl [--sampler random|lhs|bohb|gp|JSON]
                    [--seed S] [--iterations N] [--port 8350] [--host 127.0.0.1] [--token T]
                    [--maximize] [--ask-timeout 10m] [--concurrency 1] [--body-limit 65536]

An HTTP ask/tell service: POST /api/ask answers {"id", "params"}, POST /api/tell
takes {"id", "value"} (or {"id", "status": "failed", "error"}, or a step report
{"id", "step", "value"} answered with {"prune": true|false}); GET /api/trials,
GET /api/events (Server-Sent Events), and the live dashboard at /.
Every ask and told trial is in the journal before the answer: the same command
again resumes (asks not told are offered again, ids go on). --ask-timeout records
an ask not told in time as a failed trial. --iterations bounds the configurations
handed out, counted across restarts (not with Hyperband, whose iterations are whole
Hyperband iterations: leave it out there). --maximize: told values are scores
(higher is better), not losses. A host other than loopback needs
--token (or HYPEROPT_RX_TOKEN); clients send "Authorization: Bearer <token>",
and a browser opens the dashboard at /?token=T once (it keeps a cookie).
--sampler takes a registered sampler's name in any case (random, lhs, bohb, gp,
...) or its JSON description, e.g. '{"name":"Hyperband","maxResource":27}'.
`;

/**
 * `hyperopt-rx serve`: runs the ask/tell server until SIGINT/SIGTERM (or
 * `signal`), then closes it and its journal; resolves with the exit code.
 * Bad flags are ArgumentErrors naming the flag, before anything starts.
 */
export async function serveCommand(argv: readonly string[], io: CommandIO, signal?: AbortSignal): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      ...LISTEN_FLAGS,
      space: { type: 'string' },
      journal: { type: 'string' },
      sampler: { type: 'string' },
      seed: { type: 'string' },
      iterations: { type: 'string' },
      'ask-timeout': { type: 'string' },
      concurrency: { type: 'string' },
      maximize: { type: 'boolean' },
    },
    false,
  );
  if (values.help) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  if (values.space === undefined) throw new ArgumentError('--space', 'is required (a JSON space file)');
  if (values.journal === undefined) throw new ArgumentError('--journal', 'is required: every ask and told trial is written there');
  const seed = values.seed === undefined ? undefined : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const server = await serve({
    ...listenOptions(values),
    space: spaceFromFile(values.space),
    journal: values.journal,
    sampler:
      values.sampler === undefined ? (seed === undefined ? undefined : samplerFromName('random', seed, '--sampler')) : samplerFromName(values.sampler, seed, '--sampler'),
    iterations: integerFlag('--iterations', values.iterations, 1),
    askTimeout: durationFlag('--ask-timeout', values['ask-timeout']),
    concurrency: integerFlag('--concurrency', values.concurrency, 1),
    direction: values.maximize ? 'maximize' : 'minimize',
    onWarning: (message) => io.stderr(`${message}\n`),
  });
  io.stderr(`hyperopt-rx: serving ${server.samplerName} asks at ${server.url}api/ask, the dashboard at ${server.url} (journal ${values.journal}); Ctrl-C stops\n`);
  await stopRequested(signal);
  await server.close();
  return 0;
}
