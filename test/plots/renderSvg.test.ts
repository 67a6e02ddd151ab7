import { describe, it, expect } from '@jest/globals';
import { hyperopt } from '../../src/run/hyperopt.js';
import { plot } from '../../src/plots/plot.js';
import { convergencePlot } from '../../src/plots/convergencePlot.js';
import { resourcesPlot } from '../../src/plots/resourcesPlot.js';
import { renderSvg } from '../../src/node/renderSvg.js';
import { Hyperoptimizer } from '../../src/sinks/Hyperoptimizer.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';

/** The drawn symbols of one mark group in vega's SVG. */
function symbols(svg: string, group: string): number {
  const m = new RegExp(`<g class="mark-symbol role-mark ${group}"[^>]*>(.*?)</g>`).exec(svg);
  return m ? (m[1].match(/<path/g) ?? []).length : -1;
}
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderSvg', () => {
  it('renders plot(ho) headless: a point per finished trial per panel, labelled and log axes', async () => {
    const ho = await hyperopt(
      { space: { a: linrange(1, 5, 100), b: [true, false], c: explinrange(-1, 3, 100) }, iterations: 30, sampler: new RandomSampler({ seed: 3 }), progress: false },
      ({ a, b, c }) => (a - 3) ** 2 + (b ? 1 : 2) + Math.log10(c) ** 2,
    );
    const svg = await renderSvg(plot(ho));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>$/);
    for (const j of [0, 1, 2]) {
      expect(symbols(svg, `concat_${j}_layer_0_marks`)).toBe(30);
      expect(symbols(svg, `concat_${j}_layer_1_marks`)).toBe(1); // the minimum, in red
    }
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['a', 'b', 'c', 'Function value', 'true', 'false']));
    // c's log axis is labelled at the decades inside the sampled range.
    const cs = ho.trials.map((t) => t.params.c);
    const decades = [0.1, 1, 10, 100, 1000].filter((d) => d >= Math.min(...cs) && d <= Math.max(...cs));
    expect(decades.length).toBeGreaterThanOrEqual(2);
    expect(labels).toEqual(expect.arrayContaining(decades.map((d) => d.toLocaleString('en-US'))));
  });

  it('renders the convergence and resources plots', async () => {
    const ho = new Hyperoptimizer({ space: { x: linrange(0, 1, 5) }, iterations: 1 });
    [
      [0, 1, 0.9],
      [1, 1, 0.4],
      [2, 1, 0.7],
      [1, 3, 0.2],
      [1, 9, 0.1],
    ].forEach(([i, resources, value], k) => ho.record({ i, params: { x: 0.25 * i }, value, status: 'ok', resources, bracket: 2, rung: k < 3 ? 0 : k - 2, durationMs: 0 }));
    const conv = await renderSvg(convergencePlot(ho));
    expect(symbols(conv, 'layer_0_marks')).toBe(5);
    expect(conv).toContain('class="mark-line role-mark layer_1_marks"');
    expect(texts(conv)).toEqual(expect.arrayContaining(['Trials finished', 'Function value']));
    const res = await renderSvg(resourcesPlot(ho));
    expect(symbols(res, 'layer_1_marks')).toBe(5);
    expect(texts(res)).toEqual(expect.arrayContaining(['Resources', 'Bracket', 's = 2']));
  });

  it('rejects what is not a spec', async () => {
    await expect(renderSvg(null as never)).rejects.toThrow(/`spec` must be a Vega-Lite spec/);
  });
});
