import { Observable } from 'rxjs';
import { dispose, tensor, type Tensor } from '@tensorflow/tfjs-core';
import type { CustomCallbackArgs, LayersModel, Logs, ModelFitArgs } from '@tensorflow/tfjs-layers';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkFunction, checkPositiveInteger, show } from '../base/check.js';
import type { TfjsFitState, TfjsNamedWeight } from './TfjsFitState.js';

type Inputs = Tensor | Tensor[] | { [name: string]: Tensor };
type NamedTensor = { name: string; tensor: Tensor };

/** What one subscription did, reported once its fit has settled and its model is disposed. */
export interface TfjsFitSummary {
  /** The epoch training started from (`state.epoch`, or 0). */
  readonly initialEpoch: number;
  /** Epochs this subscription trained (begun and ended). */
  readonly epochs: number;
  /** `true` when it was unsubscribed (pruned, aborted) before its last epoch. */
  readonly stopped: boolean;
}

export interface FromTfjsFitOptions extends Omit<ModelFitArgs, 'epochs' | 'initialEpoch' | 'callbacks'> {
  /** The training inputs, as for `model.fit(x, y)`. Not disposed: they are yours, shared by every trial. */
  readonly x: Inputs;
  /** The training targets. */
  readonly y: Inputs;
  /** Train until this epoch, counting those `state` already has (Hyperband: `trial.resources`). A positive integer. */
  readonly epochs: number;
  /** Resume from this (the objective's `trial.state`): its weights, from its epoch on. @default undefined (a fresh model) */
  readonly state?: TfjsFitState;
  /** The `logs` entry streamed after each epoch. @default 'val_loss' */
  readonly metric?: string;
  /** Your own callbacks, called before the stream's value is emitted for an epoch. (Other `model.fit` arguments pass through; `verbose` defaults to 0.) */
  readonly callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
  /** Called once the fit has settled and the model (and its optimizer) is disposed. */
  readonly onDisposed?: (summary: TfjsFitSummary) => void;
}

/** Thrown into a fit that was stopped before its loop began (TF.js resets `stopTraining` when the loop starts). */
class FitStopped extends Error {}

/**
 * A `model.fit` as a streaming objective: the Observable emits `metric`
 * (validation loss by default) after each epoch, from TF.js's `onEpochEnd`;
 * after the last epoch it emits `{ value, state }`, the weights as plain data,
 * which Hyperband and ASHA hand to the next rung as `trial.state` (pass it
 * back as `state` to resume there).
 *
 * Each subscription calls `build` for a fresh compiled model (and a fresh
 * optimizer). Unsubscribing (a pruner, an aborted run) sets
 * `model.stopTraining`, so no further epoch starts; once the fit has
 * settled, the model and its optimizer are disposed and `onDisposed` is
 * called. The state carries the optimizer's own variables too (its step
 * count, Adam's moments), so a promoted configuration trains on as if it had
 * never stopped: the same weights, epoch for epoch, as one unbroken fit.
 *
 * ## Example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { layers, sequential } from '@tensorflow/tfjs-layers';
 * import { hyperopt, Hyperband, explinrange } from 'hyperopt-rx';
 * import { fromTfjsFit } from 'hyperopt-rx/tfjs';
 * const x = tf.randomNormal([64, 2]);
 * const y = tf.sum(x, 1, true);
 * const ho = await hyperopt(
 *   { space: { lr: explinrange(-3, -1, 20) }, sampler: new Hyperband({ maxResource: 9 }) },
 *   ({ lr }, { resources, state }) =>
 *     fromTfjsFit(
 *       () => {
 *         const model = sequential({ layers: [layers.dense({ inputShape: [2], units: 1 })] });
 *         model.compile({ optimizer: tf.train.sgd(lr), loss: 'meanSquaredError' });
 *         return model;
 *       },
 *       { x, y, validationData: [x, y], epochs: resources!, state },
 *     ),
 * );
 * ```
 */
export function fromTfjsFit(build: () => LayersModel, options: FromTfjsFitOptions): Observable<number | { value: number; state: TfjsFitState }> {
  checkFunction('build', build);
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', `must be an object with x, y and epochs, got ${show(options)}`);
  const { x, y, state, metric = 'val_loss', callbacks, onDisposed, epochs: _epochs, ...fitArgs } = options;
  const epochs = checkPositiveInteger('epochs', options.epochs);
  if (typeof metric !== 'string') throw new ArgumentError('metric', `must be the name of a logs entry such as 'val_loss', got ${show(metric)}`);
  if (state !== undefined) checkState(state);
  if (onDisposed !== undefined) checkFunction('onDisposed', onDisposed);
  const initialEpoch = state?.epoch ?? 0;

  return new Observable((subscriber) => {
    if (state && state.epoch >= epochs) {
      // Already trained that far (a rung no larger than the last): nothing to fit.
      subscriber.next({ value: state.value, state });
      subscriber.complete();
      return;
    }
    const model = build();
    if (state) {
      const weights = state.weights.map((w) => tensor(w.values, [...w.shape]));
      model.setWeights(weights); // the variables take their own reference to the data
      dispose(weights);
    }
    // The optimizer's variables are set before the first step (TF.js sets them asynchronously).
    const restored = state?.optimizer ? restoreOptimizer(model, state.optimizer) : Promise.resolve();
    let settled = false;
    let unsubscribed = false;
    let finished = false; // the fit returned or failed on its own
    let trained = 0;
    const disposeModel = () => {
      const optimizer = model.optimizer;
      model.dispose();
      // A model compiled with an optimizer object does not own it; disposing twice is harmless.
      optimizer?.dispose();
      onDisposed?.({ initialEpoch, epochs: trained, stopped: !finished });
    };
    const guard: CustomCallbackArgs = {
      onEpochBegin: () => {
        if (unsubscribed) throw new FitStopped();
      },
    };
    const emit: CustomCallbackArgs = {
      onEpochEnd: async (epoch: number, logs?: Logs) => {
        trained++;
        if (unsubscribed) return;
        const value = logs?.[metric];
        if (typeof value !== 'number') {
          subscriber.error(
            new ArgumentError('metric', `'${metric}' is not in the epoch's logs (${Object.keys(logs ?? {}).join(', ') || 'none'}): pass validationData, or another metric`),
          );
          return;
        }
        // The last epoch, or a fit your callbacks stopped (EarlyStopping): this value carries the state.
        if (epoch + 1 >= epochs || model.stopTraining) {
          const state = await snapshot(model, epoch + 1, value); // TF.js awaits this before its next epoch
          if (!unsubscribed) subscriber.next({ value, state });
        } else subscriber.next(value);
      },
    };
    const own = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
    restored
      .then(() => model.fit(x, y, { verbose: 0, ...fitArgs, epochs, initialEpoch, callbacks: [guard, ...own, emit] }))
      .then(
        () => {
          if (unsubscribed) return; // stopped by us: it returns as if done
          finished = true;
          subscriber.complete();
        },
        (error: unknown) => {
          if (unsubscribed) return; // FitStopped, or a failure after the stop: nobody listens
          finished = true;
          subscriber.error(error);
        },
      )
      .finally(() => {
        settled = true;
        if (unsubscribed) disposeModel();
      });
    return () => {
      unsubscribed = true;
      // Settled (completed, failed): dispose now. Still fitting: stop after this epoch, dispose when the fit returns.
      if (settled) disposeModel();
      else model.stopTraining = true;
    };
  });
}

async function snapshot(model: LayersModel, epoch: number, value: number): Promise<TfjsFitState> {
  const weights = model.getWeights().map(plain);
  const optimizer = await optimizerWeights(model);
  return optimizer === undefined ? { epoch, value, weights } : { epoch, value, weights, optimizer };
}

function plain(w: Tensor): { shape: number[]; values: TfjsNamedWeight['values'] } {
  return { shape: [...w.shape], values: w.dataSync().slice() };
}

/** The optimizer's variables as plain data; undefined for an optimizer that cannot give them (a custom one without getWeights). */
async function optimizerWeights(model: LayersModel): Promise<TfjsNamedWeight[] | undefined> {
  let named: NamedTensor[];
  try {
    named = await model.optimizer.getWeights();
  } catch {
    return undefined;
  }
  const out = named.map(({ name, tensor: t }) => ({ name, ...plain(t) }));
  // getWeights hands out the optimizer's own variables and a fresh tensor for its step count: only the fresh ones are ours.
  dispose(named.map((n) => n.tensor).filter((t) => typeof (t as { assign?: unknown }).assign !== 'function'));
  return out;
}

async function restoreOptimizer(model: LayersModel, weights: readonly TfjsNamedWeight[]): Promise<void> {
  const named: NamedTensor[] = [];
  try {
    // One at a time, so that values that do not fit their shape leave none of the earlier ones behind.
    for (const w of weights) named.push({ name: w.name, tensor: tensor(w.values, [...w.shape]) });
    await model.optimizer.setWeights(named); // it makes variables of its own from them
  } catch (error) {
    throw new ArgumentError('state', `has optimizer variables this model's optimizer cannot take (was it built with another optimizer?): ${(error as Error).message}`);
  } finally {
    dispose(named.map((n) => n.tensor));
  }
}

function checkState(state: unknown): void {
  const s = state as Partial<TfjsFitState> | null;
  if (s === null || typeof s !== 'object' || typeof s.epoch !== 'number' || !Number.isInteger(s.epoch) || s.epoch < 0 || !Array.isArray(s.weights)) {
    throw new ArgumentError('state', `must be the state fromTfjsFit emitted ({ epoch, value, weights }), got ${show(state)}`);
  }
}
