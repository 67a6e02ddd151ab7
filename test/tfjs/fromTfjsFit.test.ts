import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ArgumentError } from '../../src/index.js';
import { fromTfjsFit, type TfjsFitState } from '../../src/tfjs.js';
import { irisTensors, type IrisTensors } from '../../examples/live-training/iris.js';
import { buildModel } from '../../examples/live-training/model.js';
import { FitLedger } from './fitLedger.js';

const params = { lr: 0.05, units: 4, optimizer: 'adam' as const };
let data: IrisTensors;
let baseline: number;
beforeAll(async () => {
  await setBackend('cpu');
  data = irisTensors();
  baseline = memory().numTensors;
});
afterAll(() => data.dispose());

const fit = (ledger: FitLedger, epochs: number, state?: TfjsFitState, build: () => LayersModel = () => buildModel(params, 7)) =>
  fromTfjsFit(build, {
    x: data.x,
    y: data.y,
    validationData: [data.xVal, data.yVal],
    epochs,
    state,
    batchSize: 25,
    shuffle: false,
    callbacks: { onEpochBegin: () => ledger.epochBegun(0) },
    onDisposed: (s) => ledger.disposed(s),
  });

describe('fromTfjsFit', () => {
  it('streams the validation loss after each epoch, the last with the weights as state, and disposes the model', async () => {
    const ledger = new FitLedger();
    const values = await lastValueFrom(fit(ledger, 4).pipe(toArray()));
    expect(values).toHaveLength(4);
    expect(values.slice(0, 3).every((v) => typeof v === 'number' && v > 0)).toBe(true);
    const last = values[3] as { value: number; state: TfjsFitState };
    expect(last.state.epoch).toBe(4);
    expect(last.state.value).toBe(last.value);
    expect(last.state.weights.map((w) => w.shape)).toEqual([[4, 4], [4], [4, 3], [3]]);
    await ledger.until(1);
    expect(ledger.summaries).toEqual([{ initialEpoch: 0, epochs: 4, stopped: false }]);
    expect(memory().numTensors).toBe(baseline);
  });

  it('stops training on unsubscription: no epoch begins after it, and nothing is leaked', async () => {
    const ledger = new FitLedger();
    const values = await lastValueFrom(fit(ledger, 50).pipe(take(3), toArray()));
    expect(values).toHaveLength(3);
    await ledger.until(1);
    expect(ledger.epochs).toBe(3);
    expect(ledger.summaries).toEqual([{ initialEpoch: 0, epochs: 3, stopped: true }]);
    expect(memory().numTensors).toBe(baseline);
  });

  it('stops a fit unsubscribed before its first epoch (TF.js would reset stopTraining as its loop starts)', async () => {
    const ledger = new FitLedger();
    fit(ledger, 10).subscribe().unsubscribe();
    await ledger.until(1);
    expect(ledger.epochs).toBe(0);
    expect(ledger.summaries).toEqual([{ initialEpoch: 0, epochs: 0, stopped: true }]);
    expect(memory().numTensors).toBe(baseline);
  });

  it('resumes from a state: starts with its weights, trains only the remaining epochs', async () => {
    const ledger = new FitLedger();
    const first = (await lastValueFrom(fit(ledger, 3))) as { value: number; state: TfjsFitState };
    let model: LayersModel | undefined;
    let startWeights: number[][] = [];
    const resumed = fromTfjsFit(
      () => (model = buildModel(params, 99)), // other initial weights: the state must replace them
      {
        x: data.x,
        y: data.y,
        validationData: [data.xVal, data.yVal],
        epochs: 5,
        state: first.state,
        batchSize: 25,
        shuffle: false,
        callbacks: {
          onTrainBegin: () => {
            startWeights = model!.getWeights().map((w) => Array.from(w.dataSync()));
          },
        },
        onDisposed: (s) => ledger.disposed(s),
      },
    );
    const values = await lastValueFrom(resumed.pipe(toArray()));
    expect(values).toHaveLength(2);
    expect(startWeights).toEqual(first.state.weights.map((w) => Array.from(w.values)));
    expect((values[1] as { state: TfjsFitState }).state.epoch).toBe(5);
    await ledger.until(2);
    expect(ledger.summaries[1]).toEqual({ initialEpoch: 3, epochs: 2, stopped: false });
    expect(memory().numTensors).toBe(baseline);
  });

  it.each(['adam', 'sgd'] as const)('carries the optimizer state (%s): 2 epochs then 3 resumed end on the weights of 5 unbroken', async (optimizer) => {
    const ledger = new FitLedger();
    const build = () => buildModel({ ...params, optimizer }, 7);
    const last = async (epochs: number, state?: TfjsFitState) => ((await lastValueFrom(fit(ledger, epochs, state, build))) as { state: TfjsFitState }).state;
    const unbroken = await last(5);
    const first = await last(2);
    // Adam: its step count and both moments (one per weight tensor); SGD: its step count only.
    expect(first.optimizer?.map((w) => w.shape)).toEqual(optimizer === 'adam' ? [[], ...[0, 1].flatMap(() => [[4, 4], [4], [4, 3], [3]])] : [[]]);
    expect(Array.from(first.optimizer![0].values)).toEqual([2 * 4]); // 100 rows in batches of 25, 2 epochs
    const resumed = await last(5, first);
    expect(resumed.weights.map((w) => Array.from(w.values))).toEqual(unbroken.weights.map((w) => Array.from(w.values)));
    expect(resumed.optimizer!.map((w) => Array.from(w.values))).toEqual(unbroken.optimizer!.map((w) => Array.from(w.values)));
    await ledger.until(3);
    expect(memory().numTensors).toBe(baseline);
  });

  it('a state whose optimizer variables this optimizer cannot take is an ArgumentError naming `state`, and nothing leaks', async () => {
    const ledger = new FitLedger();
    const adamState = ((await lastValueFrom(fit(ledger, 2))) as { state: TfjsFitState }).state;
    const sgd = () => buildModel({ ...params, optimizer: 'sgd' }, 7);
    await expect(lastValueFrom(fit(ledger, 4, adamState, sgd))).rejects.toThrow(/`state` has optimizer variables this model's optimizer cannot take/);
    await ledger.until(2);
    expect(ledger.summaries[1]).toEqual({ initialEpoch: 2, epochs: 0, stopped: false });
    expect(memory().numTensors).toBe(baseline);
    // Values that do not fit their shape (a state damaged on the way): the same error, and the variables made before it are freed.
    const optimizer = adamState.optimizer!.map((w, k) => (k === 2 ? { ...w, values: w.values.slice(1) } : w));
    await expect(lastValueFrom(fit(ledger, 4, { ...adamState, optimizer }))).rejects.toThrow(/`state` has optimizer variables/);
    await ledger.until(3);
    expect(memory().numTensors).toBe(baseline);
  });

  it('a state already at the budget is the value, with no model built', async () => {
    const state: TfjsFitState = { epoch: 5, value: 0.25, weights: [] };
    let built = 0;
    const values = await lastValueFrom(
      fromTfjsFit(
        () => {
          built++;
          return buildModel(params, 1);
        },
        { x: data.x, y: data.y, epochs: 3, state },
      ).pipe(toArray()),
    );
    expect(values).toEqual([{ value: 0.25, state }]);
    expect(built).toBe(0);
  });

  it('refuses bad options with an ArgumentError naming them, and errors when the metric is not logged', async () => {
    const build = () => buildModel(params, 1);
    expect(() => fromTfjsFit(build, { x: data.x, y: data.y, epochs: 0 })).toThrow(new ArgumentError('epochs', 'must be a positive integer, got 0'));
    expect(() => fromTfjsFit('model' as never, { x: data.x, y: data.y, epochs: 2 })).toThrow(ArgumentError);
    expect(() => fromTfjsFit(build, { x: data.x, y: data.y, epochs: 2, state: { epoch: -1 } as never })).toThrow(/`state`/);
    const ledger = new FitLedger();
    const noValidation = fromTfjsFit(build, { x: data.x, y: data.y, epochs: 4, onDisposed: (s) => ledger.disposed(s) });
    await expect(lastValueFrom(noValidation)).rejects.toThrow(/`metric` 'val_loss' is not in the epoch's logs \(loss\)/);
    await ledger.until(1);
    expect(ledger.summaries[0].epochs).toBe(1);
    expect(memory().numTensors).toBe(baseline);
  });
});
