import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingPackageError } from '../../MissingPackageError.js';

/** One file the page loads: its body and content type. */
export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

const PACKAGES = ['vega', 'vega-lite', 'vega-embed'];
const JS = 'text/javascript; charset=utf-8';

/**
 * The page and every script it loads, read once from this package and from
 * the installed vega, vega-lite and vega-embed browser builds: the
 * dashboard works with no network (no CDN). Missing packages are a
 * MissingPackageError naming the install.
 */
export function pageAssets(feature: string): ReadonlyMap<string, Asset> {
  const page = fileURLToPath(new URL('../page/', import.meta.url));
  const require = createRequire(import.meta.url);
  const build = (name: string): string => {
    try {
      // Each package's entry sits in its build folder, beside the minified browser bundle.
      return dirname(require.resolve(name));
    } catch (error) {
      throw new MissingPackageError(feature, PACKAGES, { cause: error });
    }
  };
  const file = (path: string, type: string): Asset => ({ body: readFileSync(path), type });
  return new Map([
    ['index.html', file(join(page, 'index.html'), 'text/html; charset=utf-8')],
    ['dashboard.js', file(join(page, 'dashboard.js'), JS)],
    ['dashboard.css', file(join(page, 'dashboard.css'), 'text/css; charset=utf-8')],
    ['vega.js', file(join(build('vega'), 'vega.min.js'), JS)],
    ['vega-lite.js', file(join(build('vega-lite'), 'vega-lite.min.js'), JS)],
    ['vega-embed.js', file(join(build('vega-embed'), 'vega-embed.min.js'), JS)],
  ]);
}
