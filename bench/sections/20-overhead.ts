import { hyperopt } from '../../src/index.js';
import { braninProblem } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type JobOf, type OptunaSampler } from '../lib/anchor.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import { modelBasedSampler, randomSampler as random, type OurSampler } from '../lib/ourSamplers.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

/** Milliseconds for one run of `n` trials of branin (~0.1 µs per call: the time is the library's). */
async function timeOurs(sampler: OurSampler, n: number, seed: number): Promise<number> {
  const t0 = performance.now();
  await hyperopt({ space: braninProblem.space, iterations: n, sampler: sampler.make(seed, braninProblem), progress: false }, braninProblem.objective);
  return performance.now() - t0;
}

/**
 * (a) Overhead per trial with a trivial objective, ours against Optuna in the
 * same run: random against random, the model-based sampler (BOHB) against TPE.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  // Model-based samplers cost O(n) per trial: quick mode stops them at 100 trials.
  const plan: { ours: OurSampler; optuna: OptunaSampler; sizes: number[] }[] = [
    { ours: random, optuna: 'random', sizes: quick ? [100, 1000] : [100, 1000, 5000] },
    { ours: modelBasedSampler, optuna: 'tpe', sizes: quick ? [100] : [100, 1000, 5000] },
  ];
  const repeats = (n: number) => (quick ? (n <= 100 ? 3 : 1) : n <= 1000 ? 5 : 1);

  // Ours first, then Optuna in one process: the two never share the CPU.
  for (let k = 0; k < 3; k++) await timeOurs(random, 2000, 1); // JIT warm-up
  const ours = new Map<string, number>();
  for (const { ours: sampler, sizes } of plan) {
    for (const n of sizes) {
      const times: number[] = [];
      for (let r = 0; r < repeats(n); r++) times.push(await timeOurs(sampler, n, r + 1));
      ours.set(`${sampler.label}/${n}`, (median(times) * 1000) / n);
    }
  }
  const jobs: JobOf<'overhead'>[] = plan.flatMap(({ optuna, sizes }) =>
    sizes.map((n) => ({ mode: 'overhead' as const, problem: 'branin' as const, sampler: optuna, trials: n, seeds: repeats(n) })),
  );
  const anchor = new Map<string, number>();
  if (optunaStatus().available) {
    for (const r of await runAnchor(jobs)) anchor.set(`${r.job.sampler}/${r.job.trials}`, median(r.seeds.map((s) => s.usPerTrial)));
  }

  const rows: string[][] = [];
  for (const { ours: sampler, optuna, sizes } of plan) {
    for (const n of sizes) {
      const o = ours.get(`${sampler.label}/${n}`) ?? NaN;
      const a = anchor.get(`${optuna}/${n}`) ?? NaN;
      rows.push([sampler.label, `Optuna ${optuna}`, String(n), fmt(o, 3), fmt(a, 3), ratio(o, a)]);
    }
  }
  const skipped = optunaSkippedLine();
  return [
    '## (a) Overhead per trial',
    '',
    'Sequential runs (concurrency 1) on branin in grid form, whose evaluation costs about 0.1 µs, so the time is the',
    "optimizer's: sampling, bookkeeping, the loop. Wall time of the whole run ÷ trials, median of repeated runs",
    '(seeds 1, 2, ...; ours after a JIT warm-up; Optuna with in-memory storage, `study.optimize` timed alone).',
    'Model-based samplers refit on every trial, so their cost per trial grows with the number of trials.',
    ...(skipped ? ['', skipped] : []),
    '',
    table(['ours', 'anchor', 'trials', 'ours µs/trial', 'Optuna µs/trial', 'ours ÷ Optuna'], rows),
  ].join('\n');
}
