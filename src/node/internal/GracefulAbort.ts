/**
 * What piscina gets as a task's abort signal: when the trial's own signal
 * fires, the objective is first asked to stop (`ask`, so it can clean up,
 * e.g. kill a program it started), and only if the task is still running
 * `graceMs` later does piscina terminate its thread.
 */
export class GracefulAbort {
  aborted = false;
  #listener: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #detach: (() => void) | undefined;

  constructor(signal: AbortSignal, ask: () => void, graceMs: number) {
    if (signal.aborted) {
      this.aborted = true; // never started: piscina rejects it at once
      return;
    }
    const onAbort = () => {
      ask();
      this.#timer = setTimeout(() => this.#fire(), graceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.#detach = () => signal.removeEventListener('abort', onAbort);
  }

  /** piscina's side: the EventEmitter form of an abort signal. */
  once(_event: 'abort', listener: () => void): void {
    this.#listener = listener;
  }

  /** piscina calls this when the task is over: nothing left to stop. */
  removeListener(): void {
    this.#listener = undefined;
    clearTimeout(this.#timer);
    this.#detach?.();
  }

  /** The same, by the name piscina's types give it. */
  off(): void {
    this.removeListener();
  }

  #fire(): void {
    this.aborted = true;
    this.#listener?.();
  }
}
