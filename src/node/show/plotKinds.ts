import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import type { VegaLiteSpec } from '../../plots/VegaLiteSpec.js';
import { plot } from '../../plots/plot.js';
import { convergencePlot } from '../../plots/convergencePlot.js';
import { resourcesPlot } from '../../plots/resourcesPlot.js';
import { curvesPlot } from '../../plots/curvesPlot.js';

/** The plots `hyperopt-rx show --plot` draws, by `--kind`. */
export const PLOT_KINDS = {
  /** Each parameter against the value (`plot`). */
  params: plot,
  /** The value and the best so far against trials finished (`convergencePlot`). */
  convergence: convergencePlot,
  /** Under Hyperband: the value against resources, by bracket (`resourcesPlot`). */
  resources: resourcesPlot,
  /** Each trial's values against the step, one line per trial (`curvesPlot`). */
  curves: curvesPlot,
} satisfies Record<string, (ho: Hyperoptimizer) => VegaLiteSpec>;

export type PlotKind = keyof typeof PLOT_KINDS;
