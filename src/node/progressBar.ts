import type { Progress } from '../sinks/Progress.js';
import type { Trial } from '../trial/Trial.js';
import { TrialBar } from './internal/TrialBar.js';

export interface ProgressBarOptions {
  /**
   * Where the bar is drawn.
   * @default process.stderr
   */
  readonly stream?: NodeJS.WritableStream;
  /**
   * Draw even when the stream is not a terminal (a log file, CI): one line
   * per `notTTYIntervalMs` and a last one at the end, instead of redrawing.
   * @default true when you pass a `stream`, false for process.stderr
   */
  readonly noTTYOutput?: boolean;
  /**
   * Without a terminal, the interval between progress lines.
   * @default 2000
   */
  readonly notTTYIntervalMs?: number;
  /**
   * Which value the bar shows as the best.
   * @default the run's `direction`
   */
  readonly direction?: 'minimize' | 'maximize';
}

/**
 * A cli-progress bar: trials done of planned, failed trials, best value so
 * far, elapsed time and ETA; under Hyperband also the bracket and rung of
 * the latest evaluation. The line fits the terminal's width (elapsed time
 * and ETA always show), and the cursor is never hidden, so no exit path
 * leaves the terminal without one. `hyperopt` draws it on stderr by default when
 * stderr is a terminal; pass `progress: false` to turn it off, or
 * `progress: progressBar({ stream })` to draw it elsewhere.
 *
 * ## Example
 * ```ts
 * import { hyperopt } from 'hyperopt-rx';
 * import { progressBar } from 'hyperopt-rx/node';
 * await hyperopt({ space: { x: [1, 2, 3] }, iterations: 3, progress: progressBar({ stream: process.stdout }) }, ({ x }) => x);
 * // ████████████████████████████████████████ 3/3 trials | best 1 | 0s elapsed | ETA 0s
 * ```
 */
export function progressBar(options: ProgressBarOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const noTTYOutput = options.noTTYOutput ?? options.stream !== undefined;
  return (info) => {
    // The run says its direction: `progress: true` and a bar made without one follow it.
    const bar = new TrialBar({ stream, noTTYOutput, notTTYIntervalMs: options.notTTYIntervalMs ?? 2000, direction: options.direction ?? info.direction });
    bar.start(info.total ?? 0);
    return { next: (trial: Trial) => bar.add(trial), error: () => bar.stop(), complete: () => bar.stop() };
  };
}
