import { it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { explinrange } from '../../../src/space/explinrange.js';
import { cli, journalLines } from './runCli.js';
import { describeIf } from '../../helpers/requires.js';
import { PYTHON as python, pythonAvailable } from '../../helpers/externals.js';

// --maximize: a program that prints an accuracy is tuned towards the largest.
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-maximize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const accuracy = resolve('test/node/cli/fixtures/accuracy.py');
const lrs = explinrange(-4, 0, 9);
writeFileSync(join(dir, 'space.json'), JSON.stringify({ lr: { explinrange: [-4, 0, 9] }, depth: [2, 4, 8] }));

describeIf(
  pythonAvailable,
  'Python at /usr/bin/python3',
  'apt-get install python3',
)('hyperopt-rx run --maximize (Python)', () => {
  it('reports the largest accuracy as the best, records the direction, and without the flag the smallest', async () => {
    const results: Record<string, { best: number; values: number[] }> = {};
    for (const direction of ['maximize', 'minimize']) {
      const journal = join(dir, `${direction}.jsonl`);
      const flags = direction === 'maximize' ? ['--maximize'] : [];
      const r = await cli(
        ['run', '--space', 'space.json', '--iterations', '8', '--seed', '4', ...flags, '--journal', journal, '--no-progress', '--', python, accuracy, '{lr}', '{depth}'],
        dir,
      );
      expect({ direction, code: r.code, stderr: r.stderr }).toEqual({ direction, code: 0, stderr: '' });
      const lines = journalLines(readFileSync(journal, 'utf8'));
      const trials = lines.filter((l) => 'i' in l) as { i: number; value: number; params: { lr: { index: number }; depth: { index: number } } }[];
      const values = trials.map((t) => t.value);
      expect(values).toHaveLength(8);
      expect(lines.find((l) => l.kind === 'command')).toMatchObject({ direction });
      const best = Number(/best value: (\S+) /.exec(r.stdout)![1]);
      results[direction] = { best, values };
      // The parameters printed are the best trial's, in this direction.
      const bestTrial = trials.find((t) => t.value === best)!;
      expect(r.stdout).toContain(`best value: ${best} (trial ${bestTrial.i})\nlr = ${lrs[bestTrial.params.lr.index]}\ndepth = ${[2, 4, 8][bestTrial.params.depth.index]}\n`);
    }
    // The same seed draws the same configurations: only the direction decides which one is best.
    expect(results.maximize.values).toEqual(results.minimize.values);
    expect(results.maximize.best).toBe(Math.max(...results.maximize.values));
    expect(results.minimize.best).toBe(Math.min(...results.minimize.values));
    expect(results.maximize.best).toBeGreaterThan(results.minimize.best);
  }, 60_000);
});
