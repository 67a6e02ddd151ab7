// Counts what the fits of a test did: epochs begun per trial, and fits disposed, with a promise for "all n disposed"
// (a pruned fit disposes its model a moment after its trial is recorded, when TF.js returns from the epoch).
import type { TfjsFitSummary } from '../../src/tfjs.js';

export class FitLedger {
  readonly begun = new Map<number, number>();
  readonly summaries: TfjsFitSummary[] = [];
  #waiting: { n: number; resolve: () => void }[] = [];

  epochBegun(i: number): void {
    this.begun.set(i, (this.begun.get(i) ?? 0) + 1);
  }

  disposed(summary: TfjsFitSummary): void {
    this.summaries.push(summary);
    this.#waiting = this.#waiting.filter((w) => (this.summaries.length >= w.n ? (w.resolve(), false) : true));
  }

  /** Resolves once `n` fits have been disposed. */
  until(n: number): Promise<void> {
    if (this.summaries.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ n, resolve }));
  }

  get epochs(): number {
    return [...this.begun.values()].reduce((s, k) => s + k, 0);
  }
}
