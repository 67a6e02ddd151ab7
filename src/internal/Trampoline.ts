/**
 * Runs queued actions one after another on the first caller's stack. The
 * optimization loop routes every event through one, so a synchronous
 * objective never re-enters a sampler and the stack stays flat at any
 * number of trials (a Subject feedback loop otherwise recurses once per
 * trial). Actions and their arguments are queued side by side, so queuing
 * allocates no closure.
 */
export class Trampoline {
  readonly #actions: ((arg: any) => void)[] = [];
  readonly #args: unknown[] = [];
  #head = 0;
  #running = false;

  run<T>(action: (arg: T) => void, arg?: T): void {
    this.#actions.push(action);
    this.#args.push(arg);
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#head < this.#actions.length) {
        const k = this.#head++;
        const next = this.#actions[k];
        const nextArg = this.#args[k];
        this.#args[k] = undefined; // let finished trials be collected
        next(nextArg);
        if (this.#head === this.#actions.length) {
          this.#actions.length = 0;
          this.#args.length = 0;
          this.#head = 0;
        }
      }
    } finally {
      this.#actions.length = 0;
      this.#args.length = 0;
      this.#head = 0;
      this.#running = false;
    }
  }
}
