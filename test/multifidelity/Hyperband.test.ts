import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { lastValueFrom, take, tap, toArray, type Observable } from 'rxjs';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { BOHB } from '../../src/samplers/BOHB.js';
import { hyperbandBrackets, hyperbandEvaluations, maxBracket } from '../../src/multifidelity/internal/hyperbandBrackets.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { hyperopt$ } from '../../src/run/hyperopt$.js';
import { candidates } from '../../src/operators/candidates.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { samplerFromDescription } from '../../src/sinks/samplerRegistry.js';
import { linrange } from '../../src/space/linrange.js';
import type { Sampler, SamplerContext } from '../../src/samplers/Sampler.js';
import type { Space } from '../../src/space/Space.js';
import type { Candidate, Trial } from '../../src/trial/Trial.js';

const space = { a: linrange(1, 5, 100), b: [true, false] };
type P = { a: number; b: boolean };
const quiet = { progress: false } as const;

/** A deterministic objective that resumes: value falls with the total budget, state = the total budget. */
const resumable = ({ a }: P, t: { resources?: number; state?: unknown }) => {
  const spent = ((t.state as number | undefined) ?? 0) + t.resources!;
  return { value: (a - 3) ** 2 + 1 / spent, state: spent };
};

/** Rung sizes of each bracket run, in running order (synchronous runs are sequential). */
function rungTable(trials: readonly Trial[]): number[][] {
  const runs: number[][] = [];
  let last: number | undefined;
  for (const t of trials) {
    if (t.bracket !== last) {
      runs.push([]);
      last = t.bracket;
    }
    const row = runs[runs.length - 1];
    row[t.rung!] = (row[t.rung!] ?? 0) + 1;
  }
  return runs;
}

describe('hyperbandBrackets (Hyperopt.jl counting)', () => {
  it('R = 50, eta = 3: brackets 27/9/3/1, 12/4/1, 6/2, 4 with Julia budgets', () => {
    const b = hyperbandBrackets(50, 3);
    expect(b.map((x) => x.s)).toEqual([3, 2, 1, 0]);
    expect(b.map((x) => x.rungs.map((r) => r.size))).toEqual([[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]);
    expect(b[0].rungs.map((r) => r.resources)).toEqual([50 / 27, (50 / 27) * 3, (50 / 27) * 9, 50]);
    // The same budget is two different floats in brackets 3 and 2 (algorithms.md §1.4).
    expect(b[0].rungs[2].resources).toBe(16.666666666666668);
    expect(b[1].rungs[1].resources).toBe(16.666666666666664);
    expect(hyperbandEvaluations(50, 3)).toBe(69);
  });

  it('R = 30, eta = 10: 13 evaluations; R = 81, eta = 3: 206 (Li et al. table)', () => {
    expect(hyperbandBrackets(30, 10).map((x) => x.rungs.map((r) => r.size))).toEqual([[10, 1], [2]]);
    expect(hyperbandEvaluations(30, 10)).toBe(13);
    expect(hyperbandBrackets(81, 3).map((x) => [x.n, x.r])).toEqual([
      [81, 1],
      [34, 3],
      [15, 9],
      [8, 27],
      [5, 81],
    ]);
    expect(hyperbandEvaluations(81, 3)).toBe(206);
  });

  it('counts a log quotient just below an integer as that integer (isapprox guard)', () => {
    // In V8, log(1000) / log(10) is 2.9999999999999996: a plain floor would lose a bracket.
    expect(Math.log(1000) / Math.log(10)).toBeLessThan(3);
    expect(maxBracket(1000, 10)).toBe(3);
    expect(hyperbandBrackets(1000, 10)).toHaveLength(4);
    expect(maxBracket(243 * (1 - 1e-12), 3)).toBe(5); // within sqrt(eps) relative
    expect(maxBracket(243 * (1 - 1e-6), 3)).toBe(4); // clearly below
    expect(maxBracket(1, 3)).toBe(0);
    expect(hyperbandEvaluations(1, 3)).toBe(1);
  });

  it('never plans an empty rung, and keeps floor(n_k / eta) (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 5000, noNaN: true }), fc.constantFrom(2, 2.5, 3, 4, 10), (R, eta) => {
        const brackets = hyperbandBrackets(R, eta);
        expect(brackets).toHaveLength(maxBracket(R, eta) + 1);
        for (const b of brackets) {
          expect(b.rungs).toHaveLength(b.s + 1);
          expect(b.rungs[b.s].resources).toBeCloseTo(R, 9);
          for (let k = 0; k < b.rungs.length; k++) {
            expect(b.rungs[k].size).toBeGreaterThanOrEqual(1);
            if (k > 0) expect(b.rungs[k].size).toBe(Math.floor(b.n / eta ** (k - 1) / eta));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('Hyperband options', () => {
  it.each([
    [{ maxResource: 0.5 }, 'maxResource'],
    [{ maxResource: Number.NaN }, 'maxResource'],
    [{ maxResource: '50' }, 'maxResource'],
    [{ maxResource: 50, eta: 1 }, 'eta'],
    [{ maxResource: 50, eta: 0.5 }, 'eta'],
    [{ maxResource: 50, inner: {} }, 'inner'],
    [{ maxResource: 50, asynchronous: 'yes' }, 'asynchronous'],
    [{ maxResource: 50, Eta: 3 }, 'Hyperband.Eta'],
    [{ R: 50 }, 'Hyperband.R'], // the name before 0.2.0
    [undefined, 'maxResource'],
  ])('rejects %p naming `%s`', (options, option) => {
    let error: unknown;
    try {
      new Hyperband(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe(option);
  });

  it('defaults: eta 3, a RandomSampler inner, synchronous, one iteration', () => {
    const hb = new Hyperband({ maxResource: 50 });
    expect([hb.eta, hb.inner.name, hb.asynchronous, hb.defaultIterations]).toEqual([3, 'RandomSampler', false, 1]);
    expect(hb.evaluations(space, 2)).toBe(138);
    expect(hb.toJSON()).toEqual({ name: 'Hyperband', maxResource: 50, eta: 3, asynchronous: false, inner: hb.inner.toJSON?.() });
  });

  it('rebuilds from a description written before 0.2.0, whose largest budget is R', () => {
    const hb = samplerFromDescription({ name: 'Hyperband', R: 9, eta: 3, asynchronous: true, inner: { name: 'RandomSampler', seed: 4 } }) as Hyperband;
    expect(hb).toBeInstanceOf(Hyperband);
    expect(hb.toJSON()).toEqual({ name: 'Hyperband', maxResource: 9, eta: 3, asynchronous: true, inner: { name: 'RandomSampler', seed: 4 } });
  });
});

describe('Hyperband in the loop', () => {
  it('evaluates exactly 69 times for R = 50, eta = 3, then 138 when continued with ho', async () => {
    const calls: number[] = [];
    const objective = (p: P, t: { i: number; resources?: number; state?: unknown }) => {
      calls.push(t.i);
      return resumable(p, t);
    };
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 50, eta: 3, inner: new RandomSampler({ seed: 3 }) }), ...quiet }, objective);
    expect(ho.trials).toHaveLength(69);
    expect(calls).toHaveLength(69);
    expect(rungTable(ho.trials)).toEqual([[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]);
    // Configurations are numbered 0..48 in sampling order (27 + 12 + 6 + 4 fresh ones).
    expect(new Set(ho.trials.map((t) => t.i))).toEqual(new Set(Array.from({ length: 49 }, (_, i) => i)));
    await hyperopt({ space, ho, ...quiet }, objective);
    expect(ho.trials).toHaveLength(138);
    expect(Math.min(...ho.trials.slice(69).map((t) => t.i))).toBe(49);
    expect(rungTable(ho.trials.slice(69))).toEqual([[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]);
  });

  it('gives each evaluation its rung budget, and the budget spent is the sum of the trials resources', async () => {
    let spent = 0;
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 81, eta: 3 }), iterations: 1, ...quiet }, (p: P, t) => {
      spent += t.resources!;
      return resumable(p, t);
    });
    expect(ho.trials).toHaveLength(206);
    const planned = hyperbandBrackets(81, 3).reduce((sum, b) => sum + b.rungs.reduce((s, r) => s + r.size * r.resources, 0), 0);
    const recorded = ho.trials.reduce((sum, t) => sum + t.resources!, 0);
    expect(recorded).toBe(spent);
    expect(recorded).toBe(planned);
    for (const t of ho.trials) expect(t.resources).toBe(hyperbandBrackets(81, 3).find((b) => b.s === t.bracket)!.rungs[t.rung!].resources);
  });

  it('hands a promoted configuration exactly the state it returned at its previous rung, with its own params', async () => {
    const calls: { i: number; resources: number; state: unknown; params: P }[] = [];
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 27, eta: 3 }), concurrency: 3, ...quiet }, (params: P, t) => {
      calls.push({ i: t.i, resources: t.resources!, state: t.state, params });
      return { value: (params.a - 3) ** 2 + t.i / 1000, state: { i: t.i, resources: t.resources } };
    });
    let promotions = 0;
    for (const t of ho.trials) {
      const call = calls.find((c) => c.i === t.i && c.resources === t.resources)!;
      if (t.rung === 0) {
        expect(call.state).toBeUndefined();
        continue;
      }
      promotions++;
      const before = ho.trials.find((x) => x.i === t.i && x.bracket === t.bracket && x.rung === t.rung! - 1)!;
      expect(call.state).toBe(before.state); // the very object it returned, not a copy
      expect(call.params).toBe(before.params);
    }
    expect(promotions).toBe(hyperbandEvaluations(27, 3) - hyperbandBrackets(27, 3).reduce((n, b) => n + b.n, 0));
  });

  it('promotes the best floor(n / eta) of a rung, ties in sampling order, NaN and failed trials last', async () => {
    // Values repeat (ties) and some are NaN or throw; the promoted set must be the stable sort's head.
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 9, eta: 3 }), onError: 'skip', ...quiet }, (_p: P, t) => {
      if (t.i % 7 === 3) throw new Error('diverged');
      if (t.i % 5 === 1) return { value: Number.NaN, state: t.i };
      return { value: (t.i * 5) % 4, state: t.i };
    });
    const rank = (t: Trial) => (t.status === 'failed' ? 3 : Number.isNaN(t.value) ? 2 : 0);
    const brackets = hyperbandBrackets(9, 3);
    for (const b of brackets) {
      for (let k = 0; k + 1 < b.rungs.length; k++) {
        const rung = ho.trials.filter((t) => t.bracket === b.s && t.rung === k).sort((x, y) => x.i - y.i);
        const expected = rung
          .slice()
          .sort((x, y) => rank(x) - rank(y) || (rank(x) === 0 ? x.value - y.value : 0) || x.i - y.i)
          .slice(0, b.rungs[k + 1].size)
          .map((t) => t.i);
        const next = ho.trials.filter((t) => t.bracket === b.s && t.rung === k + 1).map((t) => t.i);
        expect(next).toEqual(expected);
      }
    }
    expect(ho.trials.filter((t) => t.status === 'failed').length).toBeGreaterThan(0);
  });

  it('runs the planned schedule for any R, eta and concurrency, each rung the stable top of the one before (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 1, max: 120, noNaN: true }),
        fc.constantFrom(2, 2.5, 3, 4),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 99 }),
        async (R, eta, concurrency, seed) => {
          const hb = new Hyperband({ maxResource: R, eta, inner: new RandomSampler({ seed }) });
          const trials = await lastValueFrom(
            hyperopt$({ space, sampler: hb, concurrency, ...quiet }, (_p: P, t) => ({ value: (t.i * 7919) % 13, state: t.i })).pipe(toArray()),
          );
          expect(trials).toHaveLength(hb.evaluations(space, 1));
          for (const b of hyperbandBrackets(R, eta)) {
            for (let k = 0; k < b.rungs.length; k++) {
              const rung = trials.filter((t) => t.bracket === b.s && t.rung === k);
              expect(rung).toHaveLength(b.rungs[k].size);
              expect(rung.every((t) => t.resources === b.rungs[k].resources)).toBe(true);
              if (k === 0) continue;
              const before = trials.filter((t) => t.bracket === b.s && t.rung === k - 1).sort((x, y) => x.value - y.value || x.i - y.i);
              expect(new Set(rung.map((t) => t.i))).toEqual(new Set(before.slice(0, b.rungs[k].size).map((t) => t.i)));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps every finished trial when the objective fails (onError: fail)', async () => {
    let calls = 0;
    const error = await hyperopt({ space, sampler: new Hyperband({ maxResource: 50, eta: 3 }), ...quiet }, (p: P, t) => {
      if (++calls === 30) throw new Error('diverged');
      return resumable(p, t);
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { ho: { trials: Trial[] } },
    );
    expect(error?.message).toBe('diverged');
    expect(error!.ho.trials).toHaveLength(30);
    expect(error!.ho.trials.filter((t) => t.status === 'ok')).toHaveLength(29);
    expect(error!.ho.trials.filter((t) => t.rung === 1).map((t) => t.status)).toEqual(['ok', 'ok', 'failed']); // rung 1 had begun
  });

  it('synchronous: no evaluation of rung k + 1 starts before every evaluation of rung k has finished', async () => {
    const events: string[] = [];
    await hyperopt({ space, sampler: new Hyperband({ maxResource: 27, eta: 3 }), concurrency: 4, ...quiet }, async (p: P, t) => {
      events.push(`start ${t.resources}`);
      await new Promise((resolve) => setTimeout(resolve, (t.i * 7) % 3));
      events.push(`end ${t.resources}`);
      return resumable(p, t);
    });
    // Within a bracket budgets only grow; a start at a larger budget comes after all ends of the smaller one.
    let open = 0;
    let level = -Infinity;
    for (const e of events) {
      const [kind, r] = e.split(' ');
      const resources = Number(r);
      if (kind === 'start') {
        if (resources !== level) {
          expect(open).toBe(0);
          level = resources;
        }
        open++;
      } else open--;
    }
  });

  it('draws from the inner sampler once per bracket, sized to its first rung, on demand, after each result', async () => {
    const subscriptions: { iterations: number | undefined; start: number; past: number }[] = [];
    const seenByInner: number[] = [];
    const spy: Sampler = {
      name: 'Spy',
      candidates(s: Space, ctx: SamplerContext): Observable<Candidate> {
        subscriptions.push({ iterations: ctx.iterations, start: ctx.start, past: ctx.past.length });
        ctx.results$.subscribe((t) => seenByInner.push(t.i));
        return new RandomSampler({ seed: 5 }).candidates(s, ctx);
      },
    };
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 50, eta: 3, inner: spy }), concurrency: 2, ...quiet }, resumable);
    expect(subscriptions.map((s) => s.iterations)).toEqual([27, 12, 6, 4]);
    expect(subscriptions.map((s) => s.start)).toEqual([0, 27, 39, 45]);
    // Each later bracket's inner sampler gets every earlier trial of the run as `past`.
    expect(subscriptions.map((s) => s.past)).toEqual([0, 40, 57, 65]);
    // While drawing rung 0 with 2 slots, the inner sampler saw results before the later draws.
    expect(seenByInner.length).toBeGreaterThan(0);
    expect(ho.trials).toHaveLength(69);
  });

  it('tells the progress display the planned evaluations, and every trial its bracket and rung', async () => {
    const totals: (number | undefined)[] = [];
    const shown: string[] = [];
    await hyperopt(
      {
        space,
        sampler: new Hyperband({ maxResource: 50, eta: 3 }),
        iterations: 2,
        progress: (info) => {
          totals.push(info.total);
          return { next: (t) => shown.push(`${t.bracket}/${t.rung}`) };
        },
      },
      resumable,
    );
    expect(totals).toEqual([138]);
    expect(shown).toHaveLength(138);
    expect(shown.slice(0, 28)).toEqual([...Array(27).fill('3/0'), '3/1']);
  });

  it('with a BOHB inner: 69 evaluations, then 138 continued (Hyperopt.jl test_BOHB)', async () => {
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 50, eta: 3, inner: new BOHB({ seed: 1 }) }), ...quiet }, resumable);
    expect(ho.trials).toHaveLength(69);
    await hyperopt({ space, ho, ...quiet }, resumable);
    expect(ho.trials).toHaveLength(138);
    expect(ho.minimum).toBeLessThan(0.1);
  });

  it('plain candidates(): emits the first rung of each bracket and completes', async () => {
    const all = await lastValueFrom(candidates(new Hyperband({ maxResource: 50, eta: 3, inner: new RandomSampler({ seed: 1 }) }), space, { iterations: 1 }).pipe(toArray()));
    expect(all.map((c) => c.bracket)).toEqual([...Array(27).fill(3), ...Array(12).fill(2), ...Array(6).fill(1), ...Array(4).fill(0)]);
    expect(all.every((c) => c.rung === 0)).toBe(true);
    const endless = await lastValueFrom(candidates(new Hyperband({ maxResource: 50 }), space).pipe(take(120), toArray()));
    expect(endless).toHaveLength(120);
  });

  it('rejects bad options with an ArgumentError before any objective runs', async () => {
    let calls = 0;
    await expect(hyperopt({ space, sampler: new Hyperband({ maxResource: 50 }), iterations: 0, ...quiet }, () => ++calls)).rejects.toThrow(ArgumentError);
    expect(() => hyperopt$({ space: { a: [] }, sampler: new Hyperband({ maxResource: 50 }), ...quiet }, () => ++calls)).toThrow(ArgumentError);
    expect(calls).toBe(0);
  });
});

describe('Hyperband, asynchronous (ASHA)', () => {
  it('evaluates at least the synchronous schedule, every promotion from the top 1/eta of its rung so far', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(2, 3, 4),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        async (R, eta, concurrency, seed) => {
          const hb = new Hyperband({ maxResource: R, eta, inner: new RandomSampler({ seed }), asynchronous: true });
          // The sampler's own view: each candidate as it decides it, each result as it receives it. A promotion is
          // judged against the results its rung had when it was decided, whenever the loop then starts it.
          const log: ({ start: number; resources: number } | { end: Trial })[] = [];
          const watched: Sampler = Object.assign(Object.create(hb) as Hyperband, {
            candidates: (s: Space, context: SamplerContext) =>
              hb
                .candidates(s, { ...context, results$: context.results$.pipe(tap((end) => log.push({ end }))) })
                .pipe(tap((c) => log.push({ start: c.i, resources: c.resources! }))),
          });
          const trials = await lastValueFrom(
            hyperopt$({ space, sampler: watched, concurrency, ...quiet }, async (p: P, t) => {
              await new Promise((resolve) => setTimeout(resolve, (t.i * 13) % 3));
              return resumable(p, t);
            }).pipe(toArray()),
          );
          const brackets = hyperbandBrackets(R, eta);
          const bracketOf = new Map(trials.map((t) => [t.i, brackets.find((b) => b.s === t.bracket)!]));
          // Li et al.: a rung k+1 has at least floor(|rung k| / eta) members at the end.
          for (const b of brackets) {
            const sizes = b.rungs.map((_, k) => trials.filter((t) => t.bracket === b.s && t.rung === k).length);
            expect(sizes[0]).toBe(b.n);
            for (let k = 1; k < sizes.length; k++) expect(sizes[k]).toBeGreaterThanOrEqual(Math.floor(sizes[k - 1] / eta));
          }
          expect(trials.length).toBeGreaterThanOrEqual(hyperbandEvaluations(R, eta));
          // Each promotion was in the top floor(|rung k| / eta) of the results rung k had when it started.
          const done: Trial[] = [];
          let inFlight = 0;
          for (const e of log) {
            if ('end' in e) {
              done.push(e.end);
              inFlight--;
              continue;
            }
            inFlight++;
            const b = bracketOf.get(e.start)!;
            const k = b.rungs.findIndex((r) => r.resources === e.resources);
            if (k === 0) continue;
            const rung = done.filter((t) => t.bracket === b.s && t.rung === k - 1).sort((x, y) => x.value - y.value);
            const top = rung.slice(0, Math.floor(rung.length / eta)).map((t) => t.i);
            expect(top).toContain(e.start);
          }
          expect(inFlight).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });
});
