import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { ArgumentError } from '../../base/ArgumentError.js';
import { checkFunction, checkOptions, show } from '../../base/check.js';
import type { Space } from '../../space/Space.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { Trial } from '../../trial/Trial.js';
import type { Direction } from '../../trial/Direction.js';
import { checkDirection } from '../../trial/internal/lossView.js';
import { checkListenOptions } from './internal/createServer.js';
import type { ListenOptions } from './ListenOptions.js';
import { DashboardHub } from './internal/DashboardHub.js';
import type { RunningServer } from './RunningServer.js';
import { startServer } from './internal/startServer.js';

export interface DashboardOptions extends ListenOptions {
  /** The space the trials come from (the plots read its ranges). */
  readonly space: Space;
  /** Shown as the page's heading. @default 'hyperopt-rx' */
  readonly title?: string;
  /** Called with the page's address once the server listens. @default prints it to stderr */
  readonly onListening?: (url: string) => void;
  /** Milliseconds to keep serving after the stream ends, to look at the finished run. @default 0 */
  readonly linger?: number;
  /** The run's direction: which value the page shows as the best (a trial does not say). @default 'minimize' */
  readonly direction?: Direction;
}

/**
 * Serves a live dashboard for the trials that pass through: the trial
 * count, the best value so far, a convergence plot, the per-parameter
 * scatter of `plot`, parallel coordinates and a sortable table, updated
 * through Server-Sent Events as each trial finishes. The page and its
 * scripts (vega, vega-lite, vega-embed: optional peers) come from the
 * installed packages, never a CDN. The server starts on subscription
 * (127.0.0.1:8350 by default; `port: 0` picks a free one) and stops when the
 * stream ends (after `linger`) or is unsubscribed; a port in use errors the
 * stream. Any other host than loopback needs a `token`. Pass the run's
 * `direction` for a `'maximize'` run: the page then ranks the largest value best.
 *
 * ## Example
 * ```ts
 * import { hyperopt$, linrange } from 'hyperopt-rx';
 * import { dashboard } from 'hyperopt-rx/node';
 * const space = { x: linrange(-2, 2, 101) };
 * hyperopt$({ space, iterations: 50 }, ({ x }) => x * x)
 *   .pipe(dashboard({ space, port: 0, onListening: (url) => console.log(`open ${url}`) }))
 *   .subscribe();
 * ```
 */
export function dashboard<T extends Trial>(options: DashboardOptions): MonoTypeOperatorFunction<T> {
  checkOptions('dashboard', options, ['space', 'title', 'direction', 'onListening', 'linger', 'host', 'port', 'token', 'bodyLimit']);
  const space = checkSpace(options.space);
  const direction = checkDirection(options.direction ?? 'minimize');
  const listen = checkListenOptions(options);
  if (options.title !== undefined && typeof options.title !== 'string') throw new ArgumentError('title', `must be a string, got ${show(options.title)}`);
  const onListening = options.onListening === undefined ? printAddress : checkFunction<(url: string) => void>('onListening', options.onListening);
  const linger = options.linger ?? 0;
  if (typeof linger !== 'number' || !(linger >= 0) || linger > 2_147_483_647)
    throw new ArgumentError('linger', `must be milliseconds from 0 to 2147483647, got ${show(linger)}`);
  return (trials$) =>
    new Observable<T>((subscriber) => {
      // One hub and one server per subscription.
      const hub = new DashboardHub(space, { title: options.title, direction });
      let server: RunningServer | undefined;
      let ended = false;
      const stop = () => setTimeout(() => void server?.close(), linger).unref();
      startServer('dashboard', listen, hub).then(
        (started) => {
          server = started;
          // A stream that ended before the server listened is still shown for `linger`, if any.
          if (!ended || linger > 0) onListening(started.url);
          if (ended) stop();
        },
        (error: unknown) => subscriber.error(error),
      );
      const subscription = trials$.subscribe({
        next: (trial) => {
          hub.record(trial);
          subscriber.next(trial);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        ended = true;
        if (server) stop();
      };
    });
}

function printAddress(url: string): void {
  process.stderr.write(`hyperopt-rx: dashboard at ${url}\n`);
}
