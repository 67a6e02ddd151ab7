import { ArgumentError } from '../../base/ArgumentError.js';
import { checkListenOptions } from './internal/createServer.js';
import { LISTEN_FLAGS, listenOptions, parseFlags, stopRequested, type CommandIO } from './internal/commandFlags.js';
import { followJournal } from './internal/followJournal.js';
import { startServer } from './internal/startServer.js';

export const DASHBOARD_USAGE = `Usage:
  hyperopt-rx dashboard run.jsonl [--port 8350] [--host 127.0.0.1] [--token T]

Serves the live dashboard (trial count, best so far, convergence, the value per
parameter, parallel coordinates, a sortable table) for a journal that
"hyperopt-rx run", "hyperopt-rx serve" or the Node API is writing, and follows
it as it grows. A host other than loopback needs --token (or HYPEROPT_RX_TOKEN):
open http://host:8350/?token=T once, and the browser keeps it in a cookie.
`;

/** How often the followed journal is read for new lines. */
const POLL_MS = 250;

/**
 * `hyperopt-rx dashboard run.jsonl`: serves the dashboard for a journal,
 * following it, until SIGINT/SIGTERM (or `signal`); resolves with the exit code.
 */
export async function dashboardCommand(argv: readonly string[], io: CommandIO, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv, LISTEN_FLAGS, true);
  if (values.help) {
    io.stdout(DASHBOARD_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new ArgumentError('journal', `one journal file is expected, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const listen = checkListenOptions(listenOptions(values));
  const followed = followJournal(positionals[0], POLL_MS, (message) => io.stderr(`${message}\n`));
  try {
    const server = await startServer('dashboard', listen, followed.hub);
    io.stderr(`hyperopt-rx: dashboard for ${positionals[0]} at ${server.url}; Ctrl-C stops\n`);
    await stopRequested(signal);
    await server.close();
  } finally {
    followed.stop();
  }
  return 0;
}
