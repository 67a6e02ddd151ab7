import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { checkHo, checkPlotOptions, checkPlotSize } from './internal/checkPlot.js';
import { quantitativeScale } from './internal/quantitativeScale.js';
import { checkOneOf, checkPositiveInteger } from '../base/check.js';
import { parameterAxis, plotValue } from './internal/parameterAxis.js';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './VegaLiteSpec.js';

export interface PlotOptions {
  /** Width of each panel in pixels. @default 220 */
  readonly width?: number;
  /** Height of each panel in pixels. @default 180 */
  readonly height?: number;
  /** Panels per row. @default 3 */
  readonly columns?: number;
  /** 'log' for values spanning decades (all must be > 0). @default 'linear' */
  readonly yScale?: 'linear' | 'log';
  /** A title above the panels. @default none */
  readonly title?: string;
}

/**
 * What was tried, as Hyperopt.jl's `plot(ho)` draws it: one scatter per
 * parameter of the function value against that parameter. Log-spaced
 * candidates (`explinrange`, `logUniform`) get a log axis; non-numeric
 * candidates (booleans, strings, functions) a labelled axis in candidate
 * order. The best trial (`ho.best`: the minimum, or the maximum under
 * `direction: 'maximize'`) is drawn in red; under Hyperband the points are coloured
 * by resources. Failed trials and NaN values are left out. Returns a
 * Vega-Lite spec (plain JSON): `renderSvg` from `hyperopt-rx/node` draws it.
 *
 * ## Example
 * ```ts
 * import { hyperopt, plot, linrange, explinrange } from 'hyperopt-rx';
 * import { renderSvg } from 'hyperopt-rx/node';
 * const ho = await hyperopt({ space: { a: linrange(1, 5, 100), c: explinrange(-1, 3, 100) }, iterations: 50 },
 *   ({ a, c }) => (a - 3) ** 2 + Math.log10(c) ** 2);
 * const svg = await renderSvg(plot(ho)); // write it to plot.svg, or embed the spec with vega-embed in a page
 * ```
 * @see convergencePlot
 * @see resourcesPlot
 */
export function plot(ho: Hyperoptimizer, options: PlotOptions = {}): VegaLiteSpec {
  checkHo(ho);
  checkPlotOptions('plot', options, ['width', 'height', 'columns', 'yScale', 'title']);
  const { width, height } = checkPlotSize(options, 220, 180);
  const columns = checkPositiveInteger('columns', options.columns ?? 3);
  const yScale = checkOneOf('yScale', options.yScale ?? 'linear', ['linear', 'log'] as const);
  const axes = ho.params.map((k) => parameterAxis(ho.space[k]));
  const best = ho.best;
  const withResources = ho.trials.some((t) => t.resources !== undefined);
  const values = ho.trials
    .filter((t) => t.status !== 'failed' && Number.isFinite(t.value))
    .map((t) => {
      const row: Record<string, unknown> = { trial: t.i, value: t.value, best: t === best };
      if (t.resources !== undefined) row.resources = t.resources;
      // Fields by position: parameter names may hold dots or brackets, which Vega-Lite reads as paths.
      ho.params.forEach((k, j) => (row[`p${j}`] = plotValue(axes[j], (t.params as Record<string, unknown>)[k])));
      return row;
    });
  const panels = ho.params.map((name, j) => {
    const axis = axes[j];
    const x =
      axis.type === 'quantitative'
        ? { field: `p${j}`, type: 'quantitative', title: name, scale: quantitativeScale(axis.scale) }
        : { field: `p${j}`, type: 'nominal', title: name, scale: { domain: axis.labels }, axis: { labelAngle: 0 } };
    const y = {
      field: 'value',
      type: 'quantitative',
      title: 'Function value',
      scale: quantitativeScale(yScale),
    };
    const tooltip = [
      { field: 'trial', type: 'quantitative', title: 'trial' },
      { field: `p${j}`, type: axis.type, title: name },
      { field: 'value', type: 'quantitative', title: 'value' },
    ];
    return {
      width,
      height,
      layer: [
        {
          mark: { type: 'point', filled: true, opacity: 0.7, size: 30 },
          encoding: {
            x,
            y,
            tooltip,
            ...(withResources ? { color: { field: 'resources', type: 'ordinal', title: 'resources', scale: { scheme: 'viridis' } } } : { color: { value: '#4c78a8' } }),
          },
        },
        {
          transform: [{ filter: 'datum.best' }],
          mark: { type: 'point', filled: true, size: 90, color: '#e45756' },
          encoding: { x, y, tooltip },
        },
      ],
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.title === undefined ? {} : { title: options.title }),
    data: { values },
    columns: Math.min(columns, panels.length),
    concat: panels,
    config: { view: { stroke: '#ddd' } },
  };
}
