import { describe, it, expect, beforeEach, afterAll, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, from, map, range, toArray } from 'rxjs';
import { hyperopt } from '../../src/node/hyperopt.js';
import { journal } from '../../src/node/journal.js';
import { loadJournal } from '../../src/node/loadJournal.js';
import { hyperopt$ } from '../../src/run/hyperopt$.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import { uniform } from '../../src/space/uniform.js';
import { logUniform } from '../../src/space/logUniform.js';
import type { Trial } from '../../src/trial/Trial.js';
import type { Sampler } from '../../src/samplers/Sampler.js';
import { LHSampler } from '../../src/samplers/LHSampler.js';
import { CLHSampler } from '../../src/samplers/CLHSampler.js';
import { BOHB } from '../../src/samplers/BOHB.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import type { Objective } from '../../src/trial/Objective.js';
import { withPruner } from '../../src/multifidelity/withPruner.js';
import { MedianPruner } from '../../src/multifidelity/MedianPruner.js';
import { loopSlice } from '../../src/run/internal/loopSlice.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let file = '';
beforeEach(() => {
  file = join(dir, `run-${n++}.jsonl`);
});

const square = (x: number) => x * x;
const space = { a: linrange(1, 5, 50), b: [true, false], c: explinrange(-1, 3, 50), d: uniform(0, 1), e: logUniform(1e-4, 1e-1) };
const f = ({ a, b, c, d, e }: { a: number; b: boolean; c: number; d: number; e: number }) => (a - 3) ** 2 + (b ? 1 : 2) + Math.log10(c) + d + e;
const quiet = { progress: false } as const;
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const view = (t: Trial) => ({ i: t.i, params: t.params, value: t.value, status: t.status });

describe('journal', () => {
  it('writes a header and one line per trial: vector values by index, ranges by value', async () => {
    const ho = await hyperopt({ space, iterations: 12, sampler: new RandomSampler({ seed: 3 }), journal: file, ...quiet }, f);
    const [header, ...trials] = lines(file);
    expect(header).toMatchObject({ format: 'hyperopt-rx journal', version: 1, sampler: { name: 'RandomSampler', seed: 3 }, iterations: 12 });
    expect(header.space).toEqual({
      a: { length: 50, values: space.a },
      b: { length: 2, values: [true, false] },
      c: { length: 50, values: space.c },
      d: { kind: 'uniform', lo: 0, hi: 1 },
      e: { kind: 'logUniform', lo: 1e-4, hi: 1e-1 },
    });
    expect(trials).toHaveLength(12);
    ho.trials.forEach((t, k) => {
      expect(trials[k]).toMatchObject({ i: t.i, value: t.value, status: 'ok' });
      expect(trials[k].params).toEqual({
        a: { index: space.a.indexOf(t.params.a) },
        b: { index: space.b.indexOf(t.params.b) },
        c: { index: space.c.indexOf(t.params.c) },
        d: t.params.d,
        e: t.params.e,
      });
    });
  });

  it('round-trips: loadJournal gives back the same trials, errors, NaN and state', async () => {
    const ho = await hyperopt(
      { space: { x: linrange(-1, 1, 11), g: [Math.sin, Math.cos] }, iterations: 9, sampler: new RandomSampler({ seed: 5 }), onError: 'skip', journal: file, ...quiet },
      ({ x, g }, { i }) => {
        if (i === 2) throw new Error('boom');
        if (i === 3) return NaN;
        return { value: g(x), state: { epoch: i, weights: [x, 2 * x] } };
      },
    );
    const back = await loadJournal(file, { space: { x: linrange(-1, 1, 11), g: [Math.sin, Math.cos] } });
    expect(back.trials.map(view)).toEqual(ho.trials.map(view));
    expect(back.trials.map((t) => t.state)).toEqual(ho.trials.map((t) => t.state));
    expect(back.trials[2].status).toBe('failed');
    expect((back.trials[2].error as Error).message).toBe('boom');
    expect(back.trials[3].value).toBeNaN();
    // The very function objects come back when the space is given.
    expect([Math.sin, Math.cos]).toContain(back.minimizer!.g);
    expect(back.minimum).toBe(ho.minimum);
    expect(back.sampler.toJSON?.()).toEqual({ name: 'RandomSampler', seed: 5 });
    // Without the space, plain values are rebuilt from the header; functions only by name.
    const plain = await loadJournal(file);
    expect(plain.trials.map((t) => t.params.x)).toEqual(ho.trials.map((t) => t.params.x));
    expect(plain.trials.map((t) => t.params.g)).toEqual(ho.trials.map((t) => `function ${t.params.g.name}`));
  });

  it("records a streaming objective's curve, NaN and infinities included, and loads it back", async () => {
    const curveOf = (x: number) => [Infinity, 1 + x, NaN, -Infinity, x];
    const ho = await hyperopt({ space: { x: linrange(0, 1, 11) }, iterations: 4, sampler: new RandomSampler({ seed: 2 }), journal: file, ...quiet }, ({ x }) =>
      from(curveOf(x)),
    );
    expect(ho.trials.map((t) => t.curve)).toEqual(ho.trials.map((t) => curveOf(t.params.x)));
    // On disk: NaN as null, the infinities as strings, as a trial's value.
    const first = lines(file).find((l) => l.i === 0)!;
    expect(first.curve).toEqual(['Infinity', 1 + ho.trials[0].params.x, null, '-Infinity', ho.trials[0].params.x]);
    expect(first.steps).toBe(5);
    const back = await loadJournal(file);
    expect(back.trials.map((t) => [t.steps, t.curve])).toEqual(ho.trials.map((t) => [5, curveOf(t.params.x)]));
    // A damaged curve is named in the error.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"curve":["Infinity"', '"curve":["soon"'));
    await expect(loadJournal(file)).rejects.toThrow(/curve/);
  });

  it('works as a sink on hyperopt$ and appends to an existing journal', async () => {
    const s = { x: linrange(-2, 2, 41) };
    const sampler = new RandomSampler({ seed: 11 });
    const first = await firstValueFrom(hyperopt$({ space: s, sampler, iterations: 4, ...quiet }, ({ x }) => square(x)).pipe(journal(file, { space: s, sampler }), toArray()));
    const second = await firstValueFrom(hyperopt$({ space: s, sampler, iterations: 3, ...quiet }, ({ x }) => square(x)).pipe(journal(file, { space: s, sampler }), toArray()));
    const all = lines(file);
    expect(all.map((l) => Object.keys(l)[0])).toEqual(['format', 'i', 'i', 'i', 'i', 'run', 'i', 'i', 'i']);
    const back = await loadJournal(file);
    expect(back.trials.map((t) => t.value)).toEqual([...first, ...second].map((t) => t.value));
  });

  it('as a sink, journals the failed trial that errors the stream (onError: "fail")', async () => {
    const s = { x: [1, 2, 3] };
    const sampler = new RandomSampler({ seed: 4 });
    const failing$ = hyperopt$({ space: s, sampler, iterations: 5, ...quiet }, ({ x }, { i }) => {
      if (i === 3) throw new Error('objective broke');
      return x;
    }).pipe(journal(file, { space: s, sampler }));
    await expect(firstValueFrom(failing$.pipe(toArray()))).rejects.toThrow('objective broke');
    const trials = lines(file).slice(1);
    expect(trials.map((t) => [t.i, t.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
      [2, 'ok'],
      [3, 'failed'],
    ]);
  });

  it('resumes a RandomSampler run: the rerun does what is left and draws what one run would have', async () => {
    const sampler = new RandomSampler({ seed: 42 });
    const whole = await hyperopt({ space, iterations: 30, sampler, ...quiet }, f);
    // Stop during the 11th trial, as a crash would: it was in flight, so 10 are on disk.
    const controller = new AbortController();
    let calls = 0;
    await hyperopt({ space, iterations: 30, sampler, journal: file, signal: controller.signal, ...quiet }, (p) => {
      if (++calls === 11) controller.abort();
      return f(p);
    });
    expect(lines(file)).toHaveLength(1 + 10);
    const seen: number[] = [];
    const resumed = await hyperopt({ space, iterations: 30, journal: file, ...quiet }, (p, { i }) => (seen.push(i), f(p)));
    expect(seen).toEqual(Array.from({ length: 20 }, (_, k) => 10 + k)); // nothing evaluated twice
    expect(resumed.trials.map(view)).toEqual(whole.trials.map(view));
    expect(resumed.sampler.toJSON?.()).toEqual({ name: 'RandomSampler', seed: 42 }); // seed taken from the journal
    // A finished journal: nothing more to do.
    let more = 0;
    const again = await hyperopt({ space, iterations: 30, journal: file, ...quiet }, (p) => (more++, f(p)));
    expect(more).toBe(0);
    expect(again.trials).toHaveLength(30);
    // A larger iterations extends it.
    const extended = await hyperopt({ space, iterations: 32, journal: file, ...quiet }, f);
    expect(extended.trials.map((t) => t.i)).toEqual(Array.from({ length: 32 }, (_, k) => k));
    expect(lines(file).filter((l) => 'i' in l)).toHaveLength(32);
  });

  it('resumes a run that used a fresh random seed (no seed given): the seed comes from the journal', async () => {
    const controller = new AbortController();
    let calls = 0;
    await hyperopt({ space, iterations: 10, journal: file, signal: controller.signal, ...quiet }, (p) => {
      if (++calls === 4) controller.abort();
      return f(p);
    });
    const seed = (lines(file)[0].sampler as { seed: number }).seed;
    const resumed = await hyperopt({ space, iterations: 10, journal: file, ...quiet }, f);
    const whole = await hyperopt({ space, iterations: 10, sampler: new RandomSampler({ seed }), ...quiet }, f);
    expect(resumed.trials.map(view)).toEqual(whole.trials.map(view));
  });

  it('keeps the failed trial that stopped an onError: "fail" run', async () => {
    await expect(
      hyperopt({ space: { x: [1, 2, 3] }, iterations: 5, sampler: new RandomSampler({ seed: 1 }), journal: file, ...quiet }, (_p, { i }) => {
        if (i === 2) throw new Error('disk on fire');
        return i;
      }),
    ).rejects.toThrow('disk on fire');
    const trials = lines(file).slice(1);
    expect(trials.map((t) => [t.i, t.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
      [2, 'failed'],
    ]);
    expect(trials[2].error).toBe('disk on fire');
  });

  it('keeps the trials that finished while the loop was paused when a trial fails then (onError: "fail")', async () => {
    // At 0 ms every look at the clock pauses the loop: the first trial to finish starts a pause, the next ones finish in it.
    const realSlice = loopSlice.ms;
    loopSlice.ms = 0;
    try {
      const settle: ((value: number) => void)[] = [];
      const objective = (_p: { x: number }, { i }: { i: number }): Promise<number> => {
        if (i < 2) return new Promise((resolve) => (settle[i] = resolve));
        settle[0](0);
        settle[1](1);
        return Promise.reject(new Error('boom'));
      };
      await expect(
        hyperopt({ space: { x: [1, 2, 3] }, iterations: 5, concurrency: 3, sampler: new RandomSampler({ seed: 1 }), journal: file, ...quiet }, objective),
      ).rejects.toThrow('boom');
    } finally {
      loopSlice.ms = realSlice;
    }
    const trials = lines(file).slice(1);
    expect(trials.map((t) => [t.i, t.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
      [2, 'failed'],
    ]);
  });

  it('skips a truncated last line with a warning, and the next line starts clean', async () => {
    const sampler = new RandomSampler({ seed: 9 });
    await hyperopt({ space, iterations: 5, sampler, journal: file, ...quiet }, f);
    appendFileSync(file, '{"i":5,"params":{"a":{"ind');
    const warnings: string[] = [];
    const back = await loadJournal(file, { space, onWarning: (m) => warnings.push(m) });
    expect(back.trials).toHaveLength(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/truncated last line 7/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const resumed = await hyperopt({ space, iterations: 8, journal: file, ...quiet }, f);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([warnings[0]]); // hyperopt warns on console by default
    warn.mockRestore();
    expect(resumed.trials.map((t) => t.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(readFileSync(file, 'utf8')).not.toContain('"ind\n');
    const whole = await hyperopt({ space, iterations: 8, sampler, ...quiet }, f);
    expect((await loadJournal(file, { space, onWarning: (m) => warnings.push(m) })).trials.map(view)).toEqual(whole.trials.map(view));
    expect(warnings).toHaveLength(1); // clean now
  });

  it('rejects a journal of another space, and other files, with ArgumentError("journal") before any objective runs', async () => {
    await hyperopt({ space, iterations: 3, journal: file, ...quiet }, f);
    let calls = 0;
    const g = () => ++calls;
    const other = { ...space, a: linrange(1, 5, 51) };
    const error = await hyperopt({ space: other, iterations: 5, journal: file, ...quiet }, g).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe('journal');
    expect((error as Error).message).toMatch(/another space: space\.a was/);
    await expect(loadJournal(file, { space: { z: [1] } })).rejects.toThrow(/parameters were \(a, b, c, d, e\), now \(z\)/);
    const notJournal = join(dir, 'not.jsonl');
    writeFileSync(notJournal, '{"hello": 1}\n');
    await expect(hyperopt({ space, iterations: 2, journal: notJournal, ...quiet }, g)).rejects.toThrow(/not a hyperopt-rx journal/);
    await expect(hyperopt({ space, iterations: 2, journal: 42 as never, ...quiet }, g)).rejects.toThrow(/`journal` must be a file path/);
    await expect(hyperopt({ space, iterations: 2, journal: { path: file, fsync: 'yes' } as never, ...quiet }, g)).rejects.toThrow(/`journal.fsync` must be a boolean/);
    await expect(hyperopt({ space, iterations: 0, journal: join(dir, 'never.jsonl'), ...quiet }, g)).rejects.toThrow(/`iterations`/);
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false); // bad options: the file is not even created
    await expect(loadJournal(join(dir, 'missing.jsonl'))).rejects.toThrow(/does not exist/);
    expect(calls).toBe(0);
  });

  it('with fsync: true writes the same lines', async () => {
    const ho = await hyperopt({ space, iterations: 4, sampler: new RandomSampler({ seed: 2 }), journal: { path: file, fsync: true }, ...quiet }, f);
    expect((await loadJournal(file, { space })).trials.map(view)).toEqual(ho.trials.map(view));
  });

  it('withPruner: a resumed run prunes as the unbroken run did (its rule hears the recorded curves first)', async () => {
    const s = { x: [0, 0.1, 0.2] };
    // Nine epochs each; trial 6 is worse at every epoch, so a rule that has seen trials 0-5 prunes it at once.
    const objective = ({ x }: { x: number }, { i }: { i: number }) => range(1, 9).pipe(map((epoch) => x + (i === 6 ? 10 : 0) + 1 / epoch));
    const make = () => withPruner(new RandomSampler({ seed: 2 }), new MedianPruner({ startupTrials: 5 }));
    const view = (t: Trial) => [t.i, t.status, t.steps, t.value];
    const whole = await hyperopt({ space: s, iterations: 10, sampler: make(), ...quiet }, objective);
    expect(whole.trials[6]).toEqual(expect.objectContaining({ status: 'pruned', steps: 1 }));
    const controller = new AbortController();
    let calls = 0;
    await hyperopt({ space: s, iterations: 10, sampler: make(), journal: file, signal: controller.signal, ...quiet }, (p, ctx) => {
      if (++calls === 7) controller.abort(); // trial 6 is in flight: lost, as under SIGKILL
      return objective(p, ctx);
    });
    expect(lines(file).filter((l) => 'i' in l)).toHaveLength(6);
    const resumed = await hyperopt({ space: s, iterations: 10, sampler: make(), journal: file, ...quiet }, objective);
    expect(resumed.trials.map(view)).toEqual(whole.trials.map(view));
  });

  it('survives SIGKILL: a killed run loses only trials in flight and resumes without repeating work', async () => {
    const iterations = 400;
    const concurrency = 3;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/node/fixtures/journalChild.ts', file, String(iterations), String(concurrency)], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it once some trials are on disk (polling the file, not a clock).
    while (!existsSync(file) || lines(file).length < 1 + 10) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const warnings: string[] = [];
    const s = { x: linrange(-2, 2, 401), y: ['a', 'b', 'c'] };
    const killed = await loadJournal(file, { space: s, onWarning: (m) => warnings.push(m) });
    const done = killed.trials.length;
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(iterations);
    // Every trial that finished is there once; the missing indices are at most those in flight.
    const indices = killed.trials.map((t) => t.i);
    expect(new Set(indices).size).toBe(done);
    const missing = Array.from({ length: killed.nextIndex }, (_, k) => k).filter((k) => !indices.includes(k));
    expect(missing.length).toBeLessThan(concurrency);
    // Resume in this process: exactly what is not on disk runs (lost in-flight trials included), nothing twice.
    const seen: number[] = [];
    const resumed = await hyperopt({ space: s, iterations, concurrency, journal: file, ...quiet }, ({ x, y }, { i }) => (seen.push(i), x * x + y.length));
    expect(resumed.trials).toHaveLength(iterations);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: iterations }, (_, k) => k).filter((k) => !indices.includes(k)));
    // ... and draws what one uninterrupted run with seed 7 draws, index by index.
    const whole = await hyperopt({ space: s, iterations, sampler: new RandomSampler({ seed: 7 }), ...quiet }, ({ x, y }) => x * x + y.length);
    const byI = (ts: readonly Trial[]) => [...ts].sort((a, b) => a.i - b.i).map(view);
    expect(byI(resumed.trials)).toEqual(byI(whole.trials));
  });

  describe('resume after a crash, per sampler: the same trials as one uninterrupted run, nothing evaluated twice', () => {
    const space2 = { a: linrange(1, 5, 20), b: [true, false], c: explinrange(-1, 3, 20) };
    const g = ({ a, b, c }: { a: number; b: boolean; c: number }) => (a - 3) ** 2 + (b ? 1 : 2) + Math.log10(c) ** 2;
    const key = (t: Trial) => `${t.i}@${t.resources}`;
    const sorted = (ts: readonly Trial[]) =>
      [...ts].sort((x, y) => x.i - y.i || (x.resources ?? 0) - (y.resources ?? 0)).map((t) => ({ ...view(t), resources: t.resources, state: t.state }));

    async function crashAndResume(make: () => Sampler, iterations: number | undefined, objective: Objective, crashAt: number) {
      const whole = await hyperopt({ space: space2, iterations, sampler: make(), ...quiet }, objective);
      const controller = new AbortController();
      let calls = 0;
      await hyperopt({ space: space2, iterations, sampler: make(), journal: file, signal: controller.signal, ...quiet }, (p, ctx) => {
        if (++calls === crashAt) controller.abort(); // this trial is in flight: lost, as under SIGKILL
        return objective(p, ctx);
      });
      const onDisk = lines(file).filter((l) => 'i' in l).length;
      expect(onDisk).toBe(crashAt - 1);
      const evaluated: string[] = [];
      // No sampler given: the journal's (class, options and seed) is rebuilt.
      const resumed = await hyperopt({ space: space2, iterations, journal: file, ...quiet }, (p, ctx) => {
        evaluated.push(`${ctx.i}@${ctx.resources}`);
        return objective(p, ctx);
      });
      expect(sorted(resumed.trials)).toEqual(sorted(whole.trials));
      expect(evaluated.length).toBe(whole.trials.length - onDisk);
      const before = new Set(
        lines(file)
          .slice(1, 1 + onDisk)
          .map((l) => `${String(l.i)}@${String(l.resources)}`),
      );
      for (const k of evaluated) expect(before.has(k)).toBe(false);
      expect(new Set(resumed.trials.map(key)).size).toBe(resumed.trials.length);
      return { whole, resumed };
    }

    it('LHSampler: the same plan, only the missing rows run', async () => {
      await crashAndResume(() => new LHSampler({ seed: 5, gaIterations: 20 }), 20, g as Objective, 8);
    });

    it('CLHSampler', async () => {
      await crashAndResume(() => new CLHSampler({ seed: 6 }), 20, g as Objective, 13);
    });

    it('BOHB: refits on the recorded results and draws on as one run would', async () => {
      await crashAndResume(() => new BOHB({ seed: 8 }), 24, g as Objective, 17);
    });

    it('Hyperband mid-bracket: same brackets, rungs, promotions and states; finished evaluations not rerun', async () => {
      // R = 9, eta = 3: three brackets (22 evaluations); the crash is in the first bracket's second rung.
      const objective: Objective = (p, { resources, state }) => {
        const epochs = ((state as number | undefined) ?? 0) + (resources ?? 0);
        return { value: g(p as never) + 1 / epochs, state: epochs };
      };
      const { resumed } = await crashAndResume(() => new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 3 }) }), undefined, objective, 11);
      expect(resumed.trials).toHaveLength(22);
      // The last rung of the first bracket went on from the states recorded before the crash: 1 + 3 + 9 epochs.
      const top = resumed.trials.filter((t) => t.bracket === 2 && t.rung === 2);
      expect(top.map((t) => t.state)).toEqual([13]);
    });

    it('a larger iterations afterwards starts a new run that continues the sequence', async () => {
      const sampler = new RandomSampler({ seed: 12 });
      await hyperopt({ space: space2, iterations: 5, sampler, journal: file, ...quiet }, g);
      const more = await hyperopt({ space: space2, iterations: 9, journal: file, ...quiet }, g);
      const whole = await hyperopt({ space: space2, iterations: 9, sampler, ...quiet }, g);
      expect(sorted(more.trials)).toEqual(sorted(whole.trials));
      expect(lines(file).map((l) => Object.keys(l).includes('run'))).toEqual([false, false, false, false, false, false, true, false, false, false, false]);
      expect(lines(file)[6].run).toMatchObject({ iterations: 4, start: 5, sampler: { name: 'RandomSampler', seed: 12 } });
    });
  });
});
