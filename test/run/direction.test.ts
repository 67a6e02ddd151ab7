import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { lastValueFrom, map, range, timer, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  ArgumentError,
  asha,
  BOHB,
  candidates,
  CLHSampler,
  convergencePlot,
  evaluate,
  GPSampler,
  fromJSON,
  hyperband,
  Hyperband,
  hyperopt,
  hyperopt$,
  Hyperoptimizer,
  LHSampler,
  linrange,
  MedianPruner,
  prune,
  RandomSampler,
  successiveHalving,
  SuccessiveHalvingPruner,
  toHyperoptimizer,
  uniform,
  withPruner,
} from '../../src/index.js';
import type { Direction, Sampler, Trial } from '../../src/index.js';
import { hyperopt as nodeHyperopt } from '../../src/node.js';
import { loopSlice } from '../../src/run/internal/loopSlice.js';

const quiet = { progress: false } as const;
const space = { x: uniform(-3, 3), y: linrange(-2, 2, 41), k: ['a', 'b', 'c'] };
type P = { x: number; y: number; k: string };
/** A score to maximize (peak 10 at x = 1, y = -0.5, k = 'b'), never zero, so its negation is never -0. */
const score = ({ x, y, k }: P): number => 10 - (x - 1) ** 2 - 2 * (y + 0.5) ** 2 - (k === 'b' ? 0 : 0.75);
const loss = (p: P): number => -score(p);

/** What a run decided, without the values: the same for a maximize run of f and a minimize run of -f. */
const decisions = (trials: readonly Trial[]) =>
  trials.map(({ i, params, resources, bracket, rung, status, steps }) => ({ i, params, resources, bracket, rung, status, steps }));
/** The values, negated: a maximize run of f reports f, a minimize run of -f reports -f. */
const negated = (trials: readonly Trial[]) => trials.map((t) => -t.value);

async function mirrored(makeSampler: () => Sampler, iterations: number, concurrency = 1) {
  const up = await hyperopt({ space, iterations, sampler: makeSampler(), concurrency, direction: 'maximize', ...quiet }, score);
  const down = await hyperopt({ space, iterations, sampler: makeSampler(), concurrency, ...quiet }, loss);
  return { up, down };
}

describe("direction: 'maximize' is a minimize run of -f, for every sampler", () => {
  const families: [string, () => Sampler, number][] = [
    ['RandomSampler', () => new RandomSampler({ seed: 11 }), 30],
    ['LHSampler', () => new LHSampler({ seed: 11 }), 30],
    ['CLHSampler', () => new CLHSampler({ seed: 11 }), 30],
    ['BOHB', () => new BOHB({ seed: 11 }), 60],
    ['BOHB (hpbandster mode)', () => new BOHB({ seed: 11, mode: 'hpbandster' }), 60],
    ['GPSampler', () => new GPSampler({ seed: 11 }), 25],
    ['Hyperband + GPSampler', () => new Hyperband({ maxResource: 9, eta: 3, inner: new GPSampler({ seed: 11 }) }), 3],
    ['Hyperband + RandomSampler', () => new Hyperband({ maxResource: 27, eta: 3, inner: new RandomSampler({ seed: 11 }) }), 1],
    ['Hyperband + BOHB', () => new Hyperband({ maxResource: 27, eta: 3, inner: new BOHB({ seed: 11 }) }), 2],
    ['Hyperband (asynchronous) + BOHB', () => new Hyperband({ maxResource: 27, eta: 3, asynchronous: true, inner: new BOHB({ seed: 11 }) }), 1],
  ];
  for (const [name, makeSampler, iterations] of families) {
    for (const concurrency of [1, 4]) {
      it(`${name}, concurrency ${concurrency}: same params in the same order, values mirrored, best = max`, async () => {
        const { up, down } = await mirrored(makeSampler, iterations, concurrency);
        expect(up.trials.length).toBeGreaterThan(0);
        expect(decisions(up.trials)).toEqual(decisions(down.trials));
        expect(up.trials.map((t) => t.value)).toEqual(negated(down.trials));
        expect(up.direction).toBe('maximize');
        expect(down.direction).toBe('minimize');
        expect(up.best?.value).toBe(Math.max(...up.results));
        expect(up.best?.value).toBe(up.maximum);
        expect(up.best?.params).toEqual(down.best?.params);
      });
    }
  }

  it('BOHB really follows the direction: maximizing f finds a high score, minimizing f a low one', async () => {
    const up = await hyperopt({ space, iterations: 60, sampler: new BOHB({ seed: 5 }), direction: 'maximize', ...quiet }, score);
    const down = await hyperopt({ space, iterations: 60, sampler: new BOHB({ seed: 5 }), ...quiet }, score);
    // The first draws are the same (no model yet); the model then pulls the two runs apart, each its own way.
    expect(decisions(up.trials)).not.toEqual(decisions(down.trials));
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(up.results.slice(30))).toBeGreaterThan(mean(down.results.slice(30)) + 5);
  });

  it('Hyperband keeps the largest values at each rung under maximize', async () => {
    const ho = await hyperopt(
      { space, sampler: new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 2 }) }), direction: 'maximize', ...quiet },
      (p, { resources }) => score(p) + resources! / 100,
    );
    for (const rung of [0, 1]) {
      for (const bracket of new Set(ho.trials.filter((t) => t.rung === rung + 1).map((t) => t.bracket))) {
        const at = ho.trials.filter((t) => t.bracket === bracket && t.rung === rung);
        const promoted = new Set(ho.trials.filter((t) => t.bracket === bracket && t.rung === rung + 1).map((t) => t.i));
        const kept = at.filter((t) => promoted.has(t.i)).map((t) => t.value);
        const dropped = at.filter((t) => !promoted.has(t.i)).map((t) => t.value);
        expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...dropped));
      }
    }
  });

  it('the hyperband() function and hyperopt$ take it too', async () => {
    const objective = (p: P, { resources }: { resources?: number }) => score(p) * resources!;
    const up = await hyperband(objective, space, { maxResource: 9, inner: new RandomSampler({ seed: 4 }), direction: 'maximize', ...quiet });
    const down = await hyperband((p, c) => -objective(p, c), space, { maxResource: 9, inner: new RandomSampler({ seed: 4 }), ...quiet });
    expect(decisions(up.trials)).toEqual(decisions(down.trials));
    const stream = await lastValueFrom(hyperopt$({ space, iterations: 40, sampler: new BOHB({ seed: 3 }), direction: 'maximize', ...quiet }, score).pipe(toArray()));
    const { down: bohb } = await mirrored(() => new BOHB({ seed: 3 }), 40);
    expect(decisions(stream)).toEqual(decisions(bohb.trials));
  });

  it("the Node hyperopt passes it through (what the command line's --maximize uses)", async () => {
    const up = await nodeHyperopt({ space, iterations: 40, sampler: new BOHB({ seed: 8 }), direction: 'maximize', progress: false }, score);
    const down = await hyperopt({ space, iterations: 40, sampler: new BOHB({ seed: 8 }), ...quiet }, loss);
    expect(up.direction).toBe('maximize');
    expect(decisions(up.trials)).toEqual(decisions(down.trials));
  });
});

describe('pruners under maximize: the same prune decisions as minimizing -f', () => {
  /** A learning curve per configuration: accuracy rising with the epoch, to a level set by the params. */
  const curve = (p: P, sign: 1 | -1): Observable<number> => range(1, 27).pipe(map((epoch) => sign * (score(p) - 5 / epoch)));
  for (const [name, makePruner] of [
    ['MedianPruner', () => new MedianPruner({ startupTrials: 3 })],
    ['SuccessiveHalvingPruner', () => new SuccessiveHalvingPruner({ eta: 3 })],
  ] as const) {
    it(`${name} through withPruner in hyperopt`, async () => {
      const sampler = () => withPruner(new RandomSampler({ seed: 21 }), makePruner());
      const up = await hyperopt({ space, iterations: 40, sampler: sampler(), concurrency: 3, direction: 'maximize', ...quiet }, (p) => curve(p, 1));
      const down = await hyperopt({ space, iterations: 40, sampler: sampler(), concurrency: 3, ...quiet }, (p) => curve(p, -1));
      expect(decisions(up.trials)).toEqual(decisions(down.trials));
      expect(up.trials.map((t) => t.value)).toEqual(negated(down.trials));
      const pruned = up.trials.filter((t) => t.status === 'pruned');
      expect(pruned.length).toBeGreaterThan(5);
      // What it stopped scored lower than what it let finish: the low scores were pruned, not the high ones.
      const finished = up.trials.filter((t) => t.status === 'ok').map((t) => t.value);
      expect(Math.max(...finished)).toBeGreaterThan(Math.max(...pruned.map((t) => t.value)));
    });

    it(`${name} through prune(pruner, { direction }) and evaluate, outside a run`, async () => {
      const run = (direction: Direction | undefined, sign: 1 | -1) =>
        lastValueFrom(
          candidates(new RandomSampler({ seed: 9 }), space, { iterations: 30 }).pipe(
            prune(makePruner(), direction === undefined ? {} : { direction }),
            evaluate((p) => curve(p, sign)),
            toArray(),
          ),
        );
      const up = await run('maximize', 1);
      const down = await run(undefined, -1);
      expect(decisions(up)).toEqual(decisions(down));
      expect(up.filter((t) => t.status === 'pruned').length).toBeGreaterThan(5);
      // Without the option the rule would minimize the accuracy: other decisions.
      expect(decisions(await run(undefined, 1))).not.toEqual(decisions(up));
    });
  }
});

describe('successiveHalving and asha under maximize', () => {
  const realSlice = loopSlice.ms;
  beforeAll(() => {
    loopSlice.ms = Infinity;
  });
  afterAll(() => {
    loopSlice.ms = realSlice;
  });

  it('successiveHalving promotes the largest values', async () => {
    const run = (direction: Direction | undefined, sign: 1 | -1) =>
      lastValueFrom(
        candidates(new RandomSampler({ seed: 6 }), space, { iterations: 27 }).pipe(
          successiveHalving((p: P, { resources }) => sign * (score(p) + resources! / 100), { minResource: 1, eta: 3, ...(direction && { direction }) }),
          toArray(),
        ),
      );
    const up = await run('maximize', 1);
    expect(decisions(up)).toEqual(decisions(await run(undefined, -1)));
    const top = up.filter((t) => t.rung === 3);
    expect(top).toHaveLength(1);
    expect(top[0].params).toEqual(up.filter((t) => t.rung === 0).reduce((a, b) => (b.value > a.value ? b : a)).params);
  });

  it('asha (marble time, results out of order) makes the same promotions as minimizing -f', () => {
    const run = (direction: Direction | undefined, sign: 1 | -1): Trial[] => {
      let out: Trial[] = [];
      new TestScheduler((a, b) => expect(a).toEqual(b)).run(() => {
        candidates(new RandomSampler({ seed: 12 }), space, { iterations: 40 })
          .pipe(
            // Each evaluation takes a time set by its params, so results come back out of order.
            asha((p: P, { resources }) => timer(1 + (Math.round(p.y * 10) % 7) + (p.k.charCodeAt(0) % 3)).pipe(map(() => sign * (score(p) + resources! / 100))), {
              minResource: 1,
              maxResource: 9,
              eta: 3,
              concurrency: 4,
              ...(direction && { direction }),
            }),
            toArray(),
          )
          .subscribe((trials) => (out = trials));
      });
      return out;
    };
    const up = run('maximize', 1);
    expect(up.filter((t) => t.rung === 2).length).toBeGreaterThan(0);
    expect(decisions(up)).toEqual(decisions(run(undefined, -1)));
    expect(decisions(up)).not.toEqual(decisions(run(undefined, 1)));
  });
});

describe('the Hyperoptimizer under maximize', () => {
  const trials = (ho: Hyperoptimizer<{ a: number }>) => {
    for (const [a, value] of [
      [1, 0.5],
      [2, 0.9],
      [3, 0.1],
      [4, 0.9],
    ])
      ho.tell({ a }, value);
    ho.tell({ a: 5 }, NaN, { status: 'failed' });
    return ho;
  };
  const make = (direction?: Direction) => trials(new Hyperoptimizer({ space: { a: [1, 2, 3, 4, 5] }, iterations: 5, ...(direction && { direction }) }));

  it('best is the largest value (the first on ties); minimum and maximum keep their meaning', () => {
    const up = make('maximize');
    expect(up.best?.params).toEqual({ a: 2 });
    expect(up.minimum).toBe(0.1);
    expect(up.maximum).toBe(0.9);
    expect(make().best?.params).toEqual({ a: 3 });
  });

  it('printmax and printbest print the best, printmin the smallest value (documented: literal, whatever the direction)', () => {
    const up = make('maximize');
    const out = (f: (write: (s: string) => void) => void) => {
      let text = '';
      f((s) => (text += s));
      return text;
    };
    expect(out((w) => up.printmax(w))).toBe('a = 2\n');
    expect(out((w) => up.printbest(w))).toBe('a = 2\n');
    expect(out((w) => up.printmin(w))).toBe('a = 3\n');
    expect(out((w) => make().printbest(w))).toBe('a = 3\n');
    expect(up.toString()).toMatch(/maximizing/);
    expect(up.toString()).toMatch(/maximizer:\n {4}a = 2/);
    expect(make().toString()).toMatch(/minimizer:\n {4}a = 3/);
  });

  it('toJSON records it and fromJSON restores it; data without one is minimize', () => {
    const up = make('maximize');
    const json = JSON.parse(JSON.stringify(up)) as Record<string, unknown>;
    expect(json.direction).toBe('maximize');
    const again = fromJSON(json);
    expect(again.direction).toBe('maximize');
    expect(again.best?.params).toEqual({ a: 2 });
    const { direction: _, ...older } = json;
    expect(fromJSON(older).direction).toBe('minimize');
    expect(() => fromJSON({ ...json, direction: 'max' })).toThrow(expect.objectContaining({ option: 'json.direction' }));
  });

  it('a continued run keeps the direction of ho; another one is refused before any objective runs', async () => {
    const ho = await hyperopt({ space, iterations: 10, sampler: new RandomSampler({ seed: 1 }), direction: 'maximize', ...quiet }, score);
    await hyperopt({ ho, iterations: 5, ...quiet }, score);
    expect(ho.trials).toHaveLength(15);
    expect(ho.best?.value).toBe(ho.maximum);
    let ran = 0;
    const refused = hyperopt({ ho, iterations: 5, direction: 'minimize', ...quiet }, (p) => (ran++, score(p)));
    await expect(refused).rejects.toThrow(ArgumentError);
    await expect(refused).rejects.toMatchObject({ option: 'direction' });
    expect(ran).toBe(0);
  });

  it('a continued maximize run mirrors a continued minimize run of -f (the earlier trials reach the sampler as losses)', async () => {
    const twice = await hyperopt({ space, iterations: 25, sampler: new BOHB({ seed: 4 }), direction: 'maximize', ...quiet }, score);
    const down = await hyperopt({ space, iterations: 25, sampler: new BOHB({ seed: 4 }), ...quiet }, loss);
    await hyperopt({ ho: twice, iterations: 25, sampler: new BOHB({ seed: 4 }), ...quiet }, score);
    await hyperopt({ ho: down, iterations: 25, sampler: new BOHB({ seed: 4 }), ...quiet }, loss);
    expect(decisions(twice.trials)).toEqual(decisions(down.trials));
    expect(twice.trials).toHaveLength(50);
  });

  it('ask and tell: the iterator hands the sampler losses, so manual maximize mirrors manual minimize of -f', () => {
    const manual = (direction: Direction, f: (p: P) => number) => {
      const ho = new Hyperoptimizer<P>({ space, iterations: 40, sampler: new BOHB({ seed: 17 }), direction });
      for (const { params } of ho) ho.tell(params, f(params));
      return ho;
    };
    const up = manual('maximize', score);
    expect(up.trials).toHaveLength(40);
    expect(decisions(up.trials)).toEqual(decisions(manual('minimize', loss).trials));
    expect(decisions(up.trials)).not.toEqual(decisions(manual('minimize', score).trials));
    expect(up.best?.value).toBe(up.maximum);
  });

  it('toHyperoptimizer takes it', async () => {
    const ho = await lastValueFrom(
      candidates(new RandomSampler({ seed: 1 }), space, { iterations: 12 }).pipe(evaluate(score), toHyperoptimizer(space, { direction: 'maximize' })),
    );
    expect(ho.direction).toBe('maximize');
    expect(ho.best?.value).toBe(ho.maximum);
  });

  it('a progress display is told the direction, to show the best so far', async () => {
    const seen: Direction[] = [];
    await hyperopt({ space, iterations: 2, direction: 'maximize', progress: (info) => (seen.push(info.direction), {}) }, score);
    await hyperopt({ space, iterations: 2, progress: (info) => (seen.push(info.direction), {}) }, score);
    expect(seen).toEqual(['maximize', 'minimize']);
  });

  it('convergencePlot draws the best so far: the running maximum', async () => {
    const ho = await hyperopt({ space, iterations: 30, sampler: new RandomSampler({ seed: 3 }), direction: 'maximize', ...quiet }, score);
    const rows = (convergencePlot(ho).data as { values: { value?: number; best?: number }[] }).values;
    let best = -Infinity;
    for (const [k, row] of rows.entries()) {
      best = Math.max(best, ho.trials[k].value);
      expect(row.best).toBe(best);
    }
    expect(rows[rows.length - 1].best).toBe(ho.best?.value);
  });
});

describe('a bad direction is an ArgumentError naming direction, before anything runs', () => {
  const bad = ['max', 'Maximize', 1, true, {}];
  it.each(bad)('%p', async (direction) => {
    const d = direction as Direction;
    let ran = 0;
    const objective = (p: P) => (ran++, score(p));
    const named = expect.objectContaining({ option: 'direction' });
    await expect(hyperopt({ space, iterations: 3, direction: d, ...quiet }, objective)).rejects.toEqual(named);
    expect(() => hyperopt$({ space, iterations: 3, direction: d, ...quiet }, objective)).toThrow(named);
    await expect(hyperband(objective, space, { maxResource: 9, direction: d, ...quiet })).rejects.toEqual(named);
    expect(() => successiveHalving(objective, { minResource: 1, direction: d })).toThrow(named);
    expect(() => asha(objective, { minResource: 1, maxResource: 9, direction: d })).toThrow(named);
    expect(() => prune(new MedianPruner(), { direction: d })).toThrow(named);
    expect(() => new Hyperoptimizer({ space, iterations: 3, direction: d })).toThrow(named);
    expect(() => toHyperoptimizer(space, { direction: d })).toThrow(named);
    await expect(nodeHyperopt({ space, iterations: 3, direction: d, progress: false }, objective)).rejects.toEqual(named);
    expect(ran).toBe(0);
    expect(() => new Hyperoptimizer({ space, iterations: 3, direction: d })).toThrow(ArgumentError);
  });
});
