import { hyperopt, RandomSampler } from '../../src/index.js';
import { braninProblem, type Params } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type JobOf } from '../lib/anchor.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wall and busy time of `trials` sleeping evaluations at `concurrency`, ours. */
async function runOurs(trials: number, concurrency: number, sleepMs: number): Promise<{ wall: number; busy: number }> {
  let busy = 0;
  const objective = async (params: Params) => {
    const t0 = performance.now();
    await sleep(sleepMs);
    busy += performance.now() - t0;
    return braninProblem.objective(params);
  };
  const t0 = performance.now();
  await hyperopt({ space: braninProblem.space, iterations: trials, concurrency, sampler: new RandomSampler({ seed: 1 }), progress: false }, objective);
  return { wall: performance.now() - t0, busy };
}

/**
 * (d) Parallel evaluation: a sleeping objective at concurrency 1, 8 and 32,
 * ours (promises in flight) against Optuna's `n_jobs` threads.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  const sleepMs = quick ? 10 : 20;
  const trials = quick ? 64 : 256;
  const levels = [1, 8, 32];
  const ours = new Map<number, { wall: number; busy: number }>();
  for (const c of levels) ours.set(c, await runOurs(trials, c, sleepMs));
  const jobs: JobOf<'parallel'>[] = levels.map((concurrency) => ({
    mode: 'parallel',
    problem: 'branin',
    sampler: 'random',
    trials,
    sleepMs,
    concurrency,
  }));
  const anchor = optunaStatus().available ? await runAnchor(jobs) : [];

  const rows = levels.map((c) => {
    const o = ours.get(c)!;
    const a = anchor.find((r) => r.job.concurrency === c);
    const ideal = Math.ceil(trials / c) * sleepMs;
    return [
      String(c),
      fmt(ideal, 4),
      fmt(o.wall, 4),
      fmt(a ? a.wallSeconds * 1000 : NaN, 4),
      ratio(o.wall, a ? a.wallSeconds * 1000 : NaN),
      `${fmt((100 * o.busy) / (o.wall * c), 3)}%`,
      a ? `${fmt(100 * a.utilisation, 3)}%` : 'n/a',
    ];
  });
  const skipped = optunaSkippedLine();
  return [
    '## (d) Parallel evaluation: wall time and utilisation',
    '',
    `${trials} trials of an objective that sleeps ${sleepMs} ms (RandomSampler on branin; Optuna: RandomSampler,`,
    '`study.optimize(n_jobs=c)` on threads). Ideal wall time = ceil(trials ÷ c) × sleep. Utilisation = time spent inside',
    'the objective ÷ (wall time × c): 100% means no slot ever waited for the optimizer. Timings are machine-dependent.',
    ...(skipped ? ['', skipped] : []),
    '',
    table(['concurrency c', 'ideal ms', 'ours wall ms', 'Optuna wall ms', 'ours ÷ Optuna', 'ours utilisation', 'Optuna utilisation'], rows),
  ].join('\n');
}
