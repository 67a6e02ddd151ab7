import { map, timer, VirtualTimeScheduler, VirtualAction } from 'rxjs';
import { hyperopt, hyperopt$, RandomSampler } from '../../src/index.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { hyperbandBrackets } from '../../src/multifidelity/internal/hyperbandBrackets.js';
import type { TrialContext } from '../../src/trial/Objective.js';
import { COUNTING_ONES_BUDGETS, countingOnes, countingOnesNoisy, countingOnesProblem, type Params } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type JobOf } from '../lib/anchor.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

const { min: MIN_B, max: MAX_B, eta: ETA } = COUNTING_ONES_BUDGETS; // 9 .. 729 draws, eta 3
const D = 16;
/** Hyperband's R in units of the smallest budget: resources 1, 3, 9, 27, 81 = 9 .. 729 draws. */
const R = MAX_B / MIN_B;
const { toVector, space } = countingOnesProblem;

/** One evaluation, in finishing order: its budget in draws, the noisy loss it reported, the noise-free loss. */
type Eval = { budget: number; noisy: number; test: number };

/** Noisy counting ones at `budget` draws; noise keyed by (seed, configuration index, budget), as the Optuna anchor does. */
const noisy = (p: Params, budget: number, seed: number, i: number): Eval => {
  const v = toVector(p);
  return { budget, noisy: countingOnesNoisy(v, budget, seed, i), test: countingOnes(v) };
};

/**
 * Normalized regret (test loss / d + 1: 1 = all zeros, 0 = optimum) of the
 * incumbent after each evaluation, with the cumulative budget in full-budget
 * equivalents. The incumbent changes only for a result at a budget at least
 * its own (the BOHB paper's rule), so a lucky low-budget value does not count.
 */
function trajectory(evals: readonly Eval[]): { spent: number; regret: number }[] {
  let spent = 0;
  let inc: Eval | undefined;
  return evals.map((e) => {
    spent += e.budget / MAX_B;
    if (!inc || e.budget > inc.budget || (e.budget === inc.budget && e.noisy < inc.noisy)) inc = e;
    return { spent, regret: inc.test / D + 1 };
  });
}

const regretAt = (traj: ReturnType<typeof trajectory>, budget: number): number => {
  let r = 1;
  for (const p of traj) {
    if (p.spent > budget + 1e-9) break;
    r = p.regret;
  }
  return r;
};
const budgetToReach = (traj: ReturnType<typeof trajectory>, target: number): number => traj.find((p) => p.regret <= target)?.spent ?? Infinity;

async function randomFullBudget(seed: number, budget: number): Promise<Eval[]> {
  const evals: Eval[] = [];
  await hyperopt({ space, iterations: budget, sampler: new RandomSampler({ seed }), progress: false }, (p: Params, t: TrialContext) => {
    const e = noisy(p, MAX_B, seed, t.i);
    evals.push(e);
    return e.noisy;
  });
  return evals;
}

async function hyperbandRandom(seed: number, budget: number, asynchronous: boolean): Promise<Eval[]> {
  const evals: Eval[] = [];
  const perIteration = hyperbandBrackets(R, ETA).reduce((s, b) => s + b.rungs.reduce((x, r) => x + r.size * r.resources, 0), 0) / R;
  await hyperopt(
    {
      space,
      iterations: Math.ceil(budget / perIteration),
      sampler: new Hyperband({ maxResource: R, eta: ETA, inner: new RandomSampler({ seed }), asynchronous }),
      progress: false,
    },
    (p: Params, t: TrialContext) => {
      const e = noisy(p, Math.round(MIN_B * t.resources!), seed, t.i);
      evals.push(e);
      return e.noisy;
    },
  );
  return evals;
}

/** A run in virtual time at `concurrency`: each evaluation lasts `budget` ticks. Utilisation = busy ticks ÷ (concurrency × makespan). */
function virtualRun(seed: number, asynchronous: boolean, concurrency: number, iterations: number) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const evals: Eval[] = [];
  let busy = 0;
  hyperopt$(
    { space, iterations, concurrency, sampler: new Hyperband({ maxResource: R, eta: ETA, inner: new RandomSampler({ seed }), asynchronous }), progress: false },
    (p: Params, t: TrialContext) => {
      const e = noisy(p, Math.round(MIN_B * t.resources!), seed, t.i);
      busy += e.budget;
      return timer(e.budget, scheduler).pipe(map(() => e.noisy));
    },
  ).subscribe((t) => evals.push(noisy(t.params, Math.round(MIN_B * t.resources!), seed, t.i)));
  scheduler.flush();
  const makespan = scheduler.now();
  const traj = trajectory(evals);
  return { utilisation: busy / (concurrency * makespan), makespan, evaluations: evals.length, regret: traj[traj.length - 1].regret };
}

/**
 * Hyperband and ASHA on counting ones (8 categorical + 8 continuous, noisy
 * loss with budgets 9..729 Bernoulli draws, eta 3): (1) normalized regret
 * against cumulative budget, Hyperband + random vs random search at full
 * budget, ours and Optuna's HyperbandPruner side by side; (2) slot
 * utilisation at concurrency 8, synchronous Hyperband vs ASHA, in virtual time.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  const seeds = Array.from({ length: quick ? 5 : 15 }, (_, s) => s);
  const maxBudget = quick ? 50 : 150;
  const checkpoints = [5, 10, 25, 50, 100, 150].filter((b) => b <= maxBudget);

  const random = await Promise.all(seeds.map((s) => randomFullBudget(s, maxBudget)));
  const hb = await Promise.all(seeds.map((s) => hyperbandRandom(s, maxBudget, false)));
  const asha1 = await Promise.all(seeds.map((s) => hyperbandRandom(s, maxBudget, true)));
  const methods: [string, Eval[][]][] = [
    ['random search, every trial at 729', random],
    ['Hyperband + random (ours)', hb],
    ['ASHA + random (ours, concurrency 1)', asha1],
  ];

  let anchorNote = optunaSkippedLine();
  if (optunaStatus().available) {
    const jobs: JobOf<'hyperband'>[] = (['hyperband', 'none'] as const).map((pruner) => ({
      mode: 'hyperband',
      problem: 'counting_ones',
      sampler: 'random',
      pruner,
      seeds,
      trials: 100000,
      budget: maxBudget,
    }));
    const [pruned, full] = await runAnchor(jobs, { processes: 2 });
    const toEvals = (r: typeof pruned): Eval[][] => r.seeds.map((s) => s.evals.map(([, budget, n, test]) => ({ budget, noisy: n, test })));
    methods.push(['Optuna random + HyperbandPruner', toEvals(pruned)], ['Optuna random, every trial at 729', toEvals(full)]);
    anchorNote = '';
  }

  const trajs = methods.map(([label, runs]) => [label, runs.map(trajectory)] as const);
  const randomTrajs = trajs[0][1];
  const target = median(randomTrajs.map((t) => regretAt(t, maxBudget)));
  const toTarget = (ts: readonly ReturnType<typeof trajectory>[]) => median(ts.map((t) => budgetToReach(t, target)));
  const randomToTarget = toTarget(randomTrajs);
  const qualityRows = trajs.map(([label, ts]) => [
    label,
    ...checkpoints.map((b) => fmt(median(ts.map((t) => regretAt(t, b))), 3)),
    Number.isFinite(toTarget(ts)) ? fmt(toTarget(ts), 3) : `> ${maxBudget}`,
    ratio(toTarget(ts), randomToTarget),
  ]);

  // (2) Utilisation at concurrency 8, one budget-matched set of Hyperband iterations, in virtual time.
  const concurrency = 8;
  const iterations = quick ? 1 : 3;
  const utilRows = ([false, true] as const).map((asynchronous) => {
    const runs = seeds.map((s) => virtualRun(s, asynchronous, concurrency, iterations));
    return {
      label: asynchronous ? 'ASHA: Hyperband({ asynchronous: true })' : 'synchronous Hyperband',
      utilisation: median(runs.map((r) => r.utilisation)),
      makespan: median(runs.map((r) => r.makespan)),
      evaluations: median(runs.map((r) => r.evaluations)),
      regret: median(runs.map((r) => r.regret)),
    };
  });
  const [sync, asha] = utilRows;

  return [
    '## Hyperband and ASHA on counting ones',
    '',
    `Counting ones, 8 binary + 8 continuous parameters, noisy loss at b = 9 … 729 Bernoulli draws (η = 3; Hyperband R = ${R} units of 9`,
    `draws). Cost is counted in full-budget equivalents (Σ b ÷ 729): a trial at 729 costs 1. Regret is the incumbent's noise-free`,
    'loss ÷ 16 + 1 (1 = all zeros, 0 = optimum); the incumbent changes only for a result at a budget at least its own. Medians',
    `over ${seeds.length} seeds; every configuration is evaluated afresh at each budget (noise keyed by seed, configuration, budget),`,
    'the same accounting as the Optuna anchor (RandomSampler with HyperbandPruner, min 9, max 729, η 3).',
    ...(anchorNote ? ['', anchorNote] : []),
    '',
    `### Regret against cumulative budget; budget to reach random search's median regret at ${maxBudget} (${fmt(target, 3)})`,
    '',
    table(['method', ...checkpoints.map((b) => `regret @ ${b}`), 'budget to target', '÷ random'], qualityRows),
    '',
    `### Slot utilisation at concurrency ${concurrency} (virtual time, an evaluation at b draws lasts b ticks; ${iterations} Hyperband iteration${iterations > 1 ? 's' : ''})`,
    '',
    table(
      ['schedule', 'utilisation', 'makespan (ticks)', 'evaluations', 'final regret'],
      utilRows.map((r) => [r.label, `${fmt(100 * r.utilisation, 3)}%`, fmt(r.makespan, 5), fmt(r.evaluations, 4), fmt(r.regret, 3)]),
    ),
    '',
    `ASHA finishes the same brackets in ${ratio(asha.makespan, sync.makespan)} the makespan of synchronous Hyperband (utilisation ${fmt(100 * asha.utilisation, 3)}% vs ${fmt(100 * sync.utilisation, 3)}%).`,
  ].join('\n');
}
