import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { table } from '../lib/markdown.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Minified and gzipped bytes of an esbuild browser bundle of `source`. */
async function bundleBytes(source: string, external: string[]): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The platform-neutral core as a browser bundle: everything it exports, and a typical import. Target: at most 40 KB gzipped. */
export async function run(_options: SectionOptions): Promise<string> {
  const cases = [
    { what: 'all of `hyperopt-rx` (`export *`)', source: "export * from './src/index.ts';" },
    { what: '`hyperopt`, `linrange`, `RandomSampler`', source: "export { hyperopt, linrange, RandomSampler } from './src/index.ts';" },
    { what: '`hyperopt`, `BOHB`, `Hyperband`', source: "export { hyperopt, BOHB, Hyperband } from './src/index.ts';" },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const own = await bundleBytes(c.source, ['rxjs']);
    const whole = await bundleBytes(c.source, []);
    rows.push([c.what, kb(own.minified), kb(own.gzipped), kb(whole.minified), kb(whole.gzipped)]);
  }
  return [
    '## Bundle size of the core',
    '',
    'esbuild (`--bundle --minify --platform=browser --format=esm`) over the source of `hyperopt-rx` (the platform-neutral',
    'core) and its dependencies (seedrandom, simple-statistics), gzip level 9. "Own" leaves rxjs out (a peer dependency:',
    'the application bundles it once for everything); "with rxjs" adds the parts of rxjs the core uses. Target: at most',
    '40 KB gzipped for the whole core with rxjs.',
    '',
    table(['entry', 'own, KB min', 'own, KB gzip', 'with rxjs, KB min', 'with rxjs, KB gzip'], rows),
  ].join('\n');
}
