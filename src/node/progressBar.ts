import { SingleBar, Presets } from 'cli-progress';
import type { Progress } from '../sinks/Progress.js';
import type { Trial } from '../Trial.js';

export interface ProgressBarOptions {
  /** Where the bar is drawn. @default process.stderr */
  readonly stream?: NodeJS.WritableStream;
  /** Draw even when the stream is not a terminal (logs, CI). @default false */
  readonly noTTYOutput?: boolean;
}

/**
 * A cli-progress bar on stderr: trials done of planned, best so far,
 * elapsed and ETA; under Hyperband also the bracket and rung.
 *
 * ## Example
 * ```ts
 * import { hyperopt } from 'hyperopt-rx';
 * import { progressBar } from 'hyperopt-rx/node';
 * await hyperopt({ space: { x: [1, 2, 3] }, iterations: 3, progress: progressBar() }, ({ x }) => x);
 * ```
 */
export function progressBar(options: ProgressBarOptions = {}): Progress {
  return (info) => {
    const bar = new SingleBar(
      {
        stream: options.stream ?? process.stderr,
        noTTYOutput: options.noTTYOutput ?? false,
        format: ` {bar} {value}/{total} trials | best {best}{where} | {duration_formatted} elapsed | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    let best = NaN;
    let done = 0;
    bar.start(info.total ?? 0, 0, { best: '-', where: '' });
    const stop = () => bar.stop();
    return {
      next: (trial: Trial) => {
        done++;
        if (!Number.isNaN(trial.value) && !(trial.value >= best)) best = trial.value;
        const where = trial.bracket === undefined ? '' : ` | bracket ${trial.bracket} rung ${trial.rung ?? 0}`;
        if (info.total === undefined) bar.setTotal(done);
        bar.update(done, { best: Number.isNaN(best) ? '-' : best.toPrecision(6), where });
      },
      error: stop,
      complete: stop,
    };
  };
}
