/**
 * Runs queued actions one after another on the first caller's stack. The
 * optimization loop routes every event through one, so a synchronous
 * objective never re-enters a sampler and the stack stays flat at any
 * number of trials (the Subject feedback loop otherwise recurses once per trial).
 */
export class Trampoline {
  readonly #queue: (() => void)[] = [];
  #head = 0;
  #running = false;

  run(action: () => void): void {
    this.#queue.push(action);
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#head < this.#queue.length) {
        const next = this.#queue[this.#head];
        this.#queue[this.#head++] = noop; // drop the reference early
        next();
        if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
          this.#queue.splice(0, this.#head);
          this.#head = 0;
        }
      }
    } finally {
      this.#queue.length = 0;
      this.#head = 0;
      this.#running = false;
    }
  }
}

function noop(): void {}
