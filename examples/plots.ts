// Hyperopt.jl's README example, then its plots as SVG files: plot(ho) (one scatter per parameter) and convergence.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// In your project: specs from 'hyperopt-rx' (plot, convergencePlot, resourcesPlot), SVG from 'hyperopt-rx/node'.
import { hyperopt, linrange, explinrange, RandomSampler, plot, convergencePlot } from '../src/index.js';
import { renderSvg } from '../src/node.js';

const f = (a: number, b: boolean, c: number) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;
const ho = await hyperopt(
  { space: { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) }, iterations: 200, sampler: new RandomSampler({ seed: 2026 }), progress: false },
  ({ a, b, c }) => f(a, b, c),
);

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'hyperopt-rx-plots-'));
const files = {
  'plot.svg': await renderSvg(plot(ho, { title: 'Hyperopt.jl example, 200 random trials' })),
  'convergence.svg': await renderSvg(convergencePlot(ho, { yScale: 'log' })),
};
for (const [name, svg] of Object.entries(files)) {
  if (!svg.startsWith('<svg')) throw new Error(`${name} did not render`);
  writeFileSync(join(dir, name), svg);
  console.log(`wrote ${join(dir, name)} (${svg.length} bytes)`);
}
