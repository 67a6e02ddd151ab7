import type { Hyperoptimizer } from '../../../sinks/Hyperoptimizer.js';
import { parameterAxis, plotValue, type ParameterAxis } from '../../../plots/internal/parameterAxis.js';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from '../../../plots/VegaLiteSpec.js';

/**
 * Parallel coordinates of the finished trials as a Vega-Lite spec: one axis
 * per parameter and one for the value, each trial a line coloured by its
 * value. Each axis is scaled to [0, 1] here (log axes on their logarithm,
 * categories by candidate order), so the spec is long-form data and one
 * line mark, with no transform for Vega-Lite to get wrong on odd names.
 */
export function parallelCoordinates(ho: Hyperoptimizer): VegaLiteSpec {
  const axes = ho.params.map((k) => parameterAxis(ho.space[k]));
  const dims = [...ho.params, 'value'];
  const trials = ho.trials.filter((t) => t.status !== 'failed' && Number.isFinite(t.value));
  const columns = dims.map((name, j) => {
    const raw = trials.map((t) => (j < axes.length ? plotValue(axes[j], (t.params as Record<string, unknown>)[name]) : t.value));
    return { raw, pos: scaled(raw, j < axes.length ? axes[j] : { type: 'quantitative', scale: 'linear' }) };
  });
  const values: Record<string, unknown>[] = [];
  trials.forEach((t, k) => {
    dims.forEach((dim, j) => values.push({ trial: t.i, n: k, dim, pos: columns[j].pos[k], raw: columns[j].raw[k], loss: t.value }));
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: Math.max(360, 110 * dims.length),
    height: 260,
    data: { values },
    mark: { type: 'line', opacity: 0.55, strokeWidth: 1.4 },
    encoding: {
      x: { field: 'dim', type: 'nominal', sort: dims, title: null, axis: { labelAngle: 0, grid: true, domain: false, ticks: false } },
      y: { field: 'pos', type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
      detail: { field: 'n', type: 'nominal' },
      color: { field: 'loss', type: 'quantitative', title: 'value', scale: { scheme: 'viridis', reverse: true } },
      tooltip: [
        { field: 'trial', type: 'quantitative' },
        { field: 'dim', type: 'nominal', title: 'axis' },
        { field: 'raw', type: 'nominal', title: 'at' },
      ],
    },
    config: { view: { stroke: null } },
  };
}

/** Positions in [0, 1]: min-max on a number line (log10 on a log axis), category order for labels. */
function scaled(raw: readonly (number | string)[], axis: ParameterAxis): number[] {
  if (axis.type === 'nominal') {
    const last = Math.max(1, axis.labels.length - 1);
    return raw.map((v) => Math.max(0, axis.labels.indexOf(v as string)) / last);
  }
  const xs = raw.map((v) => (axis.scale === 'log' ? Math.log10(v as number) : (v as number)));
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return xs.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0.5));
}
