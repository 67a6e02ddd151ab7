import { describe, it, expect } from '@jest/globals';
import { defer, finalize, firstValueFrom, of, tap, throwError } from 'rxjs';
import { Hyperoptimizer, toHyperoptimizer, candidates, evaluate, RandomSampler, Hyperband, linrange, uniform, ArgumentError, hyperopt, fromJSON } from '../../src/index.js';
import type { Sampler, Trial } from '../../src/index.js';

const trial = (i: number, value: number, params: { a: number }, status: Trial['status'] = 'ok'): Trial<{ a: number }> => ({ i, params, value, status, durationMs: 0 });

describe('Hyperoptimizer manual mode (Hyperopt.jl "Manual")', () => {
  const space = { a: linrange(1, 2, 50), b: [true, false], c: Array.from({ length: 100 }, (_, k) => Math.sin(k)) };

  it('iterates `iterations` candidates from its sampler without recording anything', () => {
    const ho = new Hyperoptimizer({ space, iterations: 10 });
    const seen = [...ho];
    expect(seen).toHaveLength(10);
    expect(seen.map((c) => c.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const { params } of seen) {
      expect(space.a).toContain(params.a);
      expect(space.b).toContain(params.b);
    }
    expect(ho.trials).toHaveLength(0);
    expect(Array.from(ho)).toHaveLength(10);
  });

  it('records what tell says, with indices matching the iteration', () => {
    const ho = new Hyperoptimizer<{ a: number; b: boolean; c: number }>({ space, iterations: 20, sampler: new RandomSampler({ seed: 1 }) });
    for (const { i, params } of ho) {
      expect(i).toBe(ho.nextIndex);
      ho.tell(params, (params.a - 1.5) ** 2 + params.c);
    }
    expect(ho.history).toHaveLength(20);
    expect(ho.minimum).toBe(Math.min(...ho.results));
    expect(ho.best?.params).toBe(ho.minimizer);
  });

  it('a trial told as failed never becomes the minimum, maximum or best, whatever value it is told with; a pruned one does', () => {
    for (const direction of ['minimize', 'maximize'] as const) {
      const ho = new Hyperoptimizer({ space, iterations: 4, direction });
      const params = { a: 1.5, b: true, c: 0 };
      ho.tell(params, 5);
      ho.tell(params, 1, { status: 'failed' });
      ho.tell(params, 9, { status: 'failed' });
      expect([ho.minimum, ho.maximum, ho.best?.i, ho.best?.status]).toEqual([5, 5, 0, 'ok']);
      expect(ho.results).toEqual([5]);
      ho.tell(params, direction === 'minimize' ? 2 : 7, { status: 'pruned' });
      expect([ho.best?.i, ho.best?.status]).toEqual([3, 'pruned']);
    }
  });

  it('feeds told results to an adaptive sampler before its next draw', () => {
    const seenBeforeDraw: number[] = [];
    const adaptive: Sampler = {
      name: 'Adaptive',
      candidates: (space, ctx) =>
        defer(() => {
          let told = 0;
          const fit = ctx.results$.subscribe(() => told++);
          return new RandomSampler({ seed: 1 }).candidates(space, ctx).pipe(
            tap(() => seenBeforeDraw.push(told)),
            finalize(() => fit.unsubscribe()),
          );
        }),
    };
    const ho = new Hyperoptimizer({ space: { a: [1, 2, 3] }, iterations: 4, sampler: adaptive });
    for (const { params } of ho) ho.tell(params, params.a);
    expect(seenBeforeDraw).toEqual([0, 1, 2, 3]);
  });

  it("stops the sampler's run when the iteration is left early, and throws the sampler's error", () => {
    let stopped = 0;
    const tracked: Sampler = {
      name: 'Tracked',
      candidates: (space, ctx) => new RandomSampler({ seed: 2 }).candidates(space, ctx).pipe(finalize(() => stopped++)),
    };
    const ho = new Hyperoptimizer({ space: { a: [1, 2, 3] }, iterations: 10, sampler: tracked });
    for (const { params } of ho) {
      ho.tell(params, params.a);
      if (ho.trials.length === 2) break;
    }
    expect(stopped).toBe(1);
    // The next iteration goes on counting from the told trials.
    expect([...ho].map((c) => c.i)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const failing: Sampler = { name: 'Failing', candidates: () => throwError(() => new Error('no draw')) };
    expect(() => [...new Hyperoptimizer({ space: { a: [1, 2, 3] }, iterations: 3, sampler: failing })]).toThrow('no draw');
  });
});

describe('Hyperoptimizer manual mode under Hyperband', () => {
  it('yields every rung and matches told results to them by the candidate', () => {
    const ho = new Hyperoptimizer({
      space: { a: linrange(1, 5, 100) },
      iterations: 1,
      sampler: new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 1 }) }),
    });
    const resources: number[] = [];
    for (const candidate of ho) {
      resources.push(candidate.resources!);
      ho.tell(candidate.params, (candidate.params.a - 3) ** 2 / candidate.resources!, candidate);
    }
    expect(resources).toHaveLength(ho.plannedEvaluations);
    expect(ho.trials).toHaveLength(ho.plannedEvaluations);
    expect(Math.max(...resources)).toBe(9);
    expect(new Set(resources)).toEqual(new Set([1, 3, 9]));
  });

  it('ends when a result the sampler waits for is not told', () => {
    const ho = new Hyperoptimizer({ space: { a: linrange(1, 5, 100) }, iterations: 1, sampler: new Hyperband({ maxResource: 9, eta: 3 }) });
    const drawn = [...ho];
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(ho.plannedEvaluations);
    expect(drawn.every((c) => c.rung === 0)).toBe(true);
  });
});

describe('Hyperoptimizer state', () => {
  it('finds the first of tied minima and ignores NaN and failed trials', () => {
    const ho = new Hyperoptimizer({ space: { a: [1, 2, 3] }, iterations: 4 });
    ho.record(trial(0, NaN, { a: 1 }));
    ho.record(trial(1, 2, { a: 2 }));
    ho.record(trial(2, 2, { a: 3 }));
    ho.record(trial(3, 5, { a: 1 }, 'failed'));
    expect(ho.minimum).toBe(2);
    expect(ho.minimizer).toEqual({ a: 2 });
    expect(ho.best?.i).toBe(1);
    expect(ho.maximum).toBe(2); // the failed trial's 5 is not a measurement
    expect(ho.history).toHaveLength(3); // the failed trial is left out
    expect(ho.trials).toHaveLength(4);
  });

  it('keeps cached views in step with new trials', () => {
    const ho = new Hyperoptimizer({ space: { a: [1, 2, 3] }, iterations: 2 });
    ho.record(trial(0, 1, { a: 1 }));
    expect(ho.results).toEqual([1]);
    ho.record(trial(1, 0, { a: 2 }));
    expect(ho.results).toEqual([1, 0]);
    expect(ho.history).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('summarises itself like Hyperopt.jl show', async () => {
    const ho = await hyperopt(
      { space: { a: linrange(1, 5, 5), f: [Math.sin, Math.cos] }, iterations: 6, sampler: new RandomSampler({ seed: 2 }), progress: false },
      ({ a, f }) => a + f(a),
    );
    const text = ho.toString();
    expect(text).toContain('Hyperoptimizer with 2 parameters (a, f), RandomSampler');
    expect(text).toContain('trials:    6 of 6 planned (6 ok)');
    expect(text).toContain(`minimum:   ${ho.minimum}`);
    expect(text).toMatch(/minimizer:\n {4}a = [\d.]+\n {4}f = (sin|cos)/);
    expect(String(ho)).toBe(text);
  });

  it('serialises to plain JSON: vector values by index, range values by number', async () => {
    const space = { a: [10, 20, 30], x: uniform(0, 1), f: [Math.sin] };
    const ho = await hyperopt({ space, iterations: 3, sampler: new RandomSampler({ seed: 5 }), onError: 'skip', progress: false }, ({ a, x }, { i }) => {
      if (i === 2) throw new Error('bad');
      return a + x;
    });
    const json = JSON.parse(JSON.stringify(ho));
    expect(json.params).toEqual(['a', 'x', 'f']);
    expect(json.sampler).toEqual({ name: 'RandomSampler', seed: 5 });
    expect(json.space.x).toEqual({ kind: 'uniform', lo: 0, hi: 1 });
    expect(json.trials).toHaveLength(3);
    json.trials.forEach((t: { params: { a: { index: number }; x: number; f: { index: number } }; value: number | null }, k: number) => {
      expect(space.a[t.params.a.index]).toBe(ho.trials[k].params.a);
      expect(t.params.x).toBe(ho.trials[k].params.x);
      expect(t.params.f).toEqual({ index: 0 });
    });
    expect(json.trials[2]).toMatchObject({ status: 'failed', value: null, error: 'bad' });
  });

  it('round-trips through fromJSON, infinities, told strays and unserialisable states included', () => {
    const space = { a: [1, 2, 3], f: [Math.sin, Math.cos] };
    const ho = new Hyperoptimizer<{ a: number; f: (x: number) => number }>({ space, iterations: 4 });
    ho.tell({ a: 1, f: Math.sin }, Infinity);
    ho.tell({ a: 2, f: Math.cos }, -Infinity, { state: 10n });
    ho.tell({ a: 3, f: Math.sin }, 0.5);
    const again = fromJSON(JSON.parse(JSON.stringify(ho)), { space });
    expect(again.maximum).toBe(Infinity);
    expect(again.minimum).toBe(-Infinity);
    expect(again.history).toEqual(ho.history);
    expect(again.history[1].f).toBe(Math.cos);
  });

  it('validates its options', () => {
    expect(() => new Hyperoptimizer({ space: { a: [1] }, iterations: 0 })).toThrow(ArgumentError);
    expect(() => new Hyperoptimizer({ space: {}, iterations: 1 })).toThrow(/`space`/);
    expect(() => new Hyperoptimizer({ space: { a: [1] }, iterations: 1, sampler: 3 as never })).toThrow(/`sampler`/);
  });
});

describe('toHyperoptimizer', () => {
  it('emits one Hyperoptimizer when the source completes, fresh per subscription', async () => {
    const space = { a: [1, 2, 3, 4] };
    const pipeline$ = candidates(new RandomSampler({ seed: 3 }), space, { iterations: 10 }).pipe(
      evaluate(({ a }) => (a - 3) ** 2),
      toHyperoptimizer(space),
    );
    const ho = await firstValueFrom(pipeline$);
    const again = await firstValueFrom(pipeline$);
    expect(ho).not.toBe(again);
    expect(ho.trials).toHaveLength(10);
    expect(again.trials).toHaveLength(10);
    expect(ho.minimum).toBe(Math.min(...ho.results));
    expect(ho.iterations).toBe(10);
  });

  it('emits an empty optimizer for an empty source', async () => {
    const ho = await firstValueFrom(of<Trial>().pipe(toHyperoptimizer({ a: [1] })));
    expect(ho.trials).toHaveLength(0);
    expect(ho.minimum).toBeNaN();
  });
});
