import cliProgress, { MultiBar, Presets, type GenericBar, type Options, type Params } from 'cli-progress';

// Format is not among the names Node finds in the CommonJS module: taken from its default export.
const { Format } = cliProgress;
import type { Trial } from '../../trial/Trial.js';

export interface TrialBarOptions {
  readonly stream: NodeJS.WritableStream;
  /** Draw into a stream that is not a terminal: one line per `notTTYIntervalMs`. */
  readonly noTTYOutput: boolean;
  readonly notTTYIntervalMs: number;
  /** Which value is the best so far. @default 'minimize' */
  readonly direction?: 'minimize' | 'maximize';
}

/** What the line shows besides the bar. */
interface Shown {
  failed: number;
  best: number;
  /** Under Hyperband: the latest evaluation's bracket and rung. */
  bracket?: number;
  rung?: number;
}

/** The widest the bar itself gets, and the narrowest worth drawing. */
const BAR_MAX = 40;
const BAR_MIN = 8;
/** What the line is drawn with: cli-progress's shades, times without padding (as its defaults). */
const LINE: Options = { barCompleteString: '\u2588'.repeat(BAR_MAX + 1), barIncompleteString: '\u2591'.repeat(BAR_MAX + 1), barGlue: '', autopaddingChar: '' };
/** The width of a line written to a log (not a terminal). */
const LOG_WIDTH = 200;

/**
 * One progress line for a run: trials done of planned, failed trials, the
 * best value, elapsed time and ETA, fitted to the terminal's width (the
 * bar, then the wording, give way; elapsed and ETA stay). Drawn with
 * cli-progress, without hiding the cursor or turning line wrap off, so a
 * process killed with SIGKILL leaves the terminal as it was. `log` prints a
 * message above the line instead of under or through it. Into a log (not a
 * terminal) it writes one line per interval and a last one, nothing else.
 */
export class TrialBar {
  /** On a terminal: cli-progress redraws the line. */
  private readonly multi: MultiBar | undefined;
  private bar: GenericBar | undefined;
  /** Into a log: the timer that writes a line per interval, from the start time and count. */
  private logTimer: ReturnType<typeof setInterval> | undefined;
  private logStart = { time: 0, done: 0 };
  private readonly shown: Shown = { failed: 0, best: NaN };
  private done = 0;
  private total = 0;
  private stopped = false;

  constructor(private readonly options: TrialBarOptions) {
    if ((options.stream as { isTTY?: boolean }).isTTY !== true) return;
    this.multi = new MultiBar(
      {
        stream: options.stream,
        noTTYOutput: options.noTTYOutput,
        notTTYSchedule: options.notTTYIntervalMs,
        format: (_opts, params) => this.format(params),
        hideCursor: false,
        linewrap: true,
        gracefulExit: false,
        etaBuffer: 50,
        // The ETA follows finished trials, not the redraw clock: long trials leave it steady.
        etaAsynchronousUpdate: false,
      },
      Presets.shades_classic,
    );
  }

  /** Starts the line at `done` trials of `total` (a resumed run starts at what its journal holds). */
  start(total: number, done = 0, best = NaN, failed = 0): void {
    if (this.bar !== undefined || this.stopped) return;
    this.done = done;
    this.total = Math.max(total, done);
    this.shown.best = best;
    this.shown.failed = failed;
    if (this.multi !== undefined) this.bar = this.multi.create(this.total, done);
    else if (this.options.noTTYOutput) {
      this.logStart = { time: Date.now(), done };
      this.logTimer = setInterval(() => this.writeLogLine(), this.options.notTTYIntervalMs);
      this.logTimer.unref();
    }
  }

  /** More evaluations planned (a run's next phase). */
  plan(more: number): void {
    this.total += more;
    this.bar?.setTotal(Math.max(this.total, this.done));
  }

  add(trial: Trial): void {
    this.done++;
    if (trial.status === 'failed') this.shown.failed++;
    const v = trial.value;
    const best = this.shown.best;
    if (!Number.isNaN(v) && (Number.isNaN(best) || (this.options.direction === 'maximize' ? v > best : v < best))) this.shown.best = v;
    this.shown.bracket = trial.bracket;
    this.shown.rung = trial.bracket === undefined ? undefined : (trial.rung ?? 0);
    // An unknown or exceeded plan (ASHA may run a few more) grows with the work done.
    if (this.done > this.total) this.total = this.done;
    this.bar?.setTotal(this.total);
    this.bar?.update(this.done);
  }

  /** Prints `text` (whole lines) above the progress line, now. */
  log(text: string): void {
    if (this.multi === undefined || this.bar === undefined || this.stopped) {
      this.options.stream.write(text);
      return;
    }
    this.multi.log(text.endsWith('\n') ? text : `${text}\n`);
    this.multi.update();
  }

  /** Draws the line a last time and moves below it; idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bar !== undefined) this.multi?.stop();
    if (this.logTimer !== undefined) {
      clearInterval(this.logTimer);
      this.writeLogLine();
    }
  }

  /** One line into a log: the ETA from the trials done since the start. */
  private writeLogLine(): void {
    const now = Date.now();
    const ran = this.done - this.logStart.done;
    const seconds = (now - this.logStart.time) / 1000;
    const eta = ran > 0 ? (seconds / ran) * Math.max(0, this.total - this.done) : NaN;
    const progress = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const params: Params = { progress, eta, startTime: this.logStart.time, stopTime: now, total: this.total, value: this.done, maxWidth: LOG_WIDTH };
    this.options.stream.write(`${this.format(params)}\n`);
  }

  private format(params: Params): string {
    const elapsed = Format.TimeFormat(Math.round(((params.stopTime ?? Date.now()) - params.startTime) / 1000), LINE, 1);
    const eta = Number.isFinite(params.eta) ? Format.TimeFormat(Math.round(params.eta), LINE, 5) : '-';
    const { failed, best, bracket, rung } = this.shown;
    const bestText = Number.isNaN(best) ? '-' : short(best);
    const count = `${params.value}/${params.total}`;
    // From the fullest wording to the shortest; elapsed time and ETA are in every one, and dropped last.
    const variants = [
      `${count} trials${failed > 0 ? ` (${failed} failed)` : ''} | best ${bestText}${bracket === undefined ? '' : ` | bracket ${bracket} rung ${rung}`} | ${elapsed} elapsed | ETA ${eta}`,
      `${count} trials${failed > 0 ? ` (${failed} failed)` : ''} | best ${bestText}${bracket === undefined ? '' : ` | b${bracket} r${rung}`} | ${elapsed} elapsed | ETA ${eta}`,
      `${count}${failed > 0 ? ` ${failed} failed` : ''} | best ${bestText} | ${elapsed} | ETA ${eta}`,
      `${count} | best ${bestText} | ${elapsed} | ETA ${eta}`,
      `${count} | ${elapsed} | ETA ${eta}`,
    ];
    // One column spare: writing the last column makes some terminals wrap.
    const width = params.maxWidth - 1;
    // The fullest wording with a bar; narrower, the failures and the best go before the bar does, elapsed and ETA last.
    const choices: [string, boolean][] = [
      [variants[0], true],
      [variants[1], true],
      [variants[2], true],
      [variants[2], false],
      [variants[3], true],
      [variants[3], false],
      [variants[4], true],
    ];
    const [text, withBar] = choices.find(([v, bar]) => v.length + 1 + (bar ? 1 + BAR_MIN : 0) <= width) ?? [variants[4], false];
    if (!withBar) return ` ${text}`.slice(0, width);
    const room = Math.min(BAR_MAX, width - text.length - 2);
    return ` ${Format.BarFormat(params.progress, { ...LINE, barsize: room })} ${text}`;
  }
}

/** Six significant digits without trailing zeros: 0.25, 1.5e-7, 120000. */
export function short(value: number): string {
  const text = value.toPrecision(6);
  const [mantissa, exponent] = text.split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}
