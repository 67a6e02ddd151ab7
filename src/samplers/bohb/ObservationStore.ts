/** One finished evaluation, encoded. */
export interface Observation {
  readonly x: Float64Array;
  /** NaN is stored as +∞ (the worst); −∞ stays (the best a minimisation can find). */
  readonly loss: number;
  /** Arrival order within its budget. */
  readonly seq: number;
}

interface BudgetEntry {
  readonly budget: number;
  /** Sorted by loss, ties in arrival order, +∞ last. */
  readonly sorted: Observation[];
}

/** Observations per budget, each budget's kept sorted by loss as they arrive. */
export class ObservationStore {
  readonly #byBudget = new Map<string, BudgetEntry>();

  /** Records one finished evaluation; NaN counts as the worst (+∞), −∞ as the best. */
  add(x: Float64Array, loss: number, budget: number | undefined): void {
    const key = budgetKey(budget);
    let entry = this.#byBudget.get(key);
    if (!entry) this.#byBudget.set(key, (entry = { budget: budget ?? 0, sorted: [] }));
    const value = Number.isNaN(loss) ? Infinity : loss;
    const { sorted } = entry;
    // Insert after every equal loss: a stable order without re-sorting.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].loss <= value) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, { x, loss: value, seq: sorted.length });
  }

  /** The observations, best first, of the largest budget whose count is `enough`; undefined when none is. */
  largest(enough: (count: number) => boolean): readonly Observation[] | undefined {
    let best: BudgetEntry | undefined;
    for (const entry of this.#byBudget.values()) {
      if (enough(entry.sorted.length) && (!best || entry.budget > best.budget)) best = entry;
    }
    return best?.sorted;
  }
}

/** Budgets keyed at 12 significant digits: 50/3 computed two ways is one budget. */
export function budgetKey(budget: number | undefined): string {
  return budget === undefined ? '-' : Number(budget.toPrecision(12)).toString();
}
