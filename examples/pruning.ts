// Live training with pruning: a tiny MLP (plain arrays) on a generated two-moons data set.
// Each trial streams its validation loss once per epoch; successive halving stops the
// hopeless ones by unsubscription, which frees their slot for the next configuration.
// Then the same network under Hyperband, resuming promoted configurations from their state.
//
//   npx tsx examples/pruning.ts
import { defer, interval, map, take } from 'rxjs';
import seedrandom from 'seedrandom';
import { hyperopt, explinrange, RandomSampler, withPruner, SuccessiveHalvingPruner, Hyperband } from '../src/index.js';

// ---- data: two interleaved half-moons with noise, seeded ------------------------------
function seeded(seed: number): () => number {
  const prng = seedrandom(String(seed));
  return () => prng.double();
}
type Sample = { x: [number, number]; y: 0 | 1 };
function moons(n: number, noise: number, rnd: () => number): Sample[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return Array.from({ length: n }, (_, k) => {
    const y = (k % 2) as 0 | 1;
    const t = Math.PI * rnd();
    const x: [number, number] = y === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return { x: [x[0] + noise * gauss(), x[1] + noise * gauss()], y };
  });
}
const dataRnd = seeded(42);
const train = moons(300, 0.2, dataRnd);
const valid = moons(200, 0.2, dataRnd);

// ---- model: 2 -> hidden (tanh) -> 1 (sigmoid), full-batch gradient descent with L2 --------
interface Net {
  w1: number[][];
  b1: number[];
  w2: number[];
  b2: number;
  epochs: number;
}
function initNet(hidden: number, seed: number): Net {
  const rnd = seeded(seed);
  const w1 = Array.from({ length: hidden }, () => [rnd() * 2 - 1, rnd() * 2 - 1]);
  return { w1, b1: new Array<number>(hidden).fill(0), w2: Array.from({ length: hidden }, () => (rnd() * 2 - 1) / Math.sqrt(hidden)), b2: 0, epochs: 0 };
}
function forward(net: Net, x: [number, number]): { h: number[]; p: number } {
  const h = net.w1.map((w, j) => Math.tanh(w[0] * x[0] + w[1] * x[1] + net.b1[j]));
  const z = h.reduce((s, hj, j) => s + hj * net.w2[j], net.b2);
  return { h, p: 1 / (1 + Math.exp(-z)) };
}
function logLoss(net: Net, data: Sample[]): number {
  let loss = 0;
  for (const { x, y } of data) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, forward(net, x).p));
    loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
  }
  return loss / data.length;
}
function accuracy(net: Net, data: Sample[]): number {
  return data.filter(({ x, y }) => (forward(net, x).p > 0.5 ? 1 : 0) === y).length / data.length;
}
/** One epoch of full-batch gradient descent, in place. */
function trainEpoch(net: Net, lr: number, l2: number): void {
  const H = net.w2.length;
  const gw1 = net.w1.map(() => [0, 0]);
  const gb1 = new Array(H).fill(0);
  const gw2 = new Array(H).fill(0);
  let gb2 = 0;
  for (const { x, y } of train) {
    const { h, p } = forward(net, x);
    const d = p - y;
    gb2 += d;
    for (let j = 0; j < H; j++) {
      gw2[j] += d * h[j];
      const dh = d * net.w2[j] * (1 - h[j] * h[j]);
      gw1[j][0] += dh * x[0];
      gw1[j][1] += dh * x[1];
      gb1[j] += dh;
    }
  }
  const n = train.length;
  for (let j = 0; j < H; j++) {
    net.w2[j] -= lr * (gw2[j] / n + l2 * net.w2[j]);
    net.w1[j][0] -= lr * (gw1[j][0] / n + l2 * net.w1[j][0]);
    net.w1[j][1] -= lr * (gw1[j][1] / n + l2 * net.w1[j][1]);
    net.b1[j] -= lr * (gb1[j] / n);
  }
  net.b2 -= lr * (gb2 / n);
  net.epochs++;
}
const clone = (net: Net): Net => ({ ...net, w1: net.w1.map((w) => [...w]), b1: [...net.b1], w2: [...net.w2] });

// ---- the search -----------------------------------------------------------------------
const EPOCHS = 81;
const space = { lr: explinrange(-2, 1, 40), hidden: [2, 4, 8, 16], l2: explinrange(-6, -1, 20) };
type P = { lr: number; hidden: number; l2: number };

let epochsRun = 0;
let aborted = 0;
/** Streams the validation loss after each epoch; every epoch is its own macrotask, so unsubscribing stops training. */
const liveTraining = ({ lr, hidden, l2 }: P, { i, signal }: { i: number; signal: AbortSignal }) =>
  defer(() => {
    signal.addEventListener('abort', () => aborted++);
    const net = initNet(hidden, 1000 + i);
    return interval(0).pipe(
      take(EPOCHS),
      map(() => {
        trainEpoch(net, lr, l2);
        epochsRun++;
        return logLoss(net, valid);
      }),
    );
  });

const ITERATIONS = 40;
const t0 = Date.now();
const pruned = await hyperopt(
  {
    space,
    iterations: ITERATIONS,
    concurrency: 4,
    sampler: withPruner(new RandomSampler({ seed: 7 }), new SuccessiveHalvingPruner({ minResource: 9, eta: 3 })),
    progress: false,
  },
  liveTraining,
);
const prunedEpochs = epochsRun;
const prunedMs = Date.now() - t0;
const prunedCount = pruned.trials.filter((t) => t.status === 'pruned').length;

epochsRun = 0;
const t1 = Date.now();
const full = await hyperopt({ space, iterations: ITERATIONS, concurrency: 4, sampler: new RandomSampler({ seed: 7 }), progress: false }, liveTraining);
const fullMs = Date.now() - t1;

const show = (p: P | undefined) => (p ? `lr=${p.lr.toPrecision(3)} hidden=${p.hidden} l2=${p.l2.toExponential(1)}` : '-');
console.log(`Same ${ITERATIONS} configurations (seed 7), up to ${EPOCHS} epochs each, concurrency 4:`);
console.log(
  `  with SuccessiveHalvingPruner: ${prunedCount} pruned (signal aborted ${aborted}×), ${prunedEpochs} epochs, ${prunedMs} ms, best val loss ${pruned.minimum.toFixed(4)} (${show(pruned.minimizer)})`,
);
console.log(
  `  without pruning:              ${full.trials.length} run to the end, ${epochsRun} epochs, ${fullMs} ms, best val loss ${full.minimum.toFixed(4)} (${show(full.minimizer)})`,
);
console.log(`  epochs saved: ${(100 * (1 - prunedEpochs / epochsRun)).toFixed(0)}%`);
// Random search with the pruned run's epoch budget would have trained this many configurations to the end:
const affordable = Math.floor(prunedEpochs / EPOCHS);
const sameBudget = Math.min(...full.trials.filter((t) => t.i < affordable).map((t) => t.value));
console.log(`  random search on the same ${prunedEpochs} epochs (${affordable} full trainings): best val loss ${sameBudget.toFixed(4)}`);

// ---- Hyperband: resources = units of 3 epochs (3..81 epochs), state = the trained network ----
epochsRun = 0;
const hb = await hyperopt(
  { space, sampler: new Hyperband({ maxResource: EPOCHS / 3, eta: 3, inner: new RandomSampler({ seed: 7 }) }), concurrency: 4, progress: false },
  ({ lr, hidden, l2 }: P, { i, resources, state }) => {
    const net = state ? clone(state as Net) : initNet(hidden, 1000 + i); // resume: train only the extra epochs
    while (net.epochs < Math.round(3 * resources!)) {
      trainEpoch(net, lr, l2);
      epochsRun++;
    }
    return { value: logLoss(net, valid), state: net };
  },
);
const best = hb.best!;
console.log(
  `Hyperband (R = ${EPOCHS / 3} units of 3 epochs, eta = 3): ${hb.trials.length} evaluations, ${epochsRun} epochs, best val loss ${best.value.toFixed(4)} ` +
    `at ${3 * best.resources!} epochs, accuracy ${(100 * accuracy(best.state as Net, valid)).toFixed(1)}% (${show(best.params)})`,
);
