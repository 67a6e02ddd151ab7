import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from '../VegaLiteSpec.js';
import type { PlotFrame } from './checkPlot.js';

/** A one-view plot of layers over one data set: the schema, the optional title and the size every such plot here carries. */
export function layeredPlot({ title, width, height }: PlotFrame, values: readonly unknown[], layer: readonly object[]): VegaLiteSpec {
  return { $schema: VEGA_LITE_SCHEMA, ...(title === undefined ? {} : { title }), width, height, data: { values }, layer };
}
