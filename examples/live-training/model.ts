// The model being tuned: 4 inputs -> `units` ReLU -> 3 softmax classes, trained with SGD or Adam at rate `lr`.
import { train } from '@tensorflow/tfjs-core';
import { initializers, layers, sequential, type LayersModel } from '@tensorflow/tfjs-layers';
import { explinrange, type ParamsOf } from '../../src/index.js';

export const space = { lr: explinrange(-3, 0, 31), units: [2, 4, 8, 16, 32], optimizer: ['sgd', 'adam'] as const };
export type IrisParams = ParamsOf<typeof space>;

/** A fresh compiled model with its own optimizer; `seed` fixes its initial weights. */
export function buildModel({ lr, units, optimizer }: IrisParams, seed: number): LayersModel {
  const model = sequential({
    layers: [
      layers.dense({ inputShape: [4], units, activation: 'relu', kernelInitializer: initializers.glorotUniform({ seed }) }),
      layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: optimizer === 'adam' ? train.adam(lr) : train.sgd(lr), loss: 'sparseCategoricalCrossentropy' });
  return model;
}
