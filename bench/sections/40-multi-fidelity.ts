import { hyperopt, Hyperband, RandomSampler, type Sampler } from '../../src/index.js';
import { COUNTING_ONES_BUDGETS, countingOnesNoisyObjective, countingOnesProblem as problem } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type JobOf, type OptunaSampler } from '../lib/anchor.js';
import { incumbentRegret, type Evaluation } from '../lib/incumbentRegret.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import { modelBasedSampler } from '../lib/ourSamplers.js';
import type { SectionOptions } from '../lib/SectionOptions.js';
import { writeFigure } from '../lib/writeFigure.js';

const { min, max, eta } = COUNTING_ONES_BUDGETS;
/** Our Hyperband counts resources 1..R; one resource is `min` Bernoulli draws, so R = 81 gives budgets 9..729. */
const R = max / min;

/** One row of the figure: ours, the Optuna run it is set against, and whether it prunes. */
interface Variant {
  readonly label: string;
  readonly optuna: OptunaSampler;
  readonly pruned: boolean;
  /** Our sampler for a seed. */
  readonly make: (seed: number) => Sampler;
}

/** Our evaluations in order, with budgets in Bernoulli draws. */
async function ourEvals(variant: Variant, seed: number, iterations: number): Promise<Evaluation[]> {
  const noisy = countingOnesNoisyObjective(seed, min);
  // Without Hyperband every trial runs at the full budget.
  const objective = variant.pruned ? noisy : (p: Record<string, unknown>, t: Parameters<typeof noisy>[1]) => noisy(p, { ...t, resources: R });
  const ho = await hyperopt({ space: problem.space, iterations, sampler: variant.make(seed), progress: false }, objective);
  return ho.trials.map((t) => [t.i, variant.pruned ? Math.round(min * t.resources!) : max, t.value, problem.f(problem.toVector(t.params))]);
}

/**
 * (c) Counting ones (8 + 8), multi-fidelity: regret of the incumbent's
 * noise-free loss against the total budget spent, Hyperband and BOHB
 * against Optuna's HyperbandPruner, with full-budget runs as the baseline.
 */
export async function run(opts: SectionOptions): Promise<string> {
  const { quick } = opts;
  const seeds = Array.from({ length: quick ? 2 : 10 }, (_, k) => k + 1);
  const checkpoints = quick ? [10, 20] : [10, 25, 50, 100]; // full-budget (729-draw) evaluations
  const top = checkpoints[checkpoints.length - 1];
  const bohb = modelBasedSampler;
  const hb = (inner: (seed: number) => Sampler) => (seed: number) => new Hyperband({ maxResource: R, eta, inner: inner(seed) });
  const variants: Variant[] = [
    { label: 'Hyperband (RandomSampler inner)', optuna: 'random', pruned: true, make: hb((seed) => new RandomSampler({ seed })) },
    { label: 'BOHB (Hyperband, BOHB inner)', optuna: 'tpe', pruned: true, make: hb((seed) => bohb.make(seed, problem)) },
    { label: 'RandomSampler, full budget', optuna: 'random', pruned: false, make: (seed) => new RandomSampler({ seed }) },
    { label: 'BOHB standalone, full budget', optuna: 'tpe', pruned: false, make: (seed) => bohb.make(seed, problem) },
  ];

  const jobs: JobOf<'hyperband'>[] = variants.map((v) => ({
    mode: 'hyperband',
    problem: 'counting_ones',
    sampler: v.optuna,
    pruner: v.pruned ? 'hyperband' : 'none',
    seeds,
    trials: 1_000_000,
    budget: top,
  }));
  const anchor$ = optunaStatus().available ? runAnchor(jobs, { processes: 2 }) : Promise.resolve([]);

  // Hyperband iterations enough to spend `top` full budgets (the schedule does not depend on the inner sampler).
  const dry = await hyperopt({ space: problem.space, iterations: 1, sampler: new Hyperband({ maxResource: R, eta }), progress: false }, () => 0);
  const iterations = Math.ceil(top / (dry.trials.reduce((sum, t) => sum + t.resources!, 0) / R));
  // Table at the checkpoints; the figure at 40 points up to the largest.
  const figureAt = Array.from({ length: 40 }, (_, k) => ((k + 1) * top) / 40);
  const medianRegrets = (runs: readonly (readonly Evaluation[])[], at: readonly number[]) => {
    const perSeed = runs.map((evals) =>
      incumbentRegret(
        evals,
        at.map((c) => c * max),
        problem.fStar,
      ),
    );
    return at.map((_, c) => median(perSeed.map((r) => r[c])));
  };
  const rows: { label: string; regrets: number[] | undefined; curve: number[] | undefined }[] = [];
  for (const v of variants) {
    const runs: Evaluation[][] = [];
    for (const seed of seeds) runs.push(await ourEvals(v, seed, v.pruned ? iterations : top));
    rows.push({ label: v.label, regrets: medianRegrets(runs, checkpoints), curve: medianRegrets(runs, figureAt) });
  }
  for (const r of await anchor$) {
    const runs = r.skipped ? undefined : r.seeds.map((s) => s.evals);
    rows.push({
      label: `Optuna ${r.job.sampler}${r.job.pruner === 'hyperband' ? ' + HyperbandPruner' : ', full budget'}`,
      regrets: runs && medianRegrets(runs, checkpoints),
      curve: runs && medianRegrets(runs, figureAt),
    });
  }

  const body = rows.map(({ label, regrets }, k) => {
    const v = variants[k];
    const a = v && rows[variants.length + k]?.regrets;
    const cells = checkpoints.map((_, c) => {
      if (!regrets) return 'n/a';
      return v && a ? `${fmt(regrets[c])} (${ratio(regrets[c], a[c])})` : fmt(regrets[c]);
    });
    const vs = v ? `Optuna ${v.optuna}${v.pruned ? ' + HyperbandPruner' : ', full budget'}` : '';
    return [label + (regrets ? '' : ' (not in src/ yet)'), vs, ...cells];
  });
  const skipped = optunaSkippedLine();
  return [
    '## (c) Counting ones: multi-fidelity',
    '',
    `Counting ones with 8 binary and 8 continuous parameters (problems.md §4), grid form. Budget = Bernoulli draws per`,
    `continuous parameter: ${COUNTING_ONES_BUDGETS.rungs.join(', ')} (min ${min}, max ${max}, η = ${eta}). Ours: \`Hyperband({ maxResource: ${R}, eta: ${eta} })\`, one`,
    `resource = ${min} draws; Optuna: \`HyperbandPruner(min_resource=${min}, max_resource=${max}, reduction_factor=${eta})\`, the trial`,
    'reporting at each rung. Every evaluation at budget b costs b (a promoted configuration is evaluated afresh).',
    "The incumbent (HpBandSter's rule) is the evaluation with the largest budget so far, the lowest noisy loss among",
    "those; the cells give the regret of its noise-free loss (loss + 16; ÷ 16 for the paper's normalised regret) after",
    `the total budget in the header, in full-budget evaluations (×${max} draws). Median over ${seeds.length} seeds (1..${seeds.length});`,
    'in parentheses ours ÷ the Optuna run in `vs`. Deterministic given the seeds.',
    ...(skipped ? ['', skipped] : []),
    '',
    table(['run', 'vs', ...checkpoints.map((c) => `regret @${c}×${max}`)], body),
    '',
    await writeFigure(opts, 'counting-ones', 'Counting ones: median regret of the incumbent against budget spent', {
      width: 520,
      height: 300,
      data: {
        values: rows.flatMap(({ label, curve }) => (curve ?? []).flatMap((regret, k) => (regret > 0 ? [{ run: label, budget: figureAt[k], regret }] : []))),
      },
      transform: [{ calculate: "indexof(datum.run, 'Optuna') === 0 ? 'Optuna' : 'ours'", as: 'side' }],
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'budget', type: 'quantitative', title: `Budget spent (full-budget evaluations, ×${max} draws)` },
        y: { field: 'regret', type: 'quantitative', scale: { type: 'log' }, title: 'Median regret of the incumbent (loss + 16)' },
        color: { field: 'run', type: 'nominal', title: 'Run (dashed: Optuna)', legend: { labelLimit: 280, titleLimit: 320 } },
        strokeDash: {
          field: 'side',
          type: 'nominal',
          legend: null,
          scale: {
            domain: ['ours', 'Optuna'],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
        },
      },
    }),
  ].join('\n');
}
