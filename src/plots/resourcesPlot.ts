import { ArgumentError } from '../base/ArgumentError.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { checkHo, checkPlotOptions, checkPlotSize } from './internal/checkPlot.js';
import { layeredPlot } from './internal/layeredPlot.js';
import type { VegaLiteSpec } from './VegaLiteSpec.js';

export interface ResourcesPlotOptions {
  /** @default 480 */
  readonly width?: number;
  /** @default 300 */
  readonly height?: number;
  /** @default none */
  readonly title?: string;
}

/**
 * Under Hyperband: each evaluation's value against its resources (log axis),
 * coloured by bracket, with a line joining the rungs of each promoted
 * configuration, so you see which configurations survived and how their
 * value changed with budget. An ArgumentError('ho') when no trial has
 * resources. Returns a Vega-Lite spec.
 *
 * ## Example
 * ```ts
 * import { hyperopt, resourcesPlot, Hyperband, linrange } from 'hyperopt-rx';
 * import { renderSvg } from 'hyperopt-rx/node';
 * const ho = await hyperopt({ space: { x: linrange(0, 1, 100) }, sampler: new Hyperband({ maxResource: 27 }) },
 *   ({ x }, { resources = 1 }) => ({ value: (x - 0.3) ** 2 + 1 / resources }));
 * const svg = await renderSvg(resourcesPlot(ho));
 * ```
 * @see plot
 */
export function resourcesPlot(ho: Hyperoptimizer, options: ResourcesPlotOptions = {}): VegaLiteSpec {
  checkHo(ho);
  checkPlotOptions('resourcesPlot', options, ['width', 'height', 'title']);
  const frame = checkPlotSize(options, 480, 300);
  const trials = ho.trials.filter((t) => t.resources !== undefined);
  if (trials.length === 0) throw new ArgumentError('ho', 'has no trial with resources: resourcesPlot is for Hyperband runs');
  const values = trials
    .filter((t) => t.status !== 'failed' && Number.isFinite(t.value))
    .map((t) => ({ trial: t.i, value: t.value, resources: t.resources, bracket: t.bracket === undefined ? 'none' : `s = ${t.bracket}`, rung: t.rung ?? 0, status: t.status }));
  const positive = values.every((v) => (v.resources as number) > 0);
  const x = { field: 'resources', type: 'quantitative', title: 'Resources', scale: positive ? { type: 'log', nice: false, padding: 16 } : { zero: false, padding: 12 } };
  const y = { field: 'value', type: 'quantitative', title: 'Function value', scale: { zero: false, padding: 8 } };
  const color = { field: 'bracket', type: 'nominal', title: 'Bracket' };
  return layeredPlot(frame, values, [
    {
      mark: { type: 'line', opacity: 0.35, strokeWidth: 1 },
      encoding: { x, y, color, detail: { field: 'trial', type: 'nominal' }, order: { field: 'resources', type: 'quantitative' } },
    },
    {
      mark: { type: 'point', filled: true, size: 36 },
      encoding: {
        x,
        y,
        color,
        shape: { field: 'status', type: 'nominal', title: 'Status' },
        tooltip: [{ field: 'trial' }, { field: 'resources' }, { field: 'rung' }, { field: 'value' }],
      },
    },
  ]);
}
