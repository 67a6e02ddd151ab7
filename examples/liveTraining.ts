// Live training with TensorFlow.js: a real (tiny) network on Fisher's iris data, tuned with
// its validation loss streamed once per epoch. Pruners stop hopeless fits by unsubscription
// (model.stopTraining, then the model is disposed); Hyperband and ASHA resume a promoted
// configuration from its weights. Prints one table comparing the strategies over seeds.
//
//   npx tsx examples/liveTraining.ts           the guide's table (5 seeds, up to 27 epochs)
//   npx tsx examples/liveTraining.ts --quick   one seed, up to 9 epochs (CI runs this form)
import { memory, setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { hyperopt, BOHB, Hyperband, MedianPruner, RandomSampler, SuccessiveHalvingPruner, withPruner, type Sampler } from '../src/index.js';
import { irisTensors } from './live-training/iris.js';
import { irisObjective } from './live-training/objective.js';
import { space } from './live-training/model.js';

const quick = process.argv.includes('--quick') || process.env.CI === 'true';
const seeds = quick ? [1] : [1, 2, 3, 4, 5];
const maxEpochs = quick ? 9 : 27;
const eta = 3;
const concurrency = 4;

await setBackend('cpu');
const data = irisTensors();
const baseline = memory().numTensors;

interface Strategy {
  readonly name: string;
  readonly sampler: (seed: number) => Sampler;
  /** Hyperband and ASHA: promoted configurations resume from their weights. */
  readonly resumes?: boolean;
}
// The same number of configurations for every strategy: as many as one Hyperband iteration draws.
const hyperbandOf = (seed: number, asynchronous: boolean) => new Hyperband({ maxResource: maxEpochs, eta, inner: new BOHB({ seed }), asynchronous });
const strategies: Strategy[] = [
  { name: 'no pruning (random search)', sampler: (seed) => new RandomSampler({ seed }) },
  { name: 'MedianPruner', sampler: (seed) => withPruner(new RandomSampler({ seed }), new MedianPruner({ startupTrials: 4, warmupSteps: 1 })) },
  { name: 'SuccessiveHalvingPruner', sampler: (seed) => withPruner(new RandomSampler({ seed }), new SuccessiveHalvingPruner({ minResource: 1, eta })) },
  { name: 'Hyperband + BOHB', sampler: (seed) => hyperbandOf(seed, false), resumes: true },
  { name: 'ASHA + BOHB', sampler: (seed) => hyperbandOf(seed, true), resumes: true },
];

interface Row {
  ms: number;
  cpuMs: number;
  epochs: number;
  fromScratch: number;
  evaluations: number;
  configurations: number;
  pruned: number;
  best: number;
}
const rows = new Map<string, Row[]>(strategies.map((s) => [s.name, []]));
let configurations = 0;
for (const seed of seeds) {
  for (const strategy of [...strategies].reverse()) {
    // Hyperband first: its configuration count is the others' `iterations`.
    let epochs = 0;
    const objective = irisObjective(data, { maxEpochs, onDisposed: (fit) => (epochs += fit.epochs) });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage(); // wall time depends on what else the machine runs; CPU time less so
    const ho = await hyperopt({ space, sampler: strategy.sampler(seed), iterations: strategy.resumes ? 1 : configurations, concurrency }, objective);
    const ms = performance.now() - t0;
    const { user, system } = process.cpuUsage(cpu0);
    const distinct = new Set(ho.trials.map((t) => t.i)).size;
    if (strategy.resumes) configurations = Math.max(configurations, distinct);
    rows.get(strategy.name)!.push({
      ms,
      cpuMs: (user + system) / 1000,
      epochs,
      // Retraining from scratch at every rung would train each evaluation's whole budget.
      fromScratch: ho.trials.reduce((s, t) => s + (t.resources ?? 0), 0),
      evaluations: ho.trials.length,
      configurations: distinct,
      pruned: ho.trials.filter((t) => t.status === 'pruned').length,
      best: ho.minimum,
    });
  }
}
// A pruned fit disposes its model once TF.js returns from its epoch, a moment after the trial is recorded (allow 10 s).
for (let wait = 0; wait < 500 && memory().numTensors > baseline; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
const leaked = memory().numTensors - baseline;

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
console.log(
  `Iris, ${space.units.length} widths x 31 learning rates x 2 optimizers; up to ${maxEpochs} epochs per configuration; concurrency ${concurrency}; ` +
    `seeds ${seeds.join(', ')} (mean per seed; best validation loss: mean, and min-max over seeds)\n`,
);
console.log('| strategy | configurations | evaluations | pruned | epochs trained | from scratch | wall time | CPU time | best validation loss |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const strategy of strategies) {
  const r = rows.get(strategy.name)!;
  const best = r.map((x) => x.best);
  const scratch = strategy.resumes ? `${mean(r.map((x) => x.fromScratch)).toFixed(0)}` : '—';
  console.log(
    `| ${strategy.name} | ${mean(r.map((x) => x.configurations)).toFixed(0)} | ${mean(r.map((x) => x.evaluations)).toFixed(0)} | ${mean(r.map((x) => x.pruned)).toFixed(0)} | ` +
      `${mean(r.map((x) => x.epochs)).toFixed(0)} | ${scratch} | ${(mean(r.map((x) => x.ms)) / 1000).toFixed(1)} s | ${(mean(r.map((x) => x.cpuMs)) / 1000).toFixed(1)} s | ` +
      `${mean(best).toFixed(3)} (${Math.min(...best).toFixed(3)}–${Math.max(...best).toFixed(3)}) |`,
  );
}
const full = sum(rows.get(strategies[0].name)!.map((x) => x.epochs));
for (const strategy of strategies.slice(1)) {
  const r = rows.get(strategy.name)!;
  const trained = sum(r.map((x) => x.epochs));
  const saved = strategy.resumes ? `; resuming from weights trained ${trained} of the ${sum(r.map((x) => x.fromScratch))} epochs retraining from scratch would` : '';
  console.log(`${strategy.name}: ${(100 * (1 - trained / full)).toFixed(0)}% fewer epochs than no pruning${saved}`);
}
console.log(`tensors left after every run: ${leaked} (the data's own tensors excluded)`);
data.dispose();
if (leaked !== 0) process.exitCode = 1;
