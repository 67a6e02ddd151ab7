import { describe, it, expect, beforeEach, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { hyperopt } from '../../src/node/hyperopt.js';
import { journal } from '../../src/node/journal.js';
import { loadJournal } from '../../src/node/loadJournal.js';
import { hyperopt$ } from '../../src/run/hyperopt$.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { BOHB } from '../../src/samplers/BOHB.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { linrange } from '../../src/space/linrange.js';
import { uniform } from '../../src/space/uniform.js';
import type { Objective } from '../../src/trial/Objective.js';
import type { Sampler } from '../../src/samplers/Sampler.js';
import type { Trial } from '../../src/trial/Trial.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-journal-direction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let file = '';
beforeEach(() => {
  file = join(dir, `run-${n++}.jsonl`);
});

const space = { x: uniform(-3, 3), y: linrange(-2, 2, 41), k: ['a', 'b', 'c'] };
type P = { x: number; y: number; k: string };
/** An accuracy-like score to maximize, never zero. */
const score = ({ x, y, k }: P): number => 10 - (x - 1) ** 2 - 2 * (y + 0.5) ** 2 - (k === 'b' ? 0 : 0.75);
const quiet = { progress: false } as const;
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const sorted = (ts: readonly Trial[]) =>
  [...ts]
    .sort((a, b) => a.i - b.i || (a.resources ?? 0) - (b.resources ?? 0))
    .map(({ i, params, value, status, resources, rung }) => ({ i, params, value, status, resources, rung }));

describe('the journal under maximize', () => {
  it('records the direction in the header; loadJournal gives it back, with best the largest value', async () => {
    const ho = await hyperopt({ space, iterations: 12, sampler: new RandomSampler({ seed: 1 }), direction: 'maximize', journal: file, ...quiet }, score);
    expect(lines(file)[0]).toMatchObject({ format: 'hyperopt-rx journal', direction: 'maximize' });
    const loaded = await loadJournal(file, { space });
    expect(loaded.direction).toBe('maximize');
    expect(loaded.best?.value).toBe(ho.maximum);
    expect(loaded.best?.params).toEqual(ho.best?.params);
  });

  it('a minimize run records minimize; a journal from before the option loads as minimize', async () => {
    await hyperopt({ space, iterations: 3, sampler: new RandomSampler({ seed: 1 }), journal: file, ...quiet }, score);
    expect(lines(file)[0]).toMatchObject({ direction: 'minimize' });
    const older = lines(file).map((l) => {
      const { direction: _, ...rest } = l;
      return rest;
    });
    writeFileSync(file, older.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect((await loadJournal(file, { space })).direction).toBe('minimize');
  });

  it('a resume in the other direction is refused with an ArgumentError naming direction, before any objective runs or line is written', async () => {
    await hyperopt({ space, iterations: 5, sampler: new RandomSampler({ seed: 2 }), direction: 'maximize', journal: file, ...quiet }, score);
    const before = readFileSync(file, 'utf8');
    let ran = 0;
    const resumed = hyperopt({ space, iterations: 10, direction: 'minimize', journal: file, ...quiet }, (p) => (ran++, score(p)));
    await expect(resumed).rejects.toMatchObject({ name: 'ArgumentError', option: 'direction' });
    await expect(resumed).rejects.toThrow(/'maximize'/);
    expect(ran).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // And the other way round: a minimize journal refuses maximize.
    const other = join(dir, 'minimize.jsonl');
    await hyperopt({ space, iterations: 3, sampler: new RandomSampler({ seed: 2 }), journal: other, ...quiet }, score);
    await expect(hyperopt({ space, iterations: 6, direction: 'maximize', journal: other, ...quiet }, score)).rejects.toMatchObject({ option: 'direction' });
  });

  it('the journal() operator records it and refuses to append a run of the other direction', async () => {
    const sampler = new RandomSampler({ seed: 3 });
    await lastValueFrom(hyperopt$({ space, sampler, iterations: 4, direction: 'maximize', ...quiet }, score).pipe(journal(file, { space, sampler, direction: 'maximize' })));
    expect(lines(file)[0]).toMatchObject({ direction: 'maximize' });
    await lastValueFrom(hyperopt$({ space, sampler, iterations: 2, direction: 'maximize', ...quiet }, score).pipe(journal(file, { space, sampler, direction: 'maximize' })));
    expect(lines(file).find((l) => 'run' in l)?.run).toMatchObject({ direction: 'maximize' });
    const refused = lastValueFrom(hyperopt$({ space, sampler, iterations: 2, ...quiet }, score).pipe(journal(file, { space, sampler })));
    await expect(refused).rejects.toMatchObject({ option: 'direction' });
    expect(() => journal(file, { space, direction: 'up' as never })).toThrow(expect.objectContaining({ option: 'direction' }));
    expect((await loadJournal(file, { space })).direction).toBe('maximize');
  });

  describe('resume after a crash: the same trials as one uninterrupted maximize run', () => {
    async function crashAndResume(make: () => Sampler, iterations: number | undefined, objective: Objective<P>, crashAt: number, resumeDirection?: 'maximize') {
      const whole = await hyperopt({ space, iterations, sampler: make(), direction: 'maximize', ...quiet }, objective);
      const controller = new AbortController();
      let calls = 0;
      await hyperopt({ space, iterations, sampler: make(), direction: 'maximize', journal: file, signal: controller.signal, ...quiet }, (p, ctx) => {
        if (++calls === crashAt) controller.abort();
        return objective(p, ctx);
      });
      const onDisk = lines(file).filter((l) => 'i' in l).length;
      expect(onDisk).toBe(crashAt - 1);
      let evaluated = 0;
      // No sampler given: the journal's is rebuilt; no direction given (or the same): the journal's goes on.
      const resumed = await hyperopt({ space, iterations, journal: file, ...(resumeDirection && { direction: resumeDirection }), ...quiet }, (p, ctx) => {
        evaluated++;
        return objective(p, ctx);
      });
      expect(resumed.direction).toBe('maximize');
      expect(sorted(resumed.trials)).toEqual(sorted(whole.trials));
      expect(evaluated).toBe(whole.trials.length - onDisk);
      expect(resumed.best?.value).toBe(whole.best?.value);
      return { whole, resumed };
    }

    it('BOHB refits on the recorded results as losses (direction left out on resume)', async () => {
      await crashAndResume(
        () => new BOHB({ seed: 8 }),
        40,
        (p) => score(p),
        31,
      );
    });

    it('BOHB, direction given again on resume', async () => {
      await crashAndResume(
        () => new BOHB({ seed: 9 }),
        40,
        (p) => score(p),
        27,
        'maximize',
      );
    });

    it('Hyperband mid-bracket: the same promotions (the largest values) as one run', async () => {
      const objective: Objective<P> = (p, { resources, state }) => {
        const epochs = ((state as number | undefined) ?? 0) + (resources ?? 0);
        return { value: score(p) - 1 / epochs, state: epochs };
      };
      const { resumed } = await crashAndResume(() => new Hyperband({ maxResource: 9, eta: 3, inner: new BOHB({ seed: 3 }) }), 2, objective, 30);
      expect(resumed.trials).toHaveLength(44);
    });

    it('a larger iterations afterwards starts a new run line that keeps the direction', async () => {
      const sampler = new BOHB({ seed: 12 });
      await hyperopt({ space, iterations: 15, sampler, direction: 'maximize', journal: file, ...quiet }, score);
      const more = await hyperopt({ space, iterations: 30, journal: file, ...quiet }, score);
      expect(lines(file).find((l) => 'run' in l)?.run).toMatchObject({ direction: 'maximize', start: 15 });
      const twice = await hyperopt({ space, iterations: 15, sampler: new BOHB({ seed: 12 }), direction: 'maximize', ...quiet }, score);
      const ho = await hyperopt({ ho: twice, iterations: 15, sampler: new BOHB({ seed: 12 }), ...quiet }, score);
      expect(sorted(more.trials)).toEqual(sorted(ho.trials));
    });
  });
});
