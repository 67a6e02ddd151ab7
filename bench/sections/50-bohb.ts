import { cpus } from 'node:os';
import { hyperopt } from '../../src/run/hyperopt.js';
import { BOHB, type BOHBOptions } from '../../src/samplers/BOHB.js';
import { BohbModel } from '../../src/samplers/bohb/BohbModel.js';
import { DefaultPolicy } from '../../src/samplers/bohb/DefaultPolicy.js';
import { createRng } from '../../src/samplers/internal/rng.js';
import { problems, type Problem } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type AnchorProblem, type JobOf } from '../lib/anchor.js';
import { bestSoFar } from '../lib/bestSoFar.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

/** BOHB variants: the default, HpBandSter's rules, and the default with one deviation undone. */
const VARIANTS: readonly { label: string; options: BOHBOptions; quick: boolean }[] = [
  { label: 'BOHB (default)', options: {}, quick: true },
  { label: "BOHB mode 'hpbandster'", options: { mode: 'hpbandster' }, quick: true },
  { label: "default, kernel 'joint' (no marginal experts)", options: { kernel: 'joint' }, quick: false },
  { label: 'default, local 0 (no coordinate moves)', options: { local: 0 }, quick: false },
  { label: 'default, bwFactor 1 (draws as wide as l)', options: { bwFactor: 1 }, quick: false },
];

/** Best-so-far values of one run, in sampling order. */
async function curve(problem: Problem, options: BOHBOptions, seed: number, trials: number, concurrency = 1): Promise<number[]> {
  // With concurrency > 1 the objective resolves a microtask later, so `concurrency` trials really are in flight.
  const objective = concurrency > 1 ? (p: Record<string, unknown>) => Promise.resolve().then(() => problem.objective(p)) : problem.objective;
  const ho = await hyperopt({ space: problem.space, iterations: trials, concurrency, progress: false, sampler: new BOHB({ seed, dims: problem.dims, ...options }) }, objective);
  return bestSoFar([...ho.trials].sort((a, b) => a.i - b.i).map((t) => t.value));
}

/** The concurrency the parallel comparison runs at. */
const PARALLEL = 8;

/** Median regret at each checkpoint over the seeds, from best-so-far curves. */
function medianRegret(problem: Problem, curves: readonly number[][], checkpoints: readonly number[]): number[] {
  return checkpoints.map((n) => median(curves.map((c) => c[n - 1])) - problem.gridFStar);
}

/** The smallest trial count at which concurrency 1's median regret is at or below `target` (undefined: not within its run). */
function trialsToReach(problem: Problem, curves: readonly number[][], target: number): number | undefined {
  for (let n = 1; n <= curves[0].length; n++) if (medianRegret(problem, curves, [n])[0] <= target) return n;
  return undefined;
}

/**
 * Concurrency 8 against 1 at equal trials, with enough seeds that the ratio
 * means something (hartmann6's median sits between two basins: at 20 seeds
 * one seed changing basin moves it 3×), the same ratio between two disjoint
 * seed sets at concurrency 1 as the noise floor, and Optuna's TPE at both.
 */
async function concurrencyTable(quick: boolean, anchor$: Promise<Awaited<ReturnType<typeof runAnchor<JobOf<'quality'>>>>>): Promise<string> {
  const n = quick ? 2 : 100;
  const seeds = Array.from({ length: n }, (_, k) => k + 1);
  const others = seeds.map((s) => s + n);
  const checkpoints = quick ? [50] : [100, 200];
  const trials = checkpoints[checkpoints.length - 1];
  const rows: string[][] = [];
  const tpe = new Map<string, number[]>(); // `${problem}/${concurrency}` -> regret per checkpoint
  for (const r of await anchor$) {
    if (r.skipped || r.job.trials < trials) continue;
    const p = problems.find((q) => q.name === r.job.problem)!;
    tpe.set(
      `${p.name}/${r.job.concurrency ?? 1}`,
      medianRegret(
        p,
        r.seeds.map((s) => s.best),
        checkpoints,
      ),
    );
  }
  for (const problem of problems) {
    const runs = async (ss: number[], c: number) => {
      const cs: number[][] = [];
      for (const seed of ss) cs.push(await curve(problem, {}, seed, trials, c));
      return cs;
    };
    const one = await runs(seeds, 1);
    const c1 = medianRegret(problem, one, checkpoints);
    const c8 = medianRegret(problem, await runs(seeds, PARALLEL), checkpoints);
    const floor = quick ? undefined : medianRegret(problem, await runs(others, 1), checkpoints);
    const t1 = tpe.get(`${problem.name}/1`);
    const t8 = tpe.get(`${problem.name}/${PARALLEL}`);
    checkpoints.forEach((cp, k) => {
      const reach = trialsToReach(problem, one, c8[k]);
      rows.push([
        problem.name,
        String(cp),
        fmt(c1[k]),
        fmt(c8[k]),
        ratio(c8[k], c1[k]),
        floor ? ratio(floor[k], c1[k]) : 'n/a',
        reach === undefined ? `> ${trials}` : String(reach),
        t1 ? fmt(t1[k]) : 'n/a',
        t8 ? fmt(t8[k]) : 'n/a',
        t1 && t8 ? ratio(t8[k], t1[k]) : 'n/a',
        t8 ? ratio(c8[k], t8[k]) : 'n/a',
      ]);
    });
  }
  const tpeSeeds = quick ? 2 : 20;
  return [
    `### Concurrency ${PARALLEL} against 1`,
    '',
    `BOHB (default) over ${n} seeds (1..${n}) at concurrency 1 and ${PARALLEL}: the objective resolves a microtask later, so ${PARALLEL} trials`,
    `are in flight and every draw misses the last ${PARALLEL - 1} results. *Noise floor*: concurrency 1 on seeds ${n + 1}..${2 * n} ÷ seeds 1..${n},`,
    `how far two medians of the same setting differ. *Trials at c = 1*: the fewest trials at which concurrency 1 reaches`,
    `concurrency ${PARALLEL}’s regret. Optuna: \`TPESampler(seed)\` at concurrency 1 and \`TPESampler(seed, constant_liar=True)\``,
    `at concurrency ${PARALLEL} (ask/tell, results told in asking order), ${tpeSeeds} seeds. Median regret; ratios below 1× favour the first named.`,
    '',
    table(
      [
        'problem',
        'trials',
        'c = 1',
        `c = ${PARALLEL}`,
        `c = ${PARALLEL} ÷ c = 1`,
        'noise floor',
        `trials at c = 1 for c = ${PARALLEL}’s regret`,
        'TPE c = 1',
        `TPE c = ${PARALLEL}`,
        'TPE ÷',
        `BOHB ÷ TPE, c = ${PARALLEL}`,
      ],
      rows,
    ),
  ].join('\n');
}

/** Milliseconds per draw (refit included) with `n` observations in 6 continuous dims: min and median of blocks. */
function drawSpeed(n: number, blocks: number): { min: number; median: number; cpu: number } {
  const d = 6;
  const rng = createRng(1);
  const b = new BOHB({ seed: 1 });
  const model = new BohbModel(
    new DefaultPolicy(
      { kinds: Array<number>(d).fill(0), levels: Array<number>(d).fill(0) },
      {
        q: b.q,
        Ns: b.Ns,
        bwFactor: b.bwFactor,
        minBandwidth: b.minBandwidth,
        Nmin: 10,
        maxGood: b.maxGood,
        priorWeight: b.priorWeight,
        kernel: b.kernel,
        local: 0,
        window: b.window,
      },
    ),
    b.rho,
  );
  const f = (x: Float64Array) => x.reduce((s, v, j) => s + (v - 0.1 * (j + 1)) ** 2, 0);
  for (let k = 0; k < n; k++) {
    const x = Float64Array.from({ length: d }, rng);
    model.observe(x, f(x), undefined, k);
  }
  const times: number[] = [];
  let id = n;
  // Warm-up: the JIT compiles the scoring loops before anything is timed.
  for (let k = 0; k < 30; k++) {
    const x = model.propose(rng) ?? Float64Array.from({ length: d }, rng);
    model.observe(x, f(x), undefined, id++);
  }
  const cpu0 = process.cpuUsage();
  for (let block = 0; block < blocks; block++) {
    const t0 = performance.now();
    // Each draw follows a new observation, as in the loop: the refit is part of the cost. Local
    // coordinate moves (cheap) are left out so every draw is a full model draw.
    for (let k = 0; k < 10; k++) {
      const x = model.propose(rng) ?? Float64Array.from({ length: d }, rng);
      model.observe(x, f(x), undefined, id++);
    }
    times.push((performance.now() - t0) / 10);
  }
  // CPU time too: on a shared machine wall time also counts other processes' turns.
  return { min: Math.min(...times), median: median(times), cpu: process.cpuUsage(cpu0).user / 1000 / (blocks * 10) };
}

/**
 * BOHB against Optuna's TPE in the same run: quality of the default mode,
 * of HpBandSter's rules and of the default with each deviation undone; the
 * cost of one draw at 1,000 observations; concurrency 8 against 1.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  const seeds = Array.from({ length: quick ? 2 : 20 }, (_, k) => k + 1);
  const checkpoints = quick ? [25, 50] : [25, 50, 100, 200];
  const trials = checkpoints[checkpoints.length - 1];
  const jobs: JobOf<'quality'>[] = problems.flatMap((p) => [
    { mode: 'quality' as const, problem: p.name as AnchorProblem, sampler: 'tpe' as const, seeds, trials },
    // Optuna's own way to run TPE in parallel: trials in flight count as the worst.
    { mode: 'quality' as const, problem: p.name as AnchorProblem, sampler: 'tpe_constant_liar' as const, seeds, trials, concurrency: PARALLEL },
  ]);
  const anchor$ = optunaStatus().available ? runAnchor(jobs, { processes: Math.max(1, cpus().length - 1) }) : Promise.resolve([]);

  const variants = VARIANTS.filter((v) => !quick || v.quick);
  const regret = new Map<string, number[]>(); // `${problem}/${label}` -> median regret per checkpoint
  for (const problem of problems) {
    for (const v of variants) {
      const cs: number[][] = [];
      for (const seed of seeds) cs.push(await curve(problem, v.options, seed, trials));
      regret.set(`${problem.name}/${v.label}`, medianRegret(problem, cs, checkpoints));
    }
  }
  const concurrency = await concurrencyTable(quick, anchor$);
  const tpe = new Map<string, number[]>();
  for (const r of await anchor$) {
    if (r.skipped || (r.job.concurrency ?? 1) !== 1) continue;
    const p = problems.find((q) => q.name === r.job.problem)!;
    tpe.set(
      p.name,
      medianRegret(
        p,
        r.seeds.map((s) => s.best),
        checkpoints,
      ),
    );
  }
  const speed = drawSpeed(1000, quick ? 20 : 50);

  const out = [
    '## BOHB against Optuna TPE',
    '',
    `${seeds.length} seeds (${seeds[0]}..${seeds[seeds.length - 1]}) × ${trials} trials, grid-form problems, concurrency 1 unless said.`,
    'Cells: median regret (best − grid f\\*) and, in parentheses, its ratio to Optuna TPE (`TPESampler(seed)`, defaults)',
    'measured in this run; below 1× is better. The first row is `new BOHB({ dims, seed })`; the second HpBandSter’s rules',
    "(`mode: 'hpbandster'`: normal-reference bandwidths, ρ = 1/3, b_w = 3, N_min = d + 1); the others undo one",
    'deviation of the default mode each (src/samplers/BOHB.ts documents them).',
    '',
  ];
  const skipped = optunaSkippedLine();
  if (skipped) out.push(skipped, '');
  for (const problem of problems) {
    out.push(`### ${problem.name}`, '');
    const t = tpe.get(problem.name);
    const rows: string[][] = [];
    if (t) rows.push(['Optuna TPE', ...t.map((x) => fmt(x))]);
    for (const v of variants) {
      const r = regret.get(`${problem.name}/${v.label}`)!;
      rows.push([v.label, ...r.map((x, k) => `${fmt(x)} (${t ? ratio(x, t[k]) : 'n/a'})`)]);
    }
    out.push(table(['sampler', ...checkpoints.map((n) => `regret @${n}`)], rows), '');
  }
  out.push(concurrency, '');
  out.push(
    '### Cost of one draw',
    '',
    `One BOHB draw (refit and ${new BOHB().Ns} candidates scored) with 1,000 observations in 6 continuous dimensions:`,
    `**${fmt(speed.min, 3)} ms** wall (fastest block of 10 draws; median block ${fmt(speed.median, 3)} ms), ${fmt(speed.cpu, 3)} ms of CPU time per draw`,
    'on average (target < 1 ms; this machine is shared, see the load average in the header).',
    'Optuna TPE’s cost per trial at 1,000 trials is in the overhead section.',
    '',
  );
  return out.join('\n');
}
