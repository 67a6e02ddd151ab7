import type { Candidate, Trial } from '../../trial/Trial.js';
import { rungSizes } from './hyperbandBrackets.js';

/**
 * The rung engine shared by `successiveHalving`, `Hyperband` and its
 * asynchronous (ASHA) mode: one bracket's bookkeeping, with no Rx and no
 * clock. Its user feeds it finished trials (`record`) and asks it for work
 * when a slot is free (`wantsNew` / `admit` for a fresh configuration,
 * `promote` for a promotion); `done` says the bracket has nothing left.
 */
export interface RungEngine {
  /** The bracket index (s) stamped on candidates, if any. */
  readonly bracket: number | undefined;
  /** True while rung 0 still takes fresh configurations. */
  wantsNew(): boolean;
  /** A fresh configuration enters rung 0; returns its candidate. */
  admit(i: number, params: unknown): Candidate;
  /** No more fresh configurations will come (the source completed early). */
  closeAdmission(): void;
  /** A trial of this bracket finished. */
  record(trial: Trial): void;
  /** The next promoted configuration that may start now, if any. */
  promote(): Candidate | undefined;
  /** Evaluations handed out and not yet recorded. */
  readonly inFlight: number;
  /** Nothing in flight and nothing more to hand out. */
  readonly done: boolean;
}

export interface RungPlan {
  /** Bracket index, stamped on candidates when given. */
  readonly bracket?: number;
  /** Planned configurations in rung 0 (Infinity: as many as the source gives). */
  readonly n: number;
  /** Number of rungs, or undefined: as many as keep at least one configuration. */
  readonly rungs?: number;
  /** Resources of rung 0; rung k gets `r * eta^k`. */
  readonly r: number;
  /** Reduction factor. */
  readonly eta: number;
  /**
   * Resources of each rung when known in advance (Hyperband's table, so that
   * budgets are bit-identical to it); otherwise computed as `r * eta^k`.
   */
  readonly resources?: readonly number[];
}

/**
 * Promotion order: finished trials by ascending value with NaN after +Infinity,
 * then pruned trials, then failed ones; ties keep their order (Array.sort is
 * stable), like Julia's `sortperm`.
 */
export function promotionOrder(trials: readonly Trial[]): Trial[] {
  return trials.slice().sort(compareForPromotion);
}

function compareForPromotion(a: Trial, b: Trial): number {
  const ca = promotionClass(a);
  const cb = promotionClass(b);
  if (ca !== cb) return ca - cb;
  if (ca !== 0 || a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}

function promotionClass(t: Trial): number {
  if (t.status === 'failed') return 3;
  if (Number.isNaN(t.value)) return 2;
  return t.status === 'pruned' ? 1 : 0;
}

function rungResources(plan: RungPlan, k: number): number {
  return plan.resources?.[k] ?? plan.r * plan.eta ** k;
}

function candidateAt(plan: RungPlan, i: number, params: unknown, k: number, state: unknown): Candidate {
  const c: { -readonly [K in keyof Candidate]: Candidate[K] } = { i, params, resources: rungResources(plan, k) };
  if (plan.bracket !== undefined) c.bracket = plan.bracket;
  c.rung = k;
  if (state !== undefined) c.state = state;
  return c;
}

/**
 * Synchronous successive halving (Hyperopt.jl, Li et al.): rung k runs in
 * full, then its top `floor((n / eta^k) / eta)` go on to rung k + 1, each
 * with its own last state. Nothing of rung k + 1 starts before rung k ends.
 */
export function syncRungs(plan: RungPlan): RungEngine {
  let k = 0;
  let admitted = 0;
  let closed = false;
  let inFlight = 0;
  let sizes: number[] | undefined = plan.n === Infinity ? undefined : sizesFor(plan, plan.n);
  let expected = plan.n; // configurations the current rung will hold
  let members: Trial[] = [];
  let queue: Candidate[] = [];
  let done = plan.n === 0;

  const advance = (): void => {
    if (done || inFlight > 0 || queue.length > 0 || members.length < expected) return;
    sizes ??= sizesFor(plan, expected);
    if (k + 1 >= sizes.length || members.length === 0) {
      done = true;
      return;
    }
    const keep = Math.min(sizes[k + 1], members.length);
    const next = k + 1;
    queue = promotionOrder(members)
      .slice(0, keep)
      .map((t) => candidateAt(plan, t.i, t.params, next, t.state));
    k = next;
    expected = keep;
    members = [];
    if (keep === 0) done = true;
  };

  return {
    bracket: plan.bracket,
    wantsNew: () => k === 0 && !closed && admitted < plan.n,
    admit(i, params) {
      admitted++;
      inFlight++;
      if (admitted === plan.n) closed = true;
      return candidateAt(plan, i, params, 0, undefined);
    },
    closeAdmission() {
      if (k !== 0 || (closed && admitted === expected)) return;
      closed = true;
      expected = admitted;
      sizes = sizesFor(plan, admitted);
      if (admitted === 0) done = true;
      advance();
    },
    record(trial) {
      inFlight--;
      members.push(trial);
      advance();
    },
    promote() {
      const c = queue.shift();
      if (c) inFlight++;
      return c;
    },
    get inFlight() {
      return inFlight;
    },
    get done() {
      return done;
    },
  };
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020, promotion variant):
 * whenever a slot is free, the first not-yet-promoted configuration among the
 * top `floor(|rung k| / eta)` of the highest rung k that has one is promoted
 * at once; otherwise a fresh configuration starts in rung 0. No rung waits
 * to fill, so no slot idles; early promotions may be ones a full rung would
 * not have chosen. Each rung is kept incrementally (`AsyncRung`): a trial
 * or a decision costs O(log n), where re-sorting every rung made a run of n
 * configurations quadratic.
 */
export function asyncRungs(plan: RungPlan): RungEngine {
  if (plan.rungs === undefined && plan.n === Infinity) throw new RangeError('asyncRungs needs a rung count or a finite n');
  const last = (plan.rungs ?? sizesFor(plan, plan.n).length) - 1;
  const rungs = Array.from({ length: last + 1 }, () => new AsyncRung(plan.eta));
  let admitted = 0;
  let closed = plan.n === 0;
  let inFlight = 0;

  const find = (): [Trial, number] | undefined => {
    for (let k = last - 1; k >= 0; k--) {
      const found = rungs[k].promotable();
      if (found) return [found, k];
    }
    return undefined;
  };

  return {
    bracket: plan.bracket,
    wantsNew: () => !closed && admitted < plan.n,
    admit(i, params) {
      admitted++;
      inFlight++;
      if (admitted === plan.n) closed = true;
      return candidateAt(plan, i, params, 0, undefined);
    },
    closeAdmission() {
      closed = true;
    },
    record(trial) {
      inFlight--;
      rungs[trial.rung ?? 0].add(trial);
    },
    promote() {
      const found = find();
      if (!found) return undefined;
      const [t, k] = found;
      rungs[k].markPromoted(t.i);
      inFlight++;
      return candidateAt(plan, t.i, t.params, k + 1, t.state);
    },
    get inFlight() {
      return inFlight;
    },
    get done() {
      return closed && inFlight === 0 && find() === undefined;
    },
  };
}

/** A trial with its promotion key: class, value, then arrival order (what the stable sort of `promotionOrder` gives). */
interface Ranked {
  readonly trial: Trial;
  readonly cls: number;
  readonly value: number;
  readonly seq: number;
  /** True while among the top `floor(m / eta)` of its rung. */
  inTop: boolean;
}

/** `promotionOrder`'s comparison with arrival order breaking ties: a strict total order. */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.cls !== b.cls) return a.cls - b.cls;
  if (a.cls === 0 && a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * One rung of `asyncRungs`, kept incrementally in O(log m) per trial: its
 * top `floor(m / eta)` in a max-heap, the rest in a min-heap (a trial
 * crosses over when a better one arrives or the top grows), and the
 * unpromoted trials of the top in a min-heap, stale entries dropped lazily.
 * Its first entry is the first unpromoted configuration of the top in
 * promotion order: the one to promote.
 */
class AsyncRung {
  private readonly top = new Heap<Ranked>((a, b) => compareRanked(b, a));
  private readonly rest = new Heap<Ranked>(compareRanked);
  private readonly unpromoted = new Heap<Ranked>(compareRanked);
  private readonly promoted = new Set<number>();
  private count = 0;

  constructor(private readonly eta: number) {}

  add(trial: Trial): void {
    const r: Ranked = { trial, cls: promotionClass(trial), value: trial.value, seq: this.count++, inTop: false };
    const worstTop = this.top.peek();
    if (worstTop !== undefined && compareRanked(r, worstTop) < 0) {
      this.enterTop(r);
      const out = this.top.pop()!;
      out.inTop = false;
      this.rest.push(out);
    } else this.rest.push(r);
    const size = Math.floor(this.count / this.eta);
    while (this.top.size < size) this.enterTop(this.rest.pop()!);
  }

  /** The trial to promote from this rung now, if any. */
  promotable(): Trial | undefined {
    const { unpromoted } = this;
    // Configurations promoted through another trial of the same `i` count as promoted, as with a set of `i`s.
    for (let r = unpromoted.peek(); r !== undefined; r = unpromoted.peek()) {
      if (r.inTop && !this.promoted.has(r.trial.i)) return r.trial;
      unpromoted.pop();
    }
    return undefined;
  }

  markPromoted(i: number): void {
    this.promoted.add(i);
  }

  private enterTop(r: Ranked): void {
    r.inTop = true;
    this.top.push(r);
    this.unpromoted.push(r);
  }
}

/** A binary heap: `peek` is the least element under `compare`. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const { items, compare } = this;
    let k = items.push(item) - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (compare(items[parent], item) <= 0) break;
      items[k] = items[parent];
      k = parent;
    }
    items[k] = item;
  }

  pop(): T | undefined {
    const { items, compare } = this;
    const first = items[0];
    const tail = items.pop()!;
    const n = items.length;
    if (n === 0) return first;
    let k = 0;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= n) break;
      if (child + 1 < n && compare(items[child + 1], items[child]) < 0) child++;
      if (compare(tail, items[child]) <= 0) break;
      items[k] = items[child];
      k = child;
    }
    items[k] = tail;
    return first;
  }
}

/** Rung sizes for `n` starting configurations: the plan's count, or as many as keep one. */
function sizesFor(plan: RungPlan, n: number): number[] {
  if (plan.rungs !== undefined) return rungSizes(n, plan.rungs, plan.eta);
  let count = 1;
  while (Math.floor(n / plan.eta ** (count - 1) / plan.eta) >= 1) count++;
  return rungSizes(n, count, plan.eta);
}
