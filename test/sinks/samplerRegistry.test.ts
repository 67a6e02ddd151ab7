import { describe, it, expect } from '@jest/globals';
import { defer, map, take, type Observable } from 'rxjs';
import {
  hyperopt,
  fromJSON,
  registerSampler,
  samplerFromDescription,
  RandomSampler,
  LHSampler,
  CLHSampler,
  BOHB,
  Hyperband,
  withPruner,
  MedianPruner,
  SuccessiveHalvingPruner,
  categorical,
  continuous,
  linrange,
  uniform,
  ArgumentError,
  isRange,
  type Candidate,
  type Hyperoptimizer,
  type Sampler,
  type SamplerContext,
  type Space,
  type Trial,
} from '../../src/index.js';

/** A sampler of our own: walks each parameter with a fixed stride from an offset. */
class StrideSampler implements Sampler {
  readonly name = 'StrideSampler';
  constructor(readonly options: { offset: number; stride: number }) {}
  candidates(space: Space, { iterations, start, demand$ }: SamplerContext): Observable<Candidate> {
    return defer(() => {
      let i = start;
      const keys = Object.keys(space);
      return demand$.pipe(
        take(iterations ?? Infinity),
        map((): Candidate => {
          const params: Record<string, unknown> = {};
          keys.forEach((key, j) => {
            const step = this.options.offset + (i + j) * this.options.stride;
            const entry = space[key];
            params[key] = isRange(entry) ? entry.lo + ((step % 97) / 97) * (entry.hi - entry.lo) : entry[step % entry.length];
          });
          return { i: i++, params };
        }),
      );
    });
  }
  toJSON(): object {
    return { name: this.name, ...this.options };
  }
}
registerSampler('StrideSampler', ({ offset, stride }) => new StrideSampler({ offset: offset as number, stride: stride as number }));

const space = { a: linrange(-2, 2, 41), b: [true, false], c: uniform(0, 1) };
const objective = ({ a, b, c }: { a: number; b: boolean; c: number }, { resources = 1 }: { resources?: number }) => (a - 0.5) ** 2 + (b ? 0 : 1) + c / resources;

const samplers: [string, () => Sampler, number][] = [
  ['RandomSampler', () => new RandomSampler({ seed: 11 }), 12],
  ['LHSampler', () => new LHSampler({ seed: 'lhs', gaIterations: 3 }), 12],
  ['CLHSampler', () => new CLHSampler({ seed: 5, dims: [continuous(), categorical(2), continuous()] }), 12],
  ['BOHB', () => new BOHB({ seed: 7, Nmin: 4, kernel: 'joint' }), 16],
  ['Hyperband + BOHB', () => new Hyperband({ maxResource: 9, eta: 3, inner: new BOHB({ seed: 3, Nmin: 4 }) }), 1],
  ['Hyperband (ASHA) + LHSampler', () => new Hyperband({ maxResource: 9, asynchronous: true, inner: new LHSampler({ seed: 2 }) }), 1],
  ['withPruner(RandomSampler, MedianPruner)', () => withPruner(new RandomSampler({ seed: 9 }), new MedianPruner({ startupTrials: 2 })), 12],
  ['withPruner(Hyperband, SuccessiveHalvingPruner)', () => withPruner(new Hyperband({ maxResource: 9 }), new SuccessiveHalvingPruner({ minResource: 1 })), 1],
  ['a registered sampler of our own', () => new StrideSampler({ offset: 3, stride: 7 }), 12],
];

const view = (t: Trial) => ({ i: t.i, params: t.params, value: t.value, status: t.status, resources: t.resources, bracket: t.bracket, rung: t.rung });
const run = (options: object, ho?: Hyperoptimizer) => hyperopt({ space, progress: false, ...options, ...(ho ? { ho } : {}) } as never, objective as never);

describe('samplers rebuilt from their descriptions', () => {
  it.each(samplers)('%s: the description round-trips through JSON', (_name, make) => {
    const sampler = make();
    const description = JSON.parse(JSON.stringify(sampler.toJSON!())) as object;
    const rebuilt = samplerFromDescription(description);
    expect(rebuilt.name).toBe(sampler.name);
    expect(JSON.parse(JSON.stringify(rebuilt.toJSON!()))).toEqual(description);
  });

  it.each(samplers)('%s: a run continued after fromJSON draws what continuing the original draws', async (_name, make, iterations) => {
    const original = await run({ sampler: make(), iterations });
    const back = fromJSON(JSON.parse(JSON.stringify(original)));
    expect(back.sampler.name).toBe(original.sampler.name);
    expect(back.trials.map(view)).toEqual(original.trials.map(view));
    const before = original.trials.length;
    await run({ iterations }, original);
    await run({ iterations }, back);
    expect(back.trials.length).toBeGreaterThan(before);
    expect(back.trials.slice(before).map(view)).toEqual(original.trials.slice(before).map(view));
  });
});

describe('the sampler registry refuses what it cannot rebuild', () => {
  it('an unknown name, naming json.sampler and the way out', async () => {
    const ho = await run({ sampler: { name: 'Unregistered', candidates: new RandomSampler({ seed: 1 }).candidates.bind(new RandomSampler({ seed: 1 })) }, iterations: 2 });
    const json = JSON.parse(JSON.stringify(ho)) as object;
    expect(() => fromJSON(json)).toThrow(ArgumentError);
    expect(() => fromJSON(json)).toThrow(/`json.sampler` names "Unregistered", which no registered sampler rebuilds: call registerSampler\("Unregistered"/);
    expect(fromJSON(json, { sampler: new RandomSampler() }).trials).toHaveLength(2);
  });

  it('options the sampler refuses, naming the nested description', () => {
    expect(() => samplerFromDescription({ name: 'RandomSampler', seed: 1, bogus: true })).toThrow(/`sampler` \(RandomSampler\) cannot be rebuilt: `RandomSampler.bogus`/);
    expect(() => samplerFromDescription({ name: 'Hyperband', R: 9, inner: { name: 'BOHB', Ns: 0 } })).toThrow(/`sampler.inner` \(BOHB\) cannot be rebuilt/);
    expect(() => samplerFromDescription({ name: 'RandomSampler', pruner: { name: 'nope' } })).toThrow(/`sampler.pruner`/);
    expect(() => samplerFromDescription(null)).toThrow(ArgumentError);
  });

  it('pruners described under their names before 0.2.0 (medianPruner, successiveHalvingPruner) still load', () => {
    const median = samplerFromDescription({ name: 'RandomSampler', seed: 1, pruner: { name: 'medianPruner', startupTrials: 2, warmupSteps: 1 } });
    expect(median.toJSON?.()).toEqual({ name: 'RandomSampler', seed: 1, pruner: { name: 'MedianPruner', startupTrials: 2, warmupSteps: 1 } });
    const halving = samplerFromDescription({ name: 'RandomSampler', seed: 1, pruner: { name: 'successiveHalvingPruner', minResource: 2, eta: 4, minEarlyStoppingRate: 1 } });
    expect(halving.toJSON?.()).toEqual({ name: 'RandomSampler', seed: 1, pruner: { name: 'SuccessiveHalvingPruner', minResource: 2, eta: 4, minEarlyStoppingRate: 1 } });
    expect(() => samplerFromDescription({ name: 'RandomSampler', seed: 1, pruner: { name: 'medianPruner', startupTrials: -1 } })).toThrow(
      /`sampler.pruner` \(medianPruner\) cannot be rebuilt: `startupTrials`/,
    );
  });

  it('registerSampler checks its arguments and keeps the built-in names', () => {
    expect(() => registerSampler('RandomSampler', () => new RandomSampler())).toThrow(/`name` "RandomSampler" is a built-in sampler/);
    expect(() => registerSampler('', () => new RandomSampler())).toThrow(ArgumentError);
    expect(() => registerSampler('X', 5 as never)).toThrow(/`fromDescription` must be a function/);
    registerSampler('NotASampler', () => ({}) as never);
    expect(() => samplerFromDescription({ name: 'NotASampler' })).toThrow(/`sampler` must be a sampler/);
  });

  it('without a recorded sampler, fromJSON gives a fresh RandomSampler', async () => {
    const ho = await run({ sampler: new RandomSampler({ seed: 2 }), iterations: 2 });
    const { sampler: _sampler, ...json } = JSON.parse(JSON.stringify(ho)) as Record<string, unknown>;
    expect(fromJSON(json).sampler.name).toBe('RandomSampler');
  });
});
