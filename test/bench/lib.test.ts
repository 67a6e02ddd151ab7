import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { bestSoFar } from '../../bench/lib/bestSoFar.js';
import { incumbentRegret, type Evaluation } from '../../bench/lib/incumbentRegret.js';
import { fmt, ratio, table } from '../../bench/lib/markdown.js';
import { median } from '../../bench/lib/median.js';
import { bestEvaluatedRegret, pruningRegret, type EpochEvaluation } from '../../bench/lib/pruningRegret.js';
import { PYTHON } from '../../bench/lib/anchor.js';
import { itWithOptuna } from '../helpers/itWithOptuna.js';

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5], 5],
  ])('should give the middle of %j: %d', (xs, m) => expect(median(xs)).toBe(m));

  it('should be NaN for no values and leave its input unsorted', () => {
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('bestSoFar', () => {
  it('should keep the running minimum, ignoring NaN', () => {
    expect(bestSoFar([5, 7, NaN, 3, 4, 1])).toEqual([5, 5, 5, 3, 3, 1]);
    expect(bestSoFar([NaN])).toEqual([Infinity]);
  });
});

describe('incumbentRegret', () => {
  // [i, budget, noisy, test]; fStar -16
  const evals: Evaluation[] = [
    [0, 9, -14, -10], // a lucky low-budget value
    [1, 9, -12, -12],
    [2, 27, -11, -11], // higher budget: becomes the incumbent though its noisy loss is worse
    [3, 27, -13, -13], // same budget, lower noisy loss: replaces it
    [4, 9, -15, -15], // lower budget: ignored
  ];

  it('should follow the largest budget first, then the lowest noisy loss', () => {
    expect(incumbentRegret(evals, [9, 18, 45, 72, 81], -16)).toEqual([6, 6, 5, 3, 3]);
  });

  it('should count an evaluation only once its whole budget is spent', () => {
    expect(incumbentRegret(evals, [0, 8, 17, 44], -16)).toEqual([NaN, NaN, 6, 6]);
  });
});

describe('pruningRegret', () => {
  // fStar 1
  const evals: EpochEvaluation[] = [
    { epochs: 3, complete: false, noisy: 0.5, clean: 1.5 }, // pruned: never the incumbent, however low its loss
    { epochs: 10, complete: true, noisy: 2.2, clean: 2 },
    { epochs: 10, complete: true, noisy: 2.1, clean: 2.5 }, // lower noisy loss: the incumbent, though worse without noise
    { epochs: 1, complete: false, noisy: 1, clean: 1.1 },
    { epochs: 10, complete: true, noisy: 2.3, clean: 1.2 },
  ];

  it('should follow the complete evaluation with the lowest noisy loss, counted once its epochs are spent', () => {
    expect(pruningRegret(evals, [0, 3, 12, 13, 22, 23, 34], 1)).toEqual([NaN, NaN, NaN, 1, 1, 1.5, 1.5]);
  });

  it('should give NaN beyond the epochs the run spent', () => {
    expect(pruningRegret(evals, [34, 35, 100], 1)).toEqual([1.5, NaN, NaN]);
  });
});

describe('bestEvaluatedRegret', () => {
  // fStar 1
  it('should take the lowest noise-free loss over complete evaluations only, whatever their noisy loss', () => {
    const evals: EpochEvaluation[] = [
      { epochs: 3, complete: false, noisy: 0.5, clean: 1.1 }, // pruned: does not count, though the best
      { epochs: 10, complete: true, noisy: 2.1, clean: 2.5 }, // the incumbent (lowest noisy loss)
      { epochs: 10, complete: true, noisy: 2.3, clean: 1.25 }, // the best evaluated
    ];
    expect(bestEvaluatedRegret(evals, 1)).toBe(0.25);
    expect(pruningRegret(evals, [23], 1)).toEqual([1.5]);
  });

  it('should be NaN without a complete evaluation', () => {
    expect(bestEvaluatedRegret([], 1)).toBeNaN();
    expect(bestEvaluatedRegret([{ epochs: 1, complete: false, noisy: 1, clean: 1 }], 1)).toBeNaN();
  });
});

describe('markdown', () => {
  it('should format ordinary magnitudes plainly and extremes with an exponent', () => {
    expect(fmt(0.39794497427, 4)).toBe('0.3979');
    expect(fmt(123456, 3)).toBe('123000');
    expect(fmt(5.76e-5, 3)).toBe('5.76e-5');
    expect(fmt(NaN)).toBe('n/a');
    expect(fmt(0)).toBe('0');
  });

  it('should give ratios as ours ÷ anchor, n/a without both', () => {
    expect(ratio(1, 4)).toBe('0.25×');
    expect(ratio(1, 0)).toBe('n/a');
    expect(ratio(NaN, 1)).toBe('n/a');
  });

  it('should right-align numeric columns only', () => {
    expect(
      table(
        ['name', 'µs'],
        [
          ['a', '1.5'],
          ['b', '20'],
        ],
      ),
    ).toBe('| name | µs |\n| --- | ---: |\n| a | 1.5 |\n| b | 20 |');
  });
});

describe('Optuna anchor (bench/optuna/anchor.py)', () => {
  itWithOptuna('should reproduce reference.json in its Python port (its start-up self-test)', () => {
    const run = spawnSync(PYTHON, ['bench/optuna/anchor.py', '{"jobs": []}'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ results: [] });
  });

  itWithOptuna('should run a seeded job the same way twice', () => {
    const job = JSON.stringify({ problem: 'hyperoptjl', sampler: 'tpe', seeds: [1, 2], trials: 15 });
    const bests = [0, 1].map(() => {
      const out = JSON.parse(spawnSync(PYTHON, ['bench/optuna/anchor.py', job], { encoding: 'utf8' }).stdout);
      return out.results[0].seeds.map((s: { best: number[] }) => s.best);
    });
    expect(bests[0]).toEqual(bests[1]);
    expect(bests[0][0]).toHaveLength(15);
  });
});
