import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { checkHo, checkPlotOptions, checkPlotSize } from './internal/checkPlot.js';
import { layeredPlot } from './internal/layeredPlot.js';
import { quantitativeScale } from './internal/quantitativeScale.js';
import { checkOneOf } from '../base/check.js';
import type { VegaLiteSpec } from './VegaLiteSpec.js';

export interface ConvergencePlotOptions {
  /** @default 480 */
  readonly width?: number;
  /** @default 260 */
  readonly height?: number;
  /** 'log' for values spanning decades (all must be > 0). @default 'linear' */
  readonly yScale?: 'linear' | 'log';
  /** @default none */
  readonly title?: string;
}

/**
 * Convergence: each trial's value (points) and the best value so far (a step
 * line: the lowest so far, or the highest under the optimizer's
 * `direction: 'maximize'`) against the number of trials finished, in finishing order. Failed
 * trials count as trials but have no point. Returns a Vega-Lite spec.
 *
 * ## Example
 * ```ts
 * import { hyperopt, convergencePlot, linrange } from 'hyperopt-rx';
 * import { renderSvg } from 'hyperopt-rx/node';
 * const ho = await hyperopt({ space: { x: linrange(-2, 2, 401) }, iterations: 40 }, ({ x }) => x * x);
 * const svg = await renderSvg(convergencePlot(ho));
 * ```
 * @see plot
 */
export function convergencePlot(ho: Hyperoptimizer, options: ConvergencePlotOptions = {}): VegaLiteSpec {
  checkHo(ho);
  checkPlotOptions('convergencePlot', options, ['width', 'height', 'yScale', 'title']);
  const frame = checkPlotSize(options, 480, 260);
  const yScale = checkOneOf('yScale', options.yScale ?? 'linear', ['linear', 'log'] as const);
  // Best so far in the direction of the run: compared as a loss (negated under 'maximize'), shown as the value.
  const sign = ho.direction === 'maximize' ? -1 : 1;
  let best = Infinity;
  const values: Record<string, unknown>[] = [];
  ho.trials.forEach((t, k) => {
    const ok = t.status !== 'failed' && Number.isFinite(t.value);
    if (ok && sign * t.value < best) best = sign * t.value;
    const row: Record<string, unknown> = { n: k + 1, trial: t.i };
    if (ok) row.value = t.value;
    if (best < Infinity) row.best = sign * best;
    values.push(row);
  });
  const y = { type: 'quantitative', scale: quantitativeScale(yScale) };
  const x = { field: 'n', type: 'quantitative', title: 'Trials finished', scale: { domainMin: 1 } };
  return layeredPlot(frame, values, [
    {
      transform: [{ filter: 'isValid(datum.value)' }],
      mark: { type: 'point', filled: true, size: 24, color: '#9aa5b1', opacity: 0.8 },
      encoding: { x, y: { ...y, field: 'value', title: 'Function value' }, tooltip: [{ field: 'trial' }, { field: 'value' }] },
    },
    {
      transform: [{ filter: 'isValid(datum.best)' }],
      mark: { type: 'line', interpolate: 'step-after', color: '#e45756', strokeWidth: 2 },
      encoding: { x, y: { ...y, field: 'best', title: 'Function value' } },
    },
  ]);
}
