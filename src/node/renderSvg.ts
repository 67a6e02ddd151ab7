import type { VegaLiteSpec } from '../plots/VegaLiteSpec.js';
import { ArgumentError } from '../ArgumentError.js';
import { importOptional } from './internal/importOptional.js';

/**
 * Renders a Vega-Lite spec (from `plot`, `convergencePlot`,
 * `resourcesPlot`, or your own) to SVG text, headless: no browser, canvas or
 * DOM. vega and vega-lite are optional peer dependencies, loaded on first
 * use: `npm install vega vega-lite`.
 *
 * ## Example
 * ```ts
 * import { hyperopt, plot, linrange } from 'hyperopt-rx';
 * import { renderSvg } from 'hyperopt-rx/node';
 * import { writeFileSync } from 'node:fs';
 * const ho = await hyperopt({ space: { x: linrange(-2, 2, 101) }, iterations: 30 }, ({ x }) => x * x);
 * writeFileSync('plot.svg', await renderSvg(plot(ho)));
 * ```
 */
const PACKAGES = ['vega', 'vega-lite'];

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== 'object') throw new ArgumentError('spec', 'must be a Vega-Lite spec object');
  // ESM-only packages: a dynamic import keeps them off the load path of everything else.
  // One after the other: they share modules, and concurrent loading trips Jest's ESM loader.
  const vegaLite = await importOptional('renderSvg', PACKAGES, () => import('vega-lite'));
  const vega = await importOptional('renderSvg', PACKAGES, () => import('vega'));
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
