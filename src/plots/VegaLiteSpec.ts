/**
 * A Vega-Lite specification as plain JSON. Render it with `renderSvg` from
 * `hyperopt-rx/node`, or in a browser with vega-embed; the specs here use
 * Vega-Lite v6 and need nothing but the data they carry.
 */
export interface VegaLiteSpec {
  readonly $schema: string;
  readonly [key: string]: unknown;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
