import { describe, it, expect } from '@jest/globals';
import { Hyperoptimizer, RandomSampler, plot, convergencePlot, resourcesPlot, linrange, ArgumentError } from '../../src/index.js';
import { renderSvg } from '../../src/node/renderSvg.js';

function optionOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return (error as ArgumentError).option;
  }
  throw new Error('did not throw');
}

const ho = new Hyperoptimizer({ space: { x: linrange(1, 2, 11) }, iterations: 3, sampler: new RandomSampler({ seed: 1 }) });
ho.tell({ x: 1.5 }, 2, { resources: 1 });
ho.tell({ x: 1.2 }, 1, { resources: 3 });

describe('plot options', () => {
  it('unknown keys are refused (a typo is not a default)', () => {
    expect(optionOf(() => plot(ho, { widht: 300 } as never))).toBe('plot.widht');
    expect(optionOf(() => convergencePlot(ho, { ysclae: 'log' } as never))).toBe('convergencePlot.ysclae');
    expect(optionOf(() => resourcesPlot(ho, { columns: 2 } as never))).toBe('resourcesPlot.columns');
  });

  it('null options and a title that is not a string are ArgumentErrors', () => {
    expect(optionOf(() => plot(ho, null as never))).toBe('options');
    expect(optionOf(() => convergencePlot(ho, null as never))).toBe('options');
    expect(optionOf(() => resourcesPlot(ho, null as never))).toBe('options');
    expect(optionOf(() => plot(ho, { title: 5 } as never))).toBe('title');
    expect(plot(ho, { title: 'ok', width: 100 }).title).toBe('ok');
  });
});

describe('renderSvg refuses a bad spec, naming it, before vega runs', () => {
  it.each([
    ['null', null, 'spec'],
    ['an array', [], 'spec'],
    ['no view', { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: [] } }, 'spec'],
    ['a numeric $schema', { $schema: 5, mark: 'point' }, 'spec.$schema'],
    ['data not an object', { mark: 'point', data: 'rows' }, 'spec.data'],
    ['a mark vega-lite does not know', { mark: 'blob', data: { values: [{ a: 1 }] } }, 'spec'],
  ])('%s', async (_name, spec, option) => {
    const error = await renderSvg(spec as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe(option);
  });

  it('still renders a good spec', async () => {
    expect(await renderSvg(convergencePlot(ho))).toMatch(/^<svg/);
  });
});
