// The objective every run of the guide uses: one fit per trial, its validation loss streamed per epoch.
import type { Objective } from '../../src/index.js';
import { fromTfjsFit, type TfjsFitState, type TfjsFitSummary } from '../../src/tfjs.js';
import type { IrisTensors } from './iris.js';
import { buildModel, type IrisParams } from './model.js';

export interface IrisObjectiveOptions {
  /** Epochs per trial when the sampler gives no budget (no Hyperband). */
  readonly maxEpochs: number;
  /** Told what each fit did, once its model is disposed (epochs trained, stopped early or not). */
  readonly onDisposed?: (summary: TfjsFitSummary) => void;
  /** Told at the start of every epoch that actually runs. */
  readonly onEpochBegin?: () => void;
}

/** Under Hyperband/ASHA `resources` is the epoch to train to and `state` the weights a promoted configuration resumes from. */
export function irisObjective(data: IrisTensors, { maxEpochs, onDisposed, onEpochBegin }: IrisObjectiveOptions): Objective<IrisParams, TfjsFitState> {
  return (params, { i, resources, state }) =>
    fromTfjsFit(() => buildModel(params, 1000 * i), {
      x: data.x,
      y: data.y,
      validationData: [data.xVal, data.yVal],
      epochs: resources ?? maxEpochs,
      state,
      batchSize: 20,
      shuffle: false, // seeded rows already; keeps a run reproducible
      callbacks: onEpochBegin ? { onEpochBegin } : undefined,
      onDisposed,
    });
}
