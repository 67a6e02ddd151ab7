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
  { label: 'default, bwFactor 1 (draws as wide as l up to 8 dims, wider above)', options: { bwFactor: 1 }, quick: false },
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

/** Bootstrap resamples of the seeds for the noise floor of a median. */
const BOOTSTRAP = 2000;

/** The 5th and 95th percentile of the median of `xs` over bootstrap resamples (a fixed rng: the same interval every run). */
function bootstrapMedian(xs: readonly number[]): [number, number] {
  const rng = createRng('bootstrap');
  const meds: number[] = [];
  const sample = new Array<number>(xs.length);
  for (let b = 0; b < BOOTSTRAP; b++) {
    for (let k = 0; k < xs.length; k++) sample[k] = xs[Math.floor(rng() * xs.length)];
    meds.push(median(sample));
  }
  meds.sort((x, y) => x - y);
  return [meds[Math.floor(0.05 * BOOTSTRAP)], meds[Math.floor(0.95 * BOOTSTRAP)]];
}

type QualityResults = Awaited<ReturnType<typeof runAnchor<JobOf<'quality'>>>>;

/** Median regret per checkpoint of one Optuna sampler at one concurrency, by problem. */
function anchorRegret(results: QualityResults, sampler: string, concurrency: number, checkpoints: readonly number[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of results) {
    if (r.skipped || r.job.sampler !== sampler || (r.job.concurrency ?? 1) !== concurrency) continue;
    const p = problems.find((q) => q.name === r.job.problem)!;
    out.set(
      p.name,
      medianRegret(
        p,
        r.seeds.map((s) => s.best),
        checkpoints,
      ),
    );
  }
  return out;
}

/**
 * The parallel-efficiency target: concurrency 8 at 200 trials against
 * concurrency 1 at 150 (75 % efficiency), over enough seeds that the
 * comparison means something (hartmann6's median sits between two basins),
 * with the bootstrap interval of both medians as the noise floor; the
 * believer with the k-means batch rule against k-means alone and plain
 * constant liar; Optuna's TPE with its constant liar
 * at concurrency 8.
 */
async function concurrencyTable(quick: boolean, anchor$: Promise<QualityResults>): Promise<string> {
  const n = quick ? 2 : 100;
  const seeds = Array.from({ length: n }, (_, k) => k + 1);
  const trials = quick ? 40 : 200;
  const early = (trials * 3) / 4;
  const rows: string[][] = [];
  const cl = anchorRegret(await anchor$, 'tpe_constant_liar', PARALLEL, [trials]);
  for (const problem of problems) {
    const runs = async (c: number, options: BOHBOptions) => {
      const cs: number[][] = [];
      for (const seed of seeds) cs.push(await curve(problem, options, seed, trials, c));
      return cs.map((cv) => cv.map((v) => v - problem.gridFStar));
    };
    const ones = await runs(1, {});
    const one = ones.map((cv) => cv[early - 1]);
    const eight = (await runs(PARALLEL, {})).map((cv) => cv[trials - 1]);
    const alone = (await runs(PARALLEL, { believer: 'none' })).map((cv) => cv[trials - 1]);
    const plain = (await runs(PARALLEL, { batch: 'none' })).map((cv) => cv[trials - 1]);
    const [m1, m8, mAlone, mPlain] = [median(one), median(eight), median(alone), median(plain)];
    const [lo1, hi1] = bootstrapMedian(one);
    const [lo8, hi8] = bootstrapMedian(eight);
    const t8 = cl.get(problem.name)?.[0];
    const match = trialsToMatch(ones, m8);
    rows.push([
      problem.name,
      `${fmt(m1)} [${fmt(lo1, 3)}, ${fmt(hi1, 3)}]`,
      `${fmt(m8)} [${fmt(lo8, 3)}, ${fmt(hi8, 3)}]`,
      ratio(m8, m1),
      m8 <= m1 ? 'yes' : 'no',
      match === undefined ? `> ${trials} (> 100 %)` : `${match} (${Math.round((100 * match) / trials)} %)`,
      fmt(mAlone),
      fmt(mPlain),
      ratio(m8, mPlain),
      t8 === undefined ? 'n/a' : fmt(t8),
      t8 === undefined ? 'n/a' : ratio(m8, t8),
    ]);
  }
  const tpeSeeds = quick ? 2 : 20;
  return [
    `### Concurrency ${PARALLEL} against 1`,
    '',
    `BOHB (default) over ${n} seeds (1..${n}): concurrency 1 at ${early} trials against concurrency ${PARALLEL} at ${trials} (the target:`,
    `${PARALLEL} in flight reach the sequential run's regret with a third more trials, 75 % efficiency). At concurrency ${PARALLEL} the objective`,
    `resolves a microtask later, so ${PARALLEL} trials are in flight, results arrive in order and every draw misses the last ${PARALLEL - 1}.`,
    `Cells: median regret and, in brackets, the 5–95 % bootstrap interval of that median (${BOOTSTRAP} resamples of the seeds), the`,
    `noise floor. *c = 1 trials to match*: the fewest trials at which concurrency 1's median regret (same seeds) is at or below`,
    `concurrency ${PARALLEL}'s at ${trials}, and that count ÷ ${trials}, the parallel efficiency. *k-means alone*: the same runs without the believer (\`believer: 'none'\`); *batch 'none'*: without the k-means`,
    `batch rule either (constant liar and fewer candidates only, the 0.1 behaviour). Optuna: \`TPESampler(seed, constant_liar=True)\` at concurrency ${PARALLEL} (ask/tell, results told in asking order),`,
    `${tpeSeeds} seeds, ${trials} trials. Ratios below 1× favour the first named.`,
    '',
    table(
      [
        'problem',
        `c = 1 @${early}`,
        `c = ${PARALLEL} @${trials}`,
        `c = ${PARALLEL} @${trials} ÷ c = 1 @${early}`,
        'target met',
        `c = 1 trials to match (efficiency)`,
        `c = ${PARALLEL}, k-means alone`,
        `c = ${PARALLEL}, batch 'none'`,
        "default ÷ 'none'",
        `TPE constant liar c = ${PARALLEL}`,
        'BOHB ÷ TPE',
      ],
      rows,
    ),
  ].join('\n');
}

/** The fewest trials at which the median over seeds of `curves` (regret per trial) is at or below `target`; undefined if none. */
function trialsToMatch(curves: readonly number[][], target: number): number | undefined {
  for (let t = 1; t <= curves[0].length; t++) if (median(curves.map((c) => c[t - 1])) <= target) return t;
  return undefined;
}

/** BOHB's default against Optuna's multivariate TPE at concurrency 1 (the regret per checkpoint measured above). */
function multivariateTable(regret: Map<string, number[]>, mv: Map<string, number[]>, checkpoints: readonly number[], seeds: number): string {
  const late = checkpoints.filter((c) => c >= 100);
  const shown = late.length > 0 ? late : checkpoints;
  const rows = problems.map((p) => {
    const ours = regret.get(`${p.name}/${VARIANTS[0].label}`)!;
    const theirs = mv.get(p.name);
    return [
      p.name,
      ...shown.flatMap((c) => {
        const k = checkpoints.indexOf(c);
        return [theirs ? fmt(theirs[k]) : 'n/a', fmt(ours[k]), theirs ? ratio(ours[k], theirs[k]) : 'n/a'];
      }),
    ];
  });
  return [
    '### BOHB against multivariate TPE',
    '',
    `Optuna \`TPESampler(seed, multivariate=True)\` (a joint Parzen estimator over all dimensions) and BOHB (default), ${seeds} seeds, concurrency 1,`,
    'median regret; below 1× favours BOHB.',
    '',
    table(['problem', ...shown.flatMap((c) => [`mvTPE @${c}`, `BOHB @${c}`, 'BOHB ÷ mvTPE'])], rows),
  ].join('\n');
}

/**
 * Milliseconds per draw (refit included) with `n` observations in 6 continuous dims: min and median of blocks.
 * `inFlight` > 0: each draw is made while that many earlier ones are in flight (the oldest result arrives first, as
 * at concurrency inFlight + 1), so the k-means rule and the believer are in the cost.
 */
function drawSpeed(n: number, blocks: number, inFlight = 0): { min: number; median: number; cpu: number } {
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
        refine: b.refine,
        window: b.window,
        batch: b.batch,
        believer: b.believer,
      },
    ),
    b.rho,
  );
  const f = (x: Float64Array) => x.reduce((s, v, j) => s + (v - 0.1 * (j + 1)) ** 2, 0);
  for (let k = 0; k < n; k++) {
    const x = Float64Array.from({ length: d }, rng);
    model.observe(x, f(x), undefined, k);
  }
  let id = n;
  const flying: { id: number; x: Float64Array }[] = [];
  // One step of the loop at concurrency inFlight + 1: the oldest result arrives, then a draw is made while inFlight run.
  const step = () => {
    if (inFlight > 0 && flying.length > inFlight) {
      const done = flying.shift()!;
      model.observe(done.x, f(done.x), undefined, done.id);
    }
    const x = model.propose(rng) ?? Float64Array.from({ length: d }, rng);
    if (inFlight === 0) model.observe(x, f(x), undefined, id++);
    else {
      model.pend(id, x, 4 * (inFlight + 1));
      flying.push({ id: id++, x });
    }
  };
  // Warm-up: the JIT compiles the scoring loops before anything is timed.
  for (let k = 0; k < 30; k++) step();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let block = 0; block < blocks; block++) {
    const t0 = performance.now();
    // Each draw follows a new observation, as in the loop: the refit is part of the cost. Local
    // coordinate moves (cheap) are left out so every draw is a full model draw.
    for (let k = 0; k < 10; k++) step();
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
    { mode: 'quality' as const, problem: p.name as AnchorProblem, sampler: 'tpe_multivariate' as const, seeds, trials },
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
  const anchor = await anchor$;
  const tpe = anchorRegret(anchor, 'tpe', 1, checkpoints);
  const mv = anchorRegret(anchor, 'tpe_multivariate', 1, checkpoints);
  const speed = drawSpeed(1000, quick ? 20 : 50);
  const speed8 = drawSpeed(1000, quick ? 20 : 50, PARALLEL - 1);

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
  out.push(multivariateTable(regret, mv, checkpoints, seeds.length), '');
  out.push(concurrency, '');
  out.push(
    '### Cost of one draw',
    '',
    `One BOHB draw (refit and ${new BOHB().Ns} candidates scored) with 1,000 observations in 6 continuous dimensions:`,
    `**${fmt(speed.min, 3)} ms** wall (fastest block of 10 draws; median block ${fmt(speed.median, 3)} ms), ${fmt(speed.cpu, 3)} ms of CPU time per draw`,
    'on average (target < 1 ms; this machine is shared, see the load average in the header).',
    `With ${PARALLEL - 1} draws in flight (concurrency ${PARALLEL}: the k-means rule over the candidates and the believer's local linear fits`,
    `in the refit): ${fmt(speed8.min, 3)} ms wall (median block ${fmt(speed8.median, 3)} ms), ${fmt(speed8.cpu, 3)} ms of CPU time per draw.`,
    'Optuna TPE’s cost per trial at 1,000 trials is in the overhead section.',
    '',
  );
  return out.join('\n');
}
