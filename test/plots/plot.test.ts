import { describe, it, expect } from '@jest/globals';
import { hyperopt } from '../../src/run/hyperopt.js';
import { plot } from '../../src/plots/plot.js';
import { convergencePlot } from '../../src/plots/convergencePlot.js';
import { resourcesPlot } from '../../src/plots/resourcesPlot.js';
import { curvesPlot } from '../../src/plots/curvesPlot.js';
import { Hyperoptimizer } from '../../src/sinks/Hyperoptimizer.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import { uniform } from '../../src/space/uniform.js';
import { logUniform } from '../../src/space/logUniform.js';
import { intUniform } from '../../src/space/intUniform.js';

type Layer = {
  mark: { type: string };
  encoding: Record<string, { field?: string; type?: string; title?: string; scale?: { type?: string; domain?: string[] } }>;
  transform?: { filter: string }[];
};
type Panel = { layer: Layer[] };
type Spec = { $schema: string; data: { values: Record<string, unknown>[] }; concat: Panel[]; columns: number; layer: Layer[] };

const space = {
  a: linrange(1, 5, 50),
  b: [true, false],
  c: explinrange(-1, 3, 50),
  'd.e': uniform(0, 1),
  lr: logUniform(1e-4, 1e-1),
  n: intUniform(1, 8),
  act: ['relu', 'tanh', 'gelu'],
  g: [Math.sin, Math.cos],
};
type P = { a: number; b: boolean; c: number; 'd.e': number; lr: number; n: number; act: string; g: (x: number) => number };
const f = (p: P) => (p.a - 3) ** 2 + (p.b ? 1 : 2) + Math.log10(p.c) ** 2 + p['d.e'] + p.g(p.n) + p.act.length;

describe('plot', () => {
  it('draws one point scatter per parameter, value against parameter, as Hyperopt.jl does', async () => {
    const ho = await hyperopt({ space, iterations: 40, sampler: new RandomSampler({ seed: 1 }), onError: 'skip', progress: false }, (p, { i }) => {
      if (i === 5) throw new Error('failed trials are left out');
      return f(p);
    });
    const spec = plot(ho) as unknown as Spec;
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.concat).toHaveLength(8);
    expect(spec.columns).toBe(3);
    expect(spec.data.values).toHaveLength(39);
    const names = Object.keys(space);
    spec.concat.forEach((panel, j) => {
      const [points, best] = panel.layer;
      expect(points.mark.type).toBe('point');
      expect(points.encoding.x.title).toBe(names[j]);
      expect(points.encoding.x.field).toBe(`p${j}`); // by position: "d.e" would read as a path
      expect(points.encoding.y).toMatchObject({ field: 'value', type: 'quantitative', title: 'Function value' });
      expect(best.transform).toEqual([{ filter: 'datum.best' }]);
    });
    const x = (j: number) => spec.concat[j].layer[0].encoding.x;
    // Log axes where the candidates are log-spaced; linear for even grids and uniform ranges.
    expect([0, 2, 3, 4, 5].map((j) => [x(j).type, x(j).scale?.type ?? 'linear'])).toEqual([
      ['quantitative', 'linear'],
      ['quantitative', 'log'],
      ['quantitative', 'linear'],
      ['quantitative', 'log'],
      ['quantitative', 'linear'],
    ]);
    // Non-numeric candidates on a labelled axis, in candidate order.
    expect(x(1)).toMatchObject({ type: 'nominal', scale: { domain: ['true', 'false'] } });
    expect(x(6)).toMatchObject({ type: 'nominal', scale: { domain: ['relu', 'tanh', 'gelu'] } });
    expect(x(7)).toMatchObject({ type: 'nominal', scale: { domain: ['sin', 'cos'] } });
    // Rows carry what the trials did; exactly one is marked as the minimum.
    const ok = ho.trials.filter((t) => t.status === 'ok');
    expect(spec.data.values.map((r) => r.value)).toEqual(ok.map((t) => t.value));
    expect(spec.data.values.map((r) => r.p1)).toEqual(ok.map((t) => String(t.params.b)));
    expect(spec.data.values.map((r) => r.p7)).toEqual(ok.map((t) => (t.params.g as () => unknown).name));
    expect(spec.data.values.filter((r) => r.best).map((r) => r.trial)).toEqual([ho.best!.i]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain JSON
  });

  it('colours by resources under Hyperband, and checks its options', () => {
    const ho = new Hyperoptimizer({ space: { x: linrange(0, 1, 5) }, iterations: 3 });
    ho.record({ i: 0, params: { x: 0 }, value: 1, status: 'ok', resources: 1, bracket: 1, rung: 0, durationMs: 0 });
    ho.record({ i: 0, params: { x: 0 }, value: 0.5, status: 'ok', resources: 3, bracket: 1, rung: 1, durationMs: 0 });
    const spec = plot(ho) as unknown as Spec;
    expect(spec.concat[0].layer[0].encoding.color).toMatchObject({ field: 'resources', type: 'ordinal' });
    expect(() => plot(ho, { width: 0 })).toThrow(ArgumentError);
    expect(() => plot(ho, { yScale: 'cubic' as never })).toThrow(/`yScale` must be 'linear' or 'log'/);
    expect(() => plot({} as never)).toThrow(/`ho` must be a Hyperoptimizer/);
  });
});

describe('convergencePlot', () => {
  it('draws each value and the best so far as a step line, in finishing order', () => {
    const ho = new Hyperoptimizer({ space: { x: [1, 2, 3] }, iterations: 5 });
    const values = [5, 7, NaN, 2, 3];
    values.forEach((v, i) => ho.record({ i, params: { x: 1 }, value: v, status: i === 2 ? 'failed' : 'ok', durationMs: 0 }));
    const spec = convergencePlot(ho, { yScale: 'log' }) as unknown as Spec;
    const [points, line] = spec.layer;
    expect(points.mark.type).toBe('point');
    expect(line.mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
    expect(points.encoding.y.scale).toMatchObject({ type: 'log' });
    expect(spec.data.values).toEqual([
      { n: 1, trial: 0, value: 5, best: 5 },
      { n: 2, trial: 1, value: 7, best: 5 },
      { n: 3, trial: 2, best: 5 },
      { n: 4, trial: 3, value: 2, best: 2 },
      { n: 5, trial: 4, value: 3, best: 2 },
    ]);
  });
});

describe('resourcesPlot', () => {
  it('draws value against resources on a log axis, by bracket, joining the rungs of each configuration', () => {
    const ho = new Hyperoptimizer({ space: { x: linrange(0, 1, 5) }, iterations: 1 });
    const rec = (i: number, resources: number, value: number, bracket: number, rung: number) =>
      ho.record({ i, params: { x: 0.25 * (i % 5) }, value, status: 'ok', resources, bracket, rung, durationMs: 0 });
    rec(0, 1, 0.9, 1, 0);
    rec(1, 1, 0.4, 1, 0);
    rec(2, 1, 0.7, 1, 0);
    rec(1, 3, 0.2, 1, 1);
    rec(3, 3, 0.5, 0, 0);
    const spec = resourcesPlot(ho) as unknown as Spec;
    const [lines, points] = spec.layer;
    expect(lines.mark.type).toBe('line');
    expect(lines.encoding.detail).toEqual({ field: 'trial', type: 'nominal' });
    expect(points.mark.type).toBe('point');
    expect(points.encoding.x).toMatchObject({ field: 'resources', scale: { type: 'log' } });
    expect(points.encoding.color).toMatchObject({ field: 'bracket', type: 'nominal' });
    expect(spec.data.values.map((r) => [r.trial, r.resources, r.bracket])).toEqual([
      [0, 1, 's = 1'],
      [1, 1, 's = 1'],
      [2, 1, 's = 1'],
      [1, 3, 's = 1'],
      [3, 3, 's = 0'],
    ]);
    const plain = new Hyperoptimizer({ space: { x: [1] }, iterations: 1 });
    plain.tell({ x: 1 }, 1);
    expect(() => resourcesPlot(plain)).toThrow(/`ho` has no trial with resources/);
  });
});

describe('curvesPlot', () => {
  it("draws each trial's step values as a line, by status, leaving out non-finite values", () => {
    const ho = new Hyperoptimizer({ space: { x: linrange(0, 1, 5) }, iterations: 1 });
    ho.record({ i: 0, params: { x: 0 }, value: 0.2, status: 'ok', steps: 3, curve: [0.9, 0.5, 0.2], durationMs: 0 });
    ho.record({ i: 1, params: { x: 0.25 }, value: 0.8, status: 'pruned', steps: 2, curve: [NaN, 0.8], durationMs: 0 });
    ho.record({ i: 2, params: { x: 0.5 }, value: 0.4, status: 'ok', durationMs: 0 }); // no curve: not drawn
    const spec = curvesPlot(ho, { title: 'curves' }) as unknown as Spec & { title: string };
    const [lines, points] = spec.layer;
    expect(spec.title).toBe('curves');
    expect(lines.mark.type).toBe('line');
    expect(lines.encoding.detail).toEqual({ field: 'trial', type: 'nominal' });
    expect(points.encoding.x).toMatchObject({ field: 'step', title: 'Step' });
    expect(points.encoding.color).toMatchObject({ field: 'status', type: 'nominal' });
    expect(spec.data.values.map((r) => [r.trial, r.step, r.value, r.status])).toEqual([
      [0, 1, 0.9, 'ok'],
      [0, 2, 0.5, 'ok'],
      [0, 3, 0.2, 'ok'],
      [1, 2, 0.8, 'pruned'],
    ]);
    const plain = new Hyperoptimizer({ space: { x: [1] }, iterations: 1 });
    plain.tell({ x: 1 }, 1);
    expect(() => curvesPlot(plain)).toThrow(/`ho` has no trial with a curve/);
    expect(() => curvesPlot(ho, { yScale: 'ln' } as never)).toThrow(/yScale/);
  });

  it('under Hyperband, keeps the evaluations of one configuration apart (their steps restart at each rung)', () => {
    const ho = new Hyperoptimizer({ space: { x: linrange(0, 1, 5) }, iterations: 1 });
    ho.record({ i: 0, params: { x: 0 }, value: 0.5, status: 'ok', resources: 1, curve: [0.5], steps: 1, durationMs: 0 });
    ho.record({ i: 0, params: { x: 0 }, value: 0.3, status: 'ok', resources: 3, curve: [0.6, 0.4, 0.3], steps: 3, durationMs: 0 });
    const spec = curvesPlot(ho) as unknown as Spec;
    expect(spec.layer[0].encoding.detail).toEqual([
      { field: 'trial', type: 'nominal' },
      { field: 'resources', type: 'quantitative' },
    ]);
    expect(spec.data.values.map((r) => [r.resources, r.step])).toEqual([
      [1, 1],
      [3, 1],
      [3, 2],
      [3, 3],
    ]);
  });
});
