import type { Candidate, Trial } from '../../Trial.js';
import { rungSizes } from '../../samplers/internal/hyperbandBrackets.js';

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
 * not have chosen.
 */
export function asyncRungs(plan: RungPlan): RungEngine {
  if (plan.rungs === undefined && plan.n === Infinity) throw new RangeError('asyncRungs needs a rung count or a finite n');
  const last = (plan.rungs ?? sizesFor(plan, plan.n).length) - 1;
  const members: Trial[][] = Array.from({ length: last + 1 }, () => []);
  const promoted: Set<number>[] = Array.from({ length: last + 1 }, () => new Set());
  let admitted = 0;
  let closed = plan.n === 0;
  let inFlight = 0;

  const find = (): [Trial, number] | undefined => {
    for (let k = last - 1; k >= 0; k--) {
      const top = Math.floor(members[k].length / plan.eta);
      if (top === 0) continue;
      for (const t of promotionOrder(members[k]).slice(0, top)) if (!promoted[k].has(t.i)) return [t, k];
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
      members[trial.rung ?? 0].push(trial);
    },
    promote() {
      const found = find();
      if (!found) return undefined;
      const [t, k] = found;
      promoted[k].add(t.i);
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

/** Rung sizes for `n` starting configurations: the plan's count, or as many as keep one. */
function sizesFor(plan: RungPlan, n: number): number[] {
  if (plan.rungs !== undefined) return rungSizes(n, plan.rungs, plan.eta);
  let count = 1;
  while (Math.floor(n / plan.eta ** (count - 1) / plan.eta) >= 1) count++;
  return rungSizes(n, count, plan.eta);
}
