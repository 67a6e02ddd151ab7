import { Observable } from 'rxjs';
import { grid } from './grid.js';
import { mulberry32 } from './mulberry32.js';
import { noiseKey } from './noiseKey.js';
import type { Params, Problem } from './Problem.js';
import { categorical, continuous, unorderedCategorical } from '../../src/index.js';
import type { Objective } from '../../src/index.js';

/**
 * A simulated training curve for the pruning benchmark (problems.md defines
 * none; this file does, and bench/optuna/anchor.py ports it line for line).
 *
 * Four hyperparameters, candidate vector `[logLr, logReg, optimizer, batch]`:
 *
 * - `log_lr` = log10 of the learning rate, grid(-4, 0);
 * - `log_reg` = log10 of the weight decay, grid(-6, -1);
 * - `optimizer` in ['sgd', 'momentum', 'adam'] (vector: its index);
 * - `batch` in [32, 64, 128, 256] (vector: its index).
 *
 * The validation loss after epoch t = 1..E (E = 27) is
 *
 *     loss(t) = floor + (L0 - floor) * rho^t + over * (1 - rho^t) * t² / E²  (+ noise)
 *
 * with L0 = 2.3 (the loss at initialisation) and, writing
 * d = logLr - (LR_BEST[optimizer] + BATCH_LR[batch]) for the distance to the
 * best learning rate:
 *
 * - speed: k = SPEED[optimizer] * BATCH_SPEED[batch] * s(2 (d + 0.5)), with
 *   s(z) = 0.5 + 0.5 z / sqrt(1 + z²) rising in the learning rate; rho = 1 - k;
 * - floor = 0.2 + FLOOR[optimizer] + BATCH_FLOOR[batch] + c d², c = 0.15
 *   above the best learning rate, 0.03 below it; weight decay above 10^-3.5
 *   underfits (floor + 0.06 (logReg + 3.5)²); below it, it lowers the floor
 *   by 0.02 u but overfits late: over = 0.05 u, u = -3.5 - logReg;
 * - noise: sigma * (r1 + r2 + r3 - 1.5), the r's the first three draws of
 *   mulberry32(noiseKey(seed, trial, t)), sigma = BATCH_NOISE[batch]: bounded
 *   by 1.5 sigma, independent across epochs, the same for every configuration
 *   given (seed, trial, epoch), as counting ones keys its noise.
 *
 * The curves cross, so an early ranking can mislead a pruner: a learning rate
 * above the best one converges faster to a worse floor; Adam converges
 * fastest to a floor 0.02–0.03 above momentum's; weak weight decay is ahead
 * until about epoch 17 and then overfits. The benchmark's objective is the
 * noise-free loss at epoch E, `trainingCurveFinal`; its grid minimum is
 * `TRAINING_CURVE.gridFStar`.
 *
 * Only +, -, *, / and sqrt (all correctly rounded in IEEE 754 doubles) and
 * rho^t as t successive products: TypeScript and Python give the same bits.
 */
export const TRAINING_CURVE = {
  /** Epochs of a full training run (E). */
  epochs: 27,
  optimizers: ['sgd', 'momentum', 'adam'],
  batches: [32, 64, 128, 256],
  /**
   * Grid minimum of the noise-free final loss, at indices [562, 500] of log_lr and log_reg, momentum, batch 32
   * (test/bench/problems.test.ts checks it over all 12 million grid points).
   */
  gridFStar: 0.19003814937848978,
} as const;

const E = TRAINING_CURVE.epochs;
const L0 = 2.3;
const LR_BEST = [-1.0, -1.6, -2.6];
const SPEED = [0.22, 0.3, 0.45];
const FLOOR = [0.0, -0.01, 0.02];
const BATCH_LR = [-0.15, 0.0, 0.15, 0.3];
const BATCH_SPEED = [1.3, 1.0, 0.75, 0.55];
const BATCH_FLOOR = [0.0, 0.01, 0.02, 0.035];
const BATCH_NOISE = [0.04, 0.028, 0.02, 0.014];
const REG_BEST = -3.5;

/** The shape of one configuration's curve: loss(t) = floor + (L0 - floor) rho^t + over (1 - rho^t) t² / E². */
function shape(v: readonly number[]): { rho: number; floor: number; over: number } {
  const o = v[2];
  const b = v[3];
  const d = v[0] - (LR_BEST[o] + BATCH_LR[b]);
  const z = 2.0 * (d + 0.5);
  const s = 0.5 + (0.5 * z) / Math.sqrt(1.0 + z * z);
  const rho = 1.0 - SPEED[o] * BATCH_SPEED[b] * s;
  let floor = 0.2 + FLOOR[o] + BATCH_FLOOR[b] + (d > 0.0 ? 0.15 : 0.03) * (d * d);
  let over = 0.0;
  const u = REG_BEST - v[1];
  if (u < 0.0) {
    floor = floor + 0.06 * (u * u);
  } else {
    floor = floor - 0.02 * u;
    over = 0.05 * u;
  }
  return { rho, floor, over };
}

function lossAt(floor: number, over: number, power: number, t: number): number {
  return floor + (L0 - floor) * power + (over * (1.0 - power) * (t * t)) / (E * E);
}

/** The bounded noise of epoch `epoch` of trial `trial` in run `seed`, for batch index `b`. */
export function trainingCurveNoise(b: number, epoch: number, seed: number, trial: number): number {
  const rnd = mulberry32(noiseKey(seed, trial, epoch));
  const r = rnd() + rnd() + rnd();
  return BATCH_NOISE[b] * (r - 1.5);
}

/** The noise-free loss after each epoch 1..epochs on the candidate vector `v`. */
export function trainingCurveClean(v: readonly number[], epochs: number = E): number[] {
  const { rho, floor, over } = shape(v);
  const out: number[] = [];
  let power = 1.0;
  for (let t = 1; t <= epochs; t++) {
    power = power * rho;
    out.push(lossAt(floor, over, power, t));
  }
  return out;
}

/** The noisy loss after each epoch 1..epochs, noise keyed by (seed, trial, epoch). */
export function trainingCurve(v: readonly number[], seed: number, trial: number, epochs: number = E): number[] {
  return trainingCurveClean(v, epochs).map((loss, k) => loss + trainingCurveNoise(v[3], k + 1, seed, trial));
}

/** The noisy loss after epoch `epoch` alone (what a trial resumed at that epoch reports). */
export function trainingCurveAt(v: readonly number[], epoch: number, seed: number, trial: number): number {
  return trainingCurveClean(v, epoch)[epoch - 1] + trainingCurveNoise(v[3], epoch, seed, trial);
}

/** The benchmark objective: the noise-free loss after the full E epochs. */
export function trainingCurveFinal(v: readonly number[]): number {
  // trainingCurveClean(v)[E - 1] without the array: the same operations, the same bits.
  const { rho, floor, over } = shape(v);
  let power = 1.0;
  for (let t = 1; t <= E; t++) power = power * rho;
  return lossAt(floor, over, power, E);
}

const NAMES = ['log_lr', 'log_reg', 'optimizer', 'batch'];
const toVector = (p: Params): number[] => [
  p.log_lr as number,
  p.log_reg as number,
  TRAINING_CURVE.optimizers.indexOf(p.optimizer as 'sgd'),
  TRAINING_CURVE.batches.indexOf(p.batch as 32),
];

/** The training curve as a Problem: `f` is the noise-free loss after E epochs. */
export const trainingCurveProblem: Problem = {
  name: 'training_curve',
  names: NAMES,
  space: { log_lr: grid(-4, 0), log_reg: grid(-6, -1), optimizer: TRAINING_CURVE.optimizers, batch: TRAINING_CURVE.batches },
  dims: [continuous(), continuous(), unorderedCategorical(3), categorical(4)],
  fStar: TRAINING_CURVE.gridFStar,
  gridFStar: TRAINING_CURVE.gridFStar,
  f: trainingCurveFinal,
  toVector,
  objective: (p) => trainingCurveFinal(toVector(p)),
};

/**
 * The streaming library objective: one noisy loss per epoch 1..E (an
 * Observable that stops drawing when unsubscribed, i.e. pruned), noise keyed
 * by the run `seed` and the configuration index `trial.i`. `onEpoch` is
 * called once per epoch computed, to count the epochs a run spends.
 */
export function trainingCurveObjective(seed: number, onEpoch: () => void = () => {}): Objective<Params> {
  return (params, { i }) =>
    new Observable<number>((subscriber) => {
      const v = toVector(params);
      const clean = trainingCurveClean(v);
      for (let t = 1; t <= E && !subscriber.closed; t++) {
        onEpoch();
        subscriber.next(clean[t - 1] + trainingCurveNoise(v[3], t, seed, i));
      }
      subscriber.complete();
    });
}
