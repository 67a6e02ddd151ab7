import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GPSampler, hyperopt, uniform, type Space } from '../../src/index.js';
import { branin, hartmann6, problems, type Problem } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, PYTHON, runAnchor, type AnchorProblem, type JobOf } from '../lib/anchor.js';
import { bestSoFar } from '../lib/bestSoFar.js';
import { lastJsonLine, runPython } from '../lib/runPython.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

const SCRIPT = fileURLToPath(new URL('../sklearn/gpAnchor.py', import.meta.url));

/** A continuous problem as the GP-EI reference runs it (problems.md's continuous form). */
interface ContinuousProblem {
  readonly name: 'branin' | 'hartmann6';
  readonly space: Space;
  readonly f: (p: Readonly<Record<string, unknown>>) => number;
  readonly fStar: number;
}

const HARTMANN = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
const CONTINUOUS: readonly ContinuousProblem[] = [
  { name: 'branin', space: { x1: uniform(-5, 10), x2: uniform(0, 15) }, f: (p) => branin([p.x1 as number, p.x2 as number]), fStar: 0.39788735772973816 },
  {
    name: 'hartmann6',
    space: Object.fromEntries(HARTMANN.map((n) => [n, uniform(0, 1)])),
    f: (p) => hartmann6(HARTMANN.map((n) => p[n] as number)),
    fStar: -3.322368011415515,
  },
];

interface GpAnchorResult {
  job: { problem: string; seeds: number[]; trials: number };
  seeds: { seed: number; best: number[]; seconds: number; cpuSeconds?: number }[];
}

/** Runs bench/sklearn/gpAnchor.py on `jobs`, one process per job (quality does not depend on timing). */
async function runGpAnchor(jobs: readonly { problem: string; seeds: number[]; trials: number }[]): Promise<GpAnchorResult[]> {
  const env = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  return Promise.all(jobs.map(async (job) => (await runPython<{ results: GpAnchorResult[] }>(PYTHON, SCRIPT, { jobs: [job] }, env)).results[0]));
}

/**
 * The reference's results: measured now, or read from the files named by
 * BENCH_GP_ANCHOR (comma-separated gpAnchor.py outputs), for a machine too
 * loaded to run 20 seeds of scikit-learn inside the section; the report
 * then says so.
 */
async function gpReference(on: readonly ContinuousProblem[], seeds: number[], trials: number): Promise<{ results: GpAnchorResult[]; note: string }> {
  const files = process.env.BENCH_GP_ANCHOR;
  if (files) {
    const results = files.split(',').flatMap((f) => lastJsonLine<{ results?: GpAnchorResult[] }>(readFileSync(f, 'utf8')).results ?? []);
    return { results, note: `GP-EI reference read from ${files} (gpAnchor.py run separately on this machine, same seeds and trials), not measured in this run.` };
  }
  const results = await runGpAnchor(on.flatMap((p) => seeds.map((seed) => ({ problem: p.name, seeds: [seed], trials }))));
  const merged = on.map((p) => ({ job: { problem: p.name, seeds, trials }, seeds: results.filter((r) => r.job.problem === p.name).flatMap((r) => r.seeds) }));
  const only = on.length < CONTINUOUS.length ? ` (on ${on.map((p) => p.name).join(', ')} only)` : '';
  return { results: merged, note: `GP-EI reference measured in this run${only}.` };
}

/** Best-so-far values of one GPSampler run, in sampling order, and the CPU milliseconds of each proposal. */
async function gpRun(space: Space, f: (p: Readonly<Record<string, unknown>>) => number, seed: number, trials: number, dims?: Problem['dims']) {
  // A proposal's cost: CPU time from one objective call's return to the next call (the loop's own share is microseconds).
  const costs: number[] = [];
  let returned: number | undefined;
  const objective = (p: Readonly<Record<string, unknown>>) => {
    const now = process.cpuUsage().user / 1000;
    if (returned !== undefined) costs.push(now - returned);
    const value = f(p);
    returned = process.cpuUsage().user / 1000;
    return value;
  };
  const ho = await hyperopt({ space, iterations: trials, progress: false, sampler: new GPSampler({ seed, ...(dims ? { dims } : {}) }) }, objective);
  return { best: bestSoFar([...ho.trials].sort((a, b) => a.i - b.i).map((t) => t.value)), costs };
}

/** Median regret at each checkpoint over best-so-far curves. */
function medianRegret(curves: readonly number[][], checkpoints: readonly number[], fStar: number): number[] {
  return checkpoints.map((n) => median(curves.map((c) => c[n - 1])) - fStar);
}

/**
 * GPSampler against the GP-EI reference (scikit-learn, skopt's recipe) on
 * the continuous problems, and against Optuna TPE on the grid-form
 * hyperoptjl and counting ones; its cost per proposal at about 100
 * observations.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  // Quick mode (CI) is a smoke run of every part, anchors included, not a measurement: one seed, 25 trials. Its CPU
  // time is mostly Python starting up (scikit-learn, Optuna), so the reference runs once, on branin, with 15 trials.
  const seeds = Array.from({ length: quick ? 1 : 20 }, (_, k) => k + 1);
  const checkpoints = quick ? [15, 25] : [25, 50, 100];
  const trials = checkpoints[checkpoints.length - 1];
  // The reference costs 0.2-0.3 s per trial.
  const refSeeds = quick ? [1] : seeds;
  const refTrials = quick ? 15 : trials;
  const reference$ = gpReference(quick ? CONTINUOUS.slice(0, 1) : CONTINUOUS, refSeeds, refTrials).catch((error: Error) => ({
    results: [] as GpAnchorResult[],
    note: `**GP-EI reference skipped**: ${error.message}`,
  }));
  const grid = problems.filter((p) => p.name === 'hyperoptjl' || p.name === 'counting_ones');
  const tpeJobs: JobOf<'quality'>[] = grid.map((p) => ({ mode: 'quality' as const, problem: p.name as AnchorProblem, sampler: 'tpe' as const, seeds, trials }));
  const tpe$ = optunaStatus().available ? runAnchor(tpeJobs) : Promise.resolve([]);

  const rows: string[][] = [];
  const costAt100: number[] = [];
  const reference = await reference$;
  for (const p of CONTINUOUS) {
    const curves: number[][] = [];
    for (const seed of seeds) {
      const { best, costs } = await gpRun(p.space, p.f, seed, trials);
      curves.push(best);
      // Proposals made with 90 to 99 observations.
      costAt100.push(...costs.slice(89, 99));
    }
    const ours = medianRegret(curves, checkpoints, p.fStar);
    const ref = reference.results.find((r) => r.job.problem === p.name);
    const refCurves = ref?.seeds.map((s) => s.best) ?? [];
    const refRegret = checkpoints.map((n) => (refCurves.length > 0 && refCurves[0].length >= n ? median(refCurves.map((c) => c[n - 1])) - p.fStar : NaN));
    // CPU time where the reference reports it: its processes share the cores with each other and with this section.
    const refSeconds = ref ? median(ref.seeds.map((s) => (s.cpuSeconds ?? s.seconds) / s.best.length)) * 1000 : NaN;
    rows.push([`${p.name} (continuous)`, 'GP-EI (scikit-learn)', ...refRegret.map((x) => fmt(x)), `${fmt(refSeconds, 3)} ms`]);
    rows.push(['', 'GPSampler', ...ours.map((x, k) => `${fmt(x)} (${ratio(x, refRegret[k])})`), '']);
  }
  const tpe = await tpe$;
  for (const p of grid) {
    const curves: number[][] = [];
    for (const seed of seeds) curves.push((await gpRun(p.space, p.objective, seed, trials, p.dims)).best);
    const ours = medianRegret(curves, checkpoints, p.gridFStar);
    const t = tpe.find((r) => !r.skipped && r.job.problem === p.name);
    const tpeRegret = t
      ? medianRegret(
          t.seeds.map((s) => s.best),
          checkpoints,
          p.gridFStar,
        )
      : checkpoints.map(() => NaN);
    rows.push([`${p.name} (grid form)`, 'Optuna TPE', ...tpeRegret.map((x) => fmt(x)), '']);
    rows.push(['', 'GPSampler', ...ours.map((x, k) => `${fmt(x)} (${ratio(x, tpeRegret[k])})`), '']);
  }
  const cost = costAt100.length > 0 ? { median: median(costAt100), mean: costAt100.reduce((a, b) => a + b, 0) / costAt100.length } : undefined;

  const out = [
    '## GPSampler: Gaussian-process BO against GP-EI and TPE',
    '',
    `${seeds.length > 1 ? `${seeds.length} seeds (${seeds[0]}..${seeds[seeds.length - 1]})` : `1 seed (${seeds[0]})`} × ${trials} trials, concurrency 1, \`new GPSampler({ seed })\` (defaults: 10 random`,
    'initial points, 512 scored candidates). Cells: median regret (best − f\\*; grid form: best − grid f\\*) and, in parentheses,',
    'its ratio to the reference in the row above; below 1× is better. The GP-EI reference is bench/sklearn/gpAnchor.py:',
    'scikit-learn’s `GaussianProcessRegressor` with ConstantKernel × Matern(ν = 2.5, ARD) + WhiteKernel, normalize_y,',
    `10 random initial points, EI over 2,000 random points then L-BFGS-B from the best 5 (${refSeeds.length} seed${refSeeds.length > 1 ? 's' : ''}, ${refTrials} trials;`,
    'its last column is its median CPU time per trial, in its own process). Optuna TPE: `TPESampler(seed)` on the grid form, as in the sections above.',
    '',
    reference.note,
    '',
  ];
  const skipped = optunaSkippedLine();
  if (skipped) out.push(skipped, '');
  out.push(table(['problem', 'sampler', ...checkpoints.map((n) => `regret @${n}`), 'cost per trial'], rows), '');
  if (cost) {
    out.push(
      '### Cost of one proposal',
      '',
      `GPSampler, proposals made with 90–99 observations on branin and hartmann6 (continuous): **${fmt(cost.median, 3)} ms** CPU per proposal`,
      `(median; mean ${fmt(cost.mean, 3)} ms, which includes the multi-start hyperparameter refit every 10 observations). Target: at most 10 ms.`,
      'CPU time, because this machine is shared (see the load average in the header).',
      '',
    );
  }
  return out.join('\n');
}
