/**
 * One free evaluation slot (a demand tick), offered to every bracket that
 * might use it: the first to claim it has it, the others drop it when they
 * next look. Shared tokens let each bracket keep the slots it could not use
 * yet, with no count kept beside the brackets.
 */
export class Slot {
  #claimed = false;

  get claimed(): boolean {
    return this.#claimed;
  }

  /** True if the slot was still free: the caller has it now. */
  claim(): boolean {
    if (this.#claimed) return false;
    this.#claimed = true;
    return true;
  }
}
