/**
 * Runs queued actions one after another on the first caller's stack. The
 * optimization loop routes every event through one, so a synchronous
 * objective never re-enters a sampler and the stack stays flat at any
 * number of trials (a Subject feedback loop otherwise recurses once per
 * trial). Actions and their arguments are queued side by side, so queuing
 * allocates no closure.
 *
 * An action that throws does not escape into whoever queued it (an RxJS
 * subscriber would hand it to the unhandled-error hook): it goes to `fail`,
 * the owner's error path, and the queue goes on. It is the one re-entrancy
 * guard of the library: the loop, the successive-halving brackets, Hyperband
 * and the journal replay each route their callbacks through one.
 */
export class Trampoline {
  readonly #actions: ((arg: any) => void)[] = [];
  readonly #args: unknown[] = [];
  readonly #fail: (error: unknown) => void;
  #head = 0;
  #running = false;

  constructor(fail: (error: unknown) => void) {
    this.#fail = fail;
  }

  /** Queues `action`; runs the queue now unless an action is running already (then it runs after that one). */
  run<T>(action: (arg: T) => void, arg?: T): void {
    this.#actions.push(action);
    this.#args.push(arg);
    if (this.#running) return;
    this.#running = true;
    try {
      while (!this.#drain());
    } finally {
      this.#actions.length = 0;
      this.#args.length = 0;
      this.#head = 0;
      this.#running = false;
    }
  }

  /**
   * Runs `action` now, even inside another action: for an answer whose place
   * in the order matters (a sampler answering the tick an action just sent
   * it). What it causes is queued as usual; a throw goes to `fail`.
   */
  call<T>(action: (arg: T) => void, arg?: T): void {
    if (!this.#running) return this.run(action, arg);
    try {
      action(arg as T);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The owner's error path, for guarded streams (Feed) that belong to the same owner. */
  fail(error: unknown): void {
    this.#fail(error);
  }

  /** Runs the queue to its end (true), or up to an action that threw, which goes to `fail` (false). */
  #drain(): boolean {
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
      return true;
    } catch (error) {
      this.#fail(error);
      return false;
    }
  }
}
