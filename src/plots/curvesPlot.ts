import { ArgumentError } from '../base/ArgumentError.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { checkHo, checkPlotOptions, checkPlotSize } from './internal/checkPlot.js';
import { layeredPlot } from './internal/layeredPlot.js';
import { quantitativeScale } from './internal/quantitativeScale.js';
import { checkOneOf } from '../base/check.js';
import type { VegaLiteSpec } from './VegaLiteSpec.js';

export interface CurvesPlotOptions {
  /** @default 480 */
  readonly width?: number;
  /** @default 300 */
  readonly height?: number;
  /** 'log' for values spanning decades (all must be > 0). @default 'linear' */
  readonly yScale?: 'linear' | 'log';
  /** @default none */
  readonly title?: string;
}

/**
 * Learning curves: each trial's intermediate values (`trial.curve`, one per
 * step of a streaming objective) against the step, one line per trial,
 * coloured by status, so pruned trials show where they were stopped. An
 * ArgumentError('ho') when no trial has a curve. Returns a Vega-Lite spec.
 *
 * ## Example
 * ```ts
 * import { from } from 'rxjs';
 * import { hyperopt, curvesPlot, linrange } from 'hyperopt-rx';
 * import { renderSvg } from 'hyperopt-rx/node';
 * const ho = await hyperopt({ space: { lr: linrange(0.1, 1, 10) }, iterations: 8 }, ({ lr }) =>
 *   from([1, 2, 3, 4].map((epoch) => 1 / (1 + lr * epoch))));
 * const svg = await renderSvg(curvesPlot(ho));
 * ```
 * @see convergencePlot
 */
export function curvesPlot(ho: Hyperoptimizer, options: CurvesPlotOptions = {}): VegaLiteSpec {
  checkHo(ho);
  checkPlotOptions('curvesPlot', options, ['width', 'height', 'yScale', 'title']);
  const frame = checkPlotSize(options, 480, 300);
  const yScale = checkOneOf('yScale', options.yScale ?? 'linear', ['linear', 'log'] as const);
  const trials = ho.trials.filter((t) => t.curve !== undefined && t.curve.length > 0);
  if (trials.length === 0) throw new ArgumentError('ho', 'has no trial with a curve: curvesPlot is for streaming objectives (one value per step)');
  const values = trials.flatMap((t) =>
    t.curve!.flatMap((value, k) =>
      Number.isFinite(value) ? [{ trial: t.i, step: k + 1, value, status: t.status, ...(t.resources === undefined ? {} : { resources: t.resources }) }] : [],
    ),
  );
  const x = { field: 'step', type: 'quantitative', title: 'Step', scale: { zero: false } };
  const y = { field: 'value', type: 'quantitative', title: 'Function value', scale: quantitativeScale(yScale) };
  const color = { field: 'status', type: 'nominal', title: 'Status' };
  const trial = { field: 'trial', type: 'nominal' };
  const byTrial = trials.some((t) => t.resources !== undefined) ? [trial, { field: 'resources', type: 'quantitative' }] : trial;
  return layeredPlot(frame, values, [
    {
      // One line per trial (per evaluation under Hyperband, whose rungs restart the steps).
      mark: { type: 'line', opacity: 0.5, strokeWidth: 1 },
      encoding: {
        x,
        y,
        color,
        detail: byTrial,
        order: { field: 'step', type: 'quantitative' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 12 },
      encoding: { x, y, color, tooltip: [{ field: 'trial' }, { field: 'step' }, { field: 'value' }, { field: 'status' }] },
    },
  ]);
}
