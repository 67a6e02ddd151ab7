// Real TF.js fits (iris, a 4-unit network) under hyperopt: pruners stop them, an abort stops them,
// Hyperband and ASHA resume promoted configurations from their weights, and no tensor outlives a run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { hyperopt, Hyperband, MedianPruner, RandomSampler, SuccessiveHalvingPruner, withPruner, type Objective, type Pruner } from '../../src/index.js';
import { fromTfjsFit, type TfjsFitState } from '../../src/tfjs.js';
import { irisTensors, type IrisTensors } from '../../examples/live-training/iris.js';
import { buildModel, space, type IrisParams } from '../../examples/live-training/model.js';
import { irisObjective } from '../../examples/live-training/objective.js';
import { FitLedger } from './fitLedger.js';

let data: IrisTensors;
let baseline: number;
beforeAll(async () => {
  await setBackend('cpu');
  data = irisTensors();
  baseline = memory().numTensors;
});
afterAll(() => data.dispose());

/** The example's objective, with every epoch that begins counted per trial. */
function counted(ledger: FitLedger, maxEpochs: number): Objective<IrisParams, TfjsFitState> {
  return (params, trial) => irisObjective(data, { maxEpochs, onDisposed: (s) => ledger.disposed(s), onEpochBegin: () => ledger.epochBegun(trial.i) })(params, trial);
}

describe('live training with TF.js', () => {
  it.each<[string, Pruner]>([
    ['SuccessiveHalvingPruner', new SuccessiveHalvingPruner({ minResource: 1, eta: 3 })],
    ['MedianPruner', new MedianPruner({ startupTrials: 2 })],
  ])('%s stops real fits: no epoch begins after a prune, and every tensor is freed', async (_name, pruner) => {
    const ledger = new FitLedger();
    const maxEpochs = 9;
    const ho = await hyperopt({ space, iterations: 6, sampler: withPruner(new RandomSampler({ seed: 4 }), pruner) }, counted(ledger, maxEpochs));
    await ledger.until(ho.trials.length);
    const pruned = ho.trials.filter((t) => t.status === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of ho.trials) {
      // Every epoch that began reported its loss, and the prune came on the last of them.
      expect(ledger.begun.get(t.i)).toBe(t.steps);
      if (t.status === 'ok') expect(t.steps).toBe(maxEpochs);
    }
    for (const t of pruned) expect(t.steps).toBeLessThan(maxEpochs);
    expect(ledger.summaries.filter((s) => s.stopped)).toHaveLength(pruned.length);
    expect(memory().numTensors).toBe(baseline);
  });

  it('aborting the run stops the fits in flight at the end of their epoch', async () => {
    const ledger = new FitLedger();
    const controller = new AbortController();
    const objective: Objective<IrisParams, TfjsFitState> = (params, { i }) =>
      fromTfjsFit(() => buildModel(params, i), {
        x: data.x,
        y: data.y,
        validationData: [data.xVal, data.yVal],
        epochs: 20,
        batchSize: 25,
        yieldEvery: 'never', // the two fits interleave at TF.js's awaits only, not on its 125 ms timer
        callbacks: {
          onEpochBegin: () => ledger.epochBegun(i),
          onEpochEnd: (epoch) => {
            if (i === 0 && epoch === 2) controller.abort(); // during trial 0's third epoch, wherever the others are
          },
        },
        onDisposed: (s) => ledger.disposed(s),
      });
    const ho = await hyperopt({ space, iterations: 5, concurrency: 2, sampler: new RandomSampler({ seed: 2 }), signal: controller.signal }, objective);
    expect(ho.trials).toHaveLength(0);
    await ledger.until(2);
    expect(ledger.begun.get(0)).toBe(3);
    expect([...ledger.begun.keys()].sort()).toEqual([0, 1]); // no new trial started after the abort
    expect(ledger.begun.get(1)).toBeLessThan(20);
    expect(ledger.summaries.every((s) => s.stopped)).toBe(true);
    expect(memory().numTensors).toBe(baseline);
  });

  it.each([
    ['Hyperband', false, 1],
    ['ASHA', true, 3],
  ])('%s resumes each promoted configuration from the weights of its previous rung', async (_name, asynchronous, concurrency) => {
    const ledger = new FitLedger();
    const calls: { i: number; resources: number; from: number }[] = [];
    const inner = counted(ledger, 9);
    const objective: Objective<IrisParams, TfjsFitState> = (params, trial) => {
      calls.push({ i: trial.i, resources: trial.resources!, from: trial.state?.epoch ?? 0 });
      return inner(params, trial);
    };
    const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 5 }), asynchronous }), concurrency }, objective);
    await ledger.until(ho.trials.length);
    const promoted = ho.trials.filter((t) => t.rung! > 0);
    expect(promoted.length).toBeGreaterThan(0);
    for (const t of promoted) {
      // Its previous evaluation: same configuration, one rung down; this one starts where that one ended.
      const before = ho.trials.find((u) => u.i === t.i && u.bracket === t.bracket && u.rung === t.rung! - 1)!;
      const call = calls.find((c) => c.i === t.i && c.resources === t.resources)!;
      expect(call.from).toBe(before.resources);
      expect((t.state as TfjsFitState).epoch).toBe(t.resources);
    }
    // Trained: each configuration's largest budget once; from scratch, every evaluation's whole budget.
    const largest = new Map<number, number>();
    for (const t of ho.trials) largest.set(t.i, Math.max(largest.get(t.i) ?? 0, t.resources!));
    const trained = [...largest.values()].reduce((s, r) => s + r, 0);
    const fromScratch = ho.trials.reduce((s, t) => s + t.resources!, 0);
    expect(ledger.epochs).toBe(trained);
    expect(trained).toBeLessThan(fromScratch);
    expect(memory().numTensors).toBe(baseline);
  });
});
