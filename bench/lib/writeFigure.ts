import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SectionOptions } from './SectionOptions.js';
import { renderSvg } from '../../src/node/renderSvg.js';

/**
 * Renders a Vega-Lite spec to `<figures.dir>/<name>.svg` with the library's
 * own renderer and returns the markdown that shows it; without a figures
 * folder, a line saying why there is no figure.
 */
export async function writeFigure(opts: SectionOptions, name: string, title: string, spec: Record<string, unknown>): Promise<string> {
  if (!opts.figures) return `_(${title}: no figure folder given.)_`;
  const svg = await renderSvg({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec });
  mkdirSync(opts.figures.dir, { recursive: true });
  writeFileSync(join(opts.figures.dir, `${name}.svg`), svg);
  return `![${title}](${opts.figures.href}/${name}.svg)`;
}
