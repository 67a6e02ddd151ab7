import type { VegaLiteSpec } from '../plots/VegaLiteSpec.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { importOptional } from './internal/importOptional.js';
import { show } from '../base/check.js';

const PACKAGES = ['vega', 'vega-lite'];

/** The keys one of which makes a Vega-Lite view: a single mark, a layer, a composition or a repeat/facet. */
const VIEW_KEYS = ['mark', 'layer', 'concat', 'hconcat', 'vconcat', 'repeat', 'facet'];

/**
 * Renders a Vega-Lite spec (from `plot`, `convergencePlot`,
 * `resourcesPlot`, or your own) to SVG text, headless: no browser, canvas or
 * DOM. vega and vega-lite are optional peer dependencies, loaded on first
 * use: `npm install vega vega-lite`. A spec that is not a Vega-Lite view
 * (no mark, layer, concat, repeat or facet) or that Vega-Lite cannot compile
 * is an ArgumentError naming `spec`.
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
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  checkSpec(spec);
  // ESM-only packages: a dynamic import keeps them off the load path of everything else.
  // One after the other: they share modules, and concurrent loading trips Jest's ESM loader.
  const vegaLite = await importOptional('renderSvg', PACKAGES, () => import('vega-lite'));
  const vega = await importOptional('renderSvg', PACKAGES, () => import('vega'));
  let compiled: ReturnType<typeof vegaLite.compile>;
  try {
    compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]);
  } catch (error) {
    throw new ArgumentError('spec', `is not a valid Vega-Lite spec: ${error instanceof Error ? error.message : String(error)}`);
  }
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The shape Vega-Lite needs, checked before it is loaded: its own errors come from deep inside. */
function checkSpec(spec: unknown): void {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ArgumentError('spec', `must be a Vega-Lite spec object, got ${show(spec)}`);
  const s = spec as Record<string, unknown>;
  if (s.$schema !== undefined && typeof s.$schema !== 'string') throw new ArgumentError('spec.$schema', `must be a string, got ${show(s.$schema)}`);
  if (!VIEW_KEYS.some((key) => s[key] !== undefined)) {
    throw new ArgumentError('spec', `has none of ${VIEW_KEYS.join(', ')}: it is not a Vega-Lite view (plot, convergencePlot and resourcesPlot make one)`);
  }
  if (s.data !== undefined && (s.data === null || typeof s.data !== 'object' || Array.isArray(s.data))) {
    throw new ArgumentError('spec.data', `must be an object ({ values } or { url }), got ${show(s.data)}`);
  }
}
