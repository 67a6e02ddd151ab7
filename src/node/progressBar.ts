import { SingleBar, Presets } from 'cli-progress';
import type { Progress } from '../sinks/Progress.js';
import type { Trial } from '../trial/Trial.js';

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
}

/**
 * A cli-progress bar: trials done of planned, failed trials, best value so
 * far, elapsed time and ETA; under Hyperband also the bracket and rung of
 * the latest evaluation. `hyperopt` draws it on stderr by default when
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
    const bar = new SingleBar(
      {
        stream,
        noTTYOutput,
        notTTYSchedule: options.notTTYIntervalMs ?? 2000,
        format: ` {bar} {value}/{total} trials{failed} | best {best}{where} | {duration_formatted} elapsed | ETA {eta_formatted}`,
        hideCursor: stream === process.stderr ? true : null,
        etaBuffer: 50,
        // The ETA follows finished trials, not the redraw clock: long trials leave it steady.
        etaAsynchronousUpdate: false,
      },
      Presets.shades_classic,
    );
    let best = NaN;
    let done = 0;
    let failed = 0;
    let stopped = false;
    bar.start(info.total ?? 0, 0, { best: '-', where: '', failed: '' });
    const stop = () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    };
    return {
      next: (trial: Trial) => {
        done++;
        if (trial.status === 'failed') failed++;
        if (!Number.isNaN(trial.value) && !(trial.value >= best)) best = trial.value;
        const where = trial.bracket === undefined ? '' : ` | bracket ${trial.bracket} rung ${trial.rung ?? 0}`;
        // An unknown or exceeded plan (ASHA may run a few more) grows with the work done.
        if (info.total === undefined || done > info.total) bar.setTotal(done);
        bar.update(done, { best: Number.isNaN(best) ? '-' : short(best), where, failed: failed > 0 ? ` (${failed} failed)` : '' });
      },
      error: stop,
      complete: stop,
    };
  };
}

/** Six significant digits without trailing zeros: 0.25, 1.5e-7, 120000. */
function short(value: number): string {
  const text = value.toPrecision(6);
  const [mantissa, exponent] = text.split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}
