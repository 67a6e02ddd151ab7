import type { Progress } from '../../sinks/Progress.js';
import type { Trial } from '../../trial/Trial.js';
import { TrialBar } from '../internal/TrialBar.js';
import { describeFailure } from './failures.js';

export interface RunDisplayOptions {
  /** stderr: where the bar and every message go. */
  readonly stream: NodeJS.WritableStream;
  /** Draw the progress line. */
  readonly bar: boolean;
  /** Print each failed trial as it fails. */
  readonly verbose: boolean;
  readonly direction: 'minimize' | 'maximize';
}

/**
 * What `run` shows on stderr while it runs: one progress line for the whole
 * run (a resumed run's line starts at the trials its journal holds, and
 * each phase of the run adds its plan), with messages printed above it,
 * never through it. `interrupt` takes the line down before it speaks, so
 * the message stays readable.
 */
export class RunDisplay {
  private readonly bar: TrialBar | undefined;
  private start = { done: 0, best: NaN, failed: 0 };
  private started = false;

  constructor(private readonly options: RunDisplayOptions) {
    const tty = (options.stream as { isTTY?: boolean }).isTTY === true;
    this.bar = options.bar ? new TrialBar({ stream: options.stream, noTTYOutput: !tty, notTTYIntervalMs: 2000, direction: options.direction }) : undefined;
  }

  /** A resumed run: the journal's trials, its best value and how many failed. */
  resumed(done: number, best: number, failed: number): void {
    this.start = { done, best, failed };
  }

  /** The `progress` option of the run: called once per phase, it feeds the one line. */
  readonly progress: Progress = (info) => {
    if (!this.started) {
      this.started = true;
      this.bar?.start(this.start.done + (info.total ?? 0), this.start.done, this.start.best, this.start.failed);
    } else this.bar?.plan(info.total ?? 0);
    return {
      next: (trial: Trial) => {
        this.bar?.add(trial);
        if (this.options.verbose && trial.status === 'failed') this.message(describeFailure(trial));
      },
    };
  };

  /** Prints whole lines on stderr, above the progress line. */
  message(text: string): void {
    if (this.bar) this.bar.log(text);
    else this.options.stream.write(text);
  }

  /** Takes the progress line down, then prints the message below it. */
  interrupt(text: string): void {
    this.stop();
    this.options.stream.write(text);
  }

  /** Draws the line a last time; messages go straight to stderr from now on. */
  stop(): void {
    this.bar?.stop();
  }
}
