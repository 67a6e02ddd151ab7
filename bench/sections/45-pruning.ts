import { from, lastValueFrom, toArray } from 'rxjs';
import {
  BOHB,
  evaluate,
  Hyperband,
  hyperopt,
  MedianPruner,
  prune,
  RandomSampler,
  SuccessiveHalvingPruner,
  withPruner,
  type Pruner,
  type Sampler,
  type Trial,
} from '../../src/index.js';
import { TRAINING_CURVE, trainingCurveAt, trainingCurveFinal, trainingCurveObjective, trainingCurveProblem as problem, type Params } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type JobOf, type OptunaPruner, type OptunaSampler, type PruningResult } from '../lib/anchor.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import { bestEvaluatedRegret, pruningRegret, type EpochEvaluation } from '../lib/pruningRegret.js';
import type { SectionOptions } from '../lib/SectionOptions.js';
import { writeFigure } from '../lib/writeFigure.js';

const E = TRAINING_CURVE.epochs;
const ETA = 3;
const PRUNERS: readonly OptunaPruner[] = ['none', 'median', 'successive_halving', 'hyperband'];

/** Our pruners at their defaults (MedianPruner: 5 startup trials, no warm-up; SuccessiveHalvingPruner: minResource 1, eta 3, s 0). */
const OUR_PRUNERS: Partial<Record<OptunaPruner, Pruner>> = { median: new MedianPruner(), successive_halving: new SuccessiveHalvingPruner() };

/**
 * Optuna's keyword arguments: MedianPruner at its defaults; SuccessiveHalvingPruner with our defaults (its own are
 * min_resource='auto', reduction_factor=4); HyperbandPruner with max_resource = E instead of 'auto'.
 */
const OPTUNA_OPTIONS: Record<OptunaPruner, Record<string, number>> = {
  none: {},
  median: {},
  successive_halving: { min_resource: 1, reduction_factor: ETA, min_early_stopping_rate: 0 },
  hyperband: { min_resource: 1, max_resource: E, reduction_factor: ETA },
};

const OPTUNA_LABEL: Record<OptunaPruner, string> = {
  none: 'no pruning',
  median: '+ MedianPruner()',
  successive_halving: `+ SuccessiveHalvingPruner(min_resource=1, reduction_factor=${ETA})`,
  hyperband: `+ HyperbandPruner(min_resource=1, max_resource=${E}, reduction_factor=${ETA})`,
};

/** Our samplers, each set against one of Optuna's (its key): RandomSampler against random, BOHB against TPE. */
type Family = 'random' | 'tpe';
const FAMILIES: readonly Family[] = ['random', 'tpe'];
const OUR_SAMPLER: Record<Family, { readonly name: string; readonly make: (seed: number) => Sampler }> = {
  random: { name: 'RandomSampler', make: (seed) => new RandomSampler({ seed }) },
  tpe: { name: 'BOHB', make: (seed) => new BOHB({ seed, dims: problem.dims }) },
};
const OUR_LABEL = (family: Family): Record<OptunaPruner, string> => {
  const name = OUR_SAMPLER[family].name;
  return {
    none: `${name}, no pruning`,
    median: `${name} + new MedianPruner()`,
    successive_halving: `${name} + new SuccessiveHalvingPruner()`,
    hyperband: `Hyperband({ maxResource: ${E}, eta: ${ETA} }), ${name} inner${family === 'tpe' ? ' (BOHB proper)' : ''}`,
  };
};
/** The figure's panels, one per pair of samplers. */
const PANEL: Record<Family, string> = { random: 'RandomSampler vs Optuna random', tpe: 'BOHB vs Optuna TPE' };

const FIGURE_LABEL: Record<OptunaPruner, string> = {
  none: 'none',
  median: 'median',
  successive_halving: 'successive halving',
  hyperband: 'Hyperband',
};

/** One run on one seed: its evaluations in finishing order, the configurations it drew, how many it stopped early. */
interface Run {
  readonly evals: EpochEvaluation[];
  readonly configurations: number;
  readonly pruned: number;
}

const toParams = (v: readonly number[]): Params => ({
  log_lr: v[0],
  log_reg: v[1],
  optimizer: TRAINING_CURVE.optimizers[v[2]],
  batch: TRAINING_CURVE.batches[v[3]],
});

/** A streaming run's trials as evaluations, checking that the epochs computed are the epochs reported. */
function streamingRun(trials: readonly Trial<Readonly<Record<string, unknown>>>[], computed: number): Run {
  const evals = trials.map((t) => ({
    epochs: t.steps ?? 0,
    complete: t.status === 'ok',
    noisy: t.value,
    clean: trainingCurveFinal(problem.toVector(t.params)),
  }));
  const reported = evals.reduce((sum, e) => sum + e.epochs, 0);
  if (reported !== computed) throw new Error(`pruned objectives computed ${computed} epochs but reported ${reported}: pruning does not stop them`);
  return { evals, configurations: trials.length, pruned: trials.filter((t) => t.status === 'pruned').length };
}

/**
 * Ours with its own sampler (RandomSampler or BOHB): standalone with or without a pruner, or as the inner sampler of
 * Hyperband, which resumes promoted configurations.
 */
async function ourRun(family: Family, pruner: OptunaPruner, seed: number, trials: number): Promise<Run> {
  let computed = 0;
  if (pruner === 'hyperband') {
    // One Hyperband iteration draws 49 configurations for R = 27, eta = 3 (brackets of 27, 12, 6, 4); Optuna's
    // HyperbandPruner sizes its brackets by the same numbers, so round(trials / 49) iterations draw about as many.
    const evals: EpochEvaluation[] = [];
    const sampler = new Hyperband({ maxResource: E, eta: ETA, inner: OUR_SAMPLER[family].make(seed) });
    const ho = await hyperopt(
      { space: problem.space, iterations: Math.max(1, Math.round(trials / 49)), sampler, progress: false },
      (params: Params, { i, resources, state }) => {
        const v = problem.toVector(params);
        const before = (state as number | undefined) ?? 0; // epochs trained before this promotion
        const to = Math.round(resources!);
        const value = trainingCurveAt(v, to, seed, i);
        computed += to - before;
        evals.push({ epochs: to - before, complete: to === E, noisy: value, clean: trainingCurveFinal(v) });
        return { value, state: to };
      },
    );
    // Resumed, each configuration costs the epochs of the highest rung it reached, whatever its promotions.
    const reached = new Map<number, number>();
    for (const t of ho.trials) reached.set(t.i, Math.max(reached.get(t.i) ?? 0, Math.round(t.resources!)));
    const reported = [...reached.values()].reduce((sum, r) => sum + r, 0);
    if (reported !== computed) throw new Error(`Hyperband trained ${computed} epochs but its configurations reached ${reported}: resuming does not work`);
    const configurations = reached.size;
    const complete = [...reached.values()].filter((r) => r === E).length;
    return { evals, configurations, pruned: configurations - complete };
  }
  const inner = OUR_SAMPLER[family].make(seed);
  const rule = OUR_PRUNERS[pruner];
  const sampler: Sampler = rule ? withPruner(inner, rule) : inner;
  const ho = await hyperopt(
    { space: problem.space, iterations: trials, sampler, progress: false },
    trainingCurveObjective(seed, () => computed++),
  );
  return streamingRun(ho.trials, computed);
}

/** Ours on the configurations Optuna's RandomSampler drew (same trial numbers, so the same noise), in the same order. */
async function replay(pruner: OptunaPruner, seed: number, optuna: PruningResult['seeds'][number]['trials']): Promise<Run> {
  let computed = 0;
  const rule = OUR_PRUNERS[pruner];
  const candidates = optuna.map(([i, , , , , v]) => ({ i, params: toParams(v) }));
  const objective = trainingCurveObjective(seed, () => computed++);
  const trials = await lastValueFrom(rule ? from(candidates).pipe(prune(rule), evaluate(objective), toArray()) : from(candidates).pipe(evaluate(objective), toArray()));
  return streamingRun(trials, computed);
}

function optunaRun(trials: PruningResult['seeds'][number]['trials']): Run {
  // The noise-free final loss anchor.py records is ours, computed from the trial's vector (best evaluated relies on it).
  for (const [i, , , , clean, v] of trials) {
    const ours = trainingCurveFinal(v);
    if (Math.abs(clean - ours) > 1e-12) throw new Error(`anchor.py's noise-free final loss of trial ${i} is ${clean}, ours ${ours}`);
  }
  return {
    evals: trials.map(([, epochs, complete, noisy, clean]) => ({ epochs, complete: complete === 1, noisy, clean })),
    configurations: trials.length,
    pruned: trials.filter((t) => t[2] === 0).length,
  };
}

const spentOf = (run: Run) => run.evals.reduce((sum, e) => sum + e.epochs, 0);
/** The median over seeds, NaN unless every seed has a value (a run that did not get that far). */
const medianAll = (xs: readonly number[]) => (xs.some(Number.isNaN) ? NaN : median(xs));

/** Medians over seeds of one method's runs, against its side's no-pruning runs (same seeds, in order). */
function summarise(runs: readonly Run[], baseline: readonly Run[], checkpoints: readonly number[]) {
  const fStar = problem.gridFStar;
  return {
    configurations: median(runs.map((r) => r.configurations)),
    epochs: median(runs.map(spentOf)),
    pruned: median(runs.map((r) => r.pruned)),
    at: checkpoints.map((c) => medianAll(runs.map((r) => pruningRegret(r.evals, [c * E], fStar)[0]))),
    end: median(runs.map((r) => pruningRegret(r.evals, [spentOf(r)], fStar)[0])),
    // The best configuration evaluated to the end, by its noise-free final loss: the incumbent without noise.
    best: medianAll(runs.map((r) => bestEvaluatedRegret(r.evals, fStar))),
    // What the same side's unpruned run had reached after as many epochs as this run spent in all.
    sameEpochs: median(runs.map((r, k) => pruningRegret(baseline[k].evals, [spentOf(r)], fStar)[0])),
    curve: (at: readonly number[]) => at.map((c) => medianAll(runs.map((r) => pruningRegret(r.evals, [c * E], fStar)[0]))),
  };
}
type Summary = ReturnType<typeof summarise>;

/**
 * Pruning on a simulated training curve (bench/problems/trainingCurve.ts):
 * our pruners against Optuna's on the same configurations, then each side
 * with its own samplers (RandomSampler against Optuna random, BOHB against
 * Optuna TPE), by epochs spent and regret of the incumbent.
 */
export async function run(opts: SectionOptions): Promise<string> {
  const { quick } = opts;
  const seeds = Array.from({ length: quick ? 2 : 20 }, (_, k) => k + 1);
  const trials = quick ? 30 : 100;
  const checkpoints = quick ? [2, 4] : [5, 10]; // epochs, in full trainings (×E)
  const samplers: OptunaSampler[] = quick ? ['random'] : ['random', 'tpe'];

  const jobs: JobOf<'pruning'>[] = samplers.flatMap((sampler) =>
    PRUNERS.map((pruner) => ({
      mode: 'pruning' as const,
      problem: 'training_curve' as const,
      sampler,
      pruner,
      prunerOptions: OPTUNA_OPTIONS[pruner],
      seeds,
      trials,
    })),
  );
  const t0 = performance.now();
  const anchor$ = optunaStatus().available ? runAnchor(jobs, { processes: 2 }) : Promise.resolve([]);

  // Ours with its own samplers, meanwhile (BOHB too in quick mode, with no Optuna TPE to set it against: a few tenths of a second).
  let ourSeconds = 0;
  let t1 = performance.now();
  const ours = new Map<string, Run[]>(); // `${family} ${pruner}`
  for (const family of FAMILIES) {
    for (const pruner of PRUNERS) {
      const runs: Run[] = [];
      for (const seed of seeds) runs.push(await ourRun(family, pruner, seed, trials));
      ours.set(`${family} ${pruner}`, runs);
    }
  }
  ourSeconds += (performance.now() - t1) / 1000;
  const results = await anchor$;
  const optunaSeconds = results.reduce((sum, r) => sum + (r.skipped ? 0 : r.seeds.reduce((t, s) => t + s.seconds, 0)), 0);
  const optuna = new Map<string, Run[]>(); // `${sampler} ${pruner}`
  for (const r of results)
    if (!r.skipped)
      optuna.set(
        `${r.job.sampler} ${r.job.pruner}`,
        r.seeds.map((s) => optunaRun(s.trials)),
      );

  // Replays on Optuna's random draws. RandomSampler's draws do not depend on the pruner: check it, then use them.
  const drawn = results.find((r) => r.job.sampler === 'random' && r.job.pruner === 'none');
  const replays = new Map<OptunaPruner, Run[]>();
  if (drawn && !drawn.skipped) {
    for (const r of results.filter((x) => x.job.sampler === 'random')) {
      r.seeds.forEach((s, k) => {
        if (JSON.stringify(s.trials.map((t) => t[5])) !== JSON.stringify(drawn.seeds[k].trials.map((t) => t[5]))) {
          throw new Error(`Optuna's RandomSampler drew other configurations under ${r.job.pruner} (seed ${s.seed})`);
        }
      });
    }
    t1 = performance.now();
    for (const pruner of ['none', 'median', 'successive_halving'] as const) {
      const runs: Run[] = [];
      for (const s of drawn.seeds) runs.push(await replay(pruner, s.seed, s.trials));
      replays.set(pruner, runs);
    }
    ourSeconds += (performance.now() - t1) / 1000;
  }
  const seconds = (performance.now() - t0) / 1000;

  // ---- table 1: the same configurations ----
  const sameRows = (['none', 'median', 'successive_halving'] as const).map((pruner) => {
    const a = optuna.get(`random ${pruner}`);
    const o = replays.get(pruner);
    const label = pruner === 'none' ? 'no pruning' : `${pruner === 'median' ? 'new MedianPruner()' : 'new SuccessiveHalvingPruner()'} vs ${OPTUNA_LABEL[pruner].slice(2)}`;
    if (!a || !o) return [label, ...Array<string>(8).fill('n/a')];
    const so = summarise(o, replays.get('none')!, []);
    const sa = summarise(a, optuna.get('random none')!, []);
    const identical = o.filter((run, k) => run.evals.every((e, j) => e.epochs === a[k].evals[j].epochs)).length;
    return [label, fmt(so.epochs), fmt(sa.epochs), ratio(so.epochs, sa.epochs), fmt(so.pruned), fmt(sa.pruned), fmt(so.end, 3), fmt(sa.end, 3), `${identical}/${o.length}`];
  });

  // ---- table 2: each side with its own sampler ----
  // Per pair of samplers, ours then Optuna's; ours set against Optuna's with the same pruner.
  const rows: { label: string; pruner: OptunaPruner; family: Family; side: string; s: Summary; vs?: Summary }[] = [];
  for (const family of FAMILIES) {
    const none = optuna.get(`${family} none`);
    const ourNone = ours.get(`${family} none`);
    if (ourNone) {
      for (const pruner of PRUNERS) {
        const a = optuna.get(`${family} ${pruner}`);
        const s = summarise(ours.get(`${family} ${pruner}`)!, ourNone, checkpoints);
        rows.push({ label: OUR_LABEL(family)[pruner], pruner, family, side: 'ours', s, vs: a && none && summarise(a, none, checkpoints) });
      }
    }
    for (const pruner of PRUNERS) {
      const a = optuna.get(`${family} ${pruner}`);
      if (a && none) rows.push({ label: `Optuna ${family} ${OPTUNA_LABEL[pruner]}`, pruner, family, side: 'Optuna', s: summarise(a, none, checkpoints) });
    }
  }
  const full = trials * E;
  const ownRows = rows.map(({ label, s, vs }) => [
    label,
    fmt(s.configurations),
    `${fmt(s.epochs)} (${ratio(s.epochs, full)})`,
    fmt(s.pruned),
    ...s.at.map((x) => fmt(x, 3)),
    vs ? `${fmt(s.end, 3)} (${ratio(s.end, vs.end)})` : fmt(s.end, 3),
    vs ? `${fmt(s.best, 3)} (${ratio(s.best, vs.best)})` : fmt(s.best, 3),
    `${fmt(s.sameEpochs, 3)}`,
  ]);

  // What the best-evaluated column shows, in the measured numbers.
  const noneRow = (family: Family, side: string) => rows.find((r) => r.family === family && r.side === side && r.pruner === 'none');
  const nameOf = (r: (typeof rows)[number]) => (r.side === 'ours' ? OUR_SAMPLER[r.family].name : `Optuna ${r.family}`);
  const bestLine = FAMILIES.flatMap((family) => {
    const o = noneRow(family, 'ours');
    const a = noneRow(family, 'Optuna');
    if (!o) return [];
    const name = OUR_SAMPLER[family].name;
    const against = a ? ` against Optuna ${family}'s ${fmt(a.s.best, 3)} (${ratio(o.s.best, a.s.best)}; incumbents ${ratio(o.s.end, a.s.end)})` : '';
    return [`${name} ${fmt(o.s.best, 3)}${against}`];
  });
  const unpruned = rows.filter((r) => r.pruner === 'none');
  const pruned = rows.filter((r) => r.pruner !== 'none').map((r) => r.s.end / r.s.best);
  const everySampler = unpruned.every((r) => r.s.end > r.s.best);
  const bestText = [
    `**Best evaluated.** Without pruning, the best configuration a run evaluated to the end has a median noise-free regret of`,
    `${bestLine.join(', ')}. The incumbent, chosen by the lowest noisy final loss (noise up to ±0.06 at batch 32), has a`,
    `higher regret${everySampler ? ' for every sampler' : ''}: without pruning ${unpruned
      .map((r, k) => `${ratio(r.s.end, r.s.best)}${k === 0 ? ' the best evaluated' : ''} for ${nameOf(r)}`)
      .join(', ')};`,
    `under a pruner, with fewer complete trials to choose from, ${ratio(Math.min(...pruned), 1)} to ${ratio(Math.max(...pruned), 1)}.`,
  ];

  const figureAt = Array.from({ length: 40 }, (_, k) => 2 * (trials / 2) ** (k / 39)); // 2E .. trials·E, log-spaced
  const skipped = optunaSkippedLine();
  const ourMedian = OUR_PRUNERS.median!.toJSON!() as { startupTrials: number; warmupSteps: number };
  const ourSh = OUR_PRUNERS.successive_halving!.toJSON!() as { minResource: number; eta: number; minEarlyStoppingRate: number };
  return [
    '## Pruning a simulated training curve (issue 8)',
    '',
    `A simulated training curve (bench/problems/trainingCurve.ts, the same bits in anchor.py): validation loss after each of`,
    `E = ${E} epochs for log10 learning rate in grid(-4, 0), log10 weight decay in grid(-6, -1), optimizer in {sgd, momentum,`,
    'adam} and batch size in {32, 64, 128, 256}. The loss decays from 2.3 towards a floor set by the parameters, at a speed',
    'rising with the learning rate; the curves cross (a learning rate above the best one converges faster to a worse floor,',
    "Adam fastest to a floor 0.02–0.03 above momentum's, weak weight decay leads until about epoch 17 and then overfits),",
    'so an early ranking can mislead a pruner. Noise: bounded (±0.06 at batch 32, ±0.02 at 256), independent per epoch, keyed',
    'by (seed, trial number, epoch) as counting ones keys its noise. Each trial reports one value per epoch (Optuna:',
    '`trial.report(loss, epoch)` with epoch 1..E, then `should_prune()`; ours: a streaming objective under `withPruner` or',
    '`prune`, one value per epoch, stopped by unsubscription), sequentially (concurrency 1).',
    '',
    `**Settings.** Ours at their defaults: \`new MedianPruner()\` = startupTrials ${ourMedian.startupTrials}, warmupSteps ${ourMedian.warmupSteps};`,
    `\`new SuccessiveHalvingPruner()\` = minResource ${ourSh.minResource}, eta ${ourSh.eta}, minEarlyStoppingRate ${ourSh.minEarlyStoppingRate} (rungs at epochs 1, 3, 9, 27).`,
    'Optuna: `MedianPruner()` at its defaults (n_startup_trials 5, n_warmup_steps 0, interval_steps 1, n_min_trials 1);',
    `\`SuccessiveHalvingPruner(min_resource=1, reduction_factor=${ETA}, min_early_stopping_rate=0)\`, our settings, since its`,
    "defaults differ (min_resource 'auto', which is 1 here once a trial has completed, and reduction_factor 4; bootstrap_count 0);",
    `\`HyperbandPruner(min_resource=1, max_resource=${E}, reduction_factor=${ETA})\` (4 brackets, a trial's bracket from a hash of`,
    `the study name and its number). Our Hyperband is the sampler \`Hyperband({ maxResource: ${E}, eta: ${ETA} })\` (synchronous brackets of 27,`,
    '12, 6 and 4 configurations, 49 per iteration); a promoted configuration resumes from the epochs it has trained (its',
    '`state`), so each evaluation costs only its new epochs. The two median rules differ by design: Optuna takes the median',
    'over completed trials only, ours over every trial that reported at that step, pruned ones included, so the two stop',
    'different trials. Both successive-halving rules judge at epoch 27 = 1·3³ too: a trial ranked out there has run all its',
    'epochs and is still pruned, on both sides.',
    '',
    `**Measures.** Median over ${seeds.length} seeds (1..${seeds.length}) of ${trials} trials each. The incumbent is the complete (unpruned,`,
    "all-epochs) trial with the lowest noisy final loss, as Optuna's `best_trial`; regret = its noise-free final loss −",
    `${fmt(problem.gridFStar, 6)} (the grid minimum, momentum at batch 32). An evaluation counts once all its epochs are spent.`,
    "Deterministic given the seeds on one machine: Optuna TPE's rows under a pruner differed in a run on another machine (same seeds, code and versions), ours did not.",
    ...(skipped ? ['', skipped] : []),
    '',
    "**The same configurations.** Optuna's RandomSampler draws (they do not depend on the pruner: checked) replayed through",
    'our pruners with `prune` + `evaluate`, the same trial numbers, so the same noise: only the pruning rules differ.',
    '"Identical runs": seeds on which every trial ran the same epochs on both sides.',
    '',
    table(
      ['pruner (ours vs Optuna)', 'epochs, ours', 'epochs, Optuna', 'ours ÷ Optuna', 'pruned, ours', 'pruned, Optuna', 'regret, ours', 'regret, Optuna', 'identical runs'],
      sameRows,
    ),
    '',
    `**Each with its own sampler.** Ours seeded: RandomSampler, and our model-based sampler BOHB (\`new BOHB({ seed, dims })\`),`,
    `each standalone under \`withPruner\` and as Hyperband's inner sampler (Hyperband: ${Math.max(1, Math.round(trials / 49))} iteration(s); with BOHB inner,`,
    `this is BOHB as published); Optuna's RandomSampler${samplers.includes('tpe') ? ' and TPESampler (`TPESampler(seed)`, its defaults)' : ''}.`,
    `Epochs in all (÷ ${trials} full trainings = ${full}); pruned: configurations stopped before epoch ${E} (Hyperband: never promoted to`,
    `${E}); regret once ${checkpoints.map((c) => `${c}·E`).join(' and ')} epochs are spent (n/a: a run stopped before), and at the end, in`,
    'parentheses ours ÷ Optuna with the same pruner, RandomSampler rows against Optuna random and BOHB rows against Optuna',
    `TPE${samplers.includes('tpe') ? '' : ' (not run in quick mode: no ratio)'}; best evaluated: the noise-free regret of the best configuration the run evaluated`,
    "to the end (the lowest noise-free final loss among its complete trials, what the incumbent's regret would be without",
    'noise; ratio as at the end); last column: the regret the same side and sampler reached without pruning after',
    'as many epochs as the pruned run spent in all. The two RandomSamplers draw different configurations: the no-pruning',
    "row's ratio is what luck alone does to these medians; the table above is the like-for-like comparison. BOHB's",
    'no-pruning ratio compares the two model-based samplers; under a pruner they also learn differently from pruned trials:',
    "BOHB counts a pruned trial as the worst loss, as it counts a failed one, while Optuna's TPE ranks pruned trials below",
    'completed ones by the last epoch they reported, then by the value reported there.',
    '',
    table(
      [
        'run',
        'configurations',
        'epochs (÷ no pruning)',
        'pruned',
        ...checkpoints.map((c) => `regret @${c}·E`),
        'regret at the end',
        'best evaluated (noise-free)',
        'no pruning, same epochs',
      ],
      ownRows,
    ),
    '',
    `Time: ours ${ourSeconds.toFixed(1)} s for all its runs and replays; Optuna ${optunaSeconds.toFixed(1)} s in \`study.optimize\` over all`,
    `its studies (2 processes, ${seconds.toFixed(1)} s of wall time for both sides together).`,
    '',
    ...bestText,
    '',
    await writeFigure(opts, 'pruning', 'Training curve: median regret of the incumbent against epochs spent', {
      data: {
        values: rows.flatMap(({ pruner, family, side, s }) =>
          s.curve(figureAt).flatMap((regret, k) => (regret > 0 ? [{ panel: PANEL[family], pruning: FIGURE_LABEL[pruner], side, epochs: figureAt[k], regret }] : [])),
        ),
      },
      facet: { field: 'panel', type: 'nominal', title: null, sort: FAMILIES.map((f) => PANEL[f]) },
      columns: 2,
      spec: {
        width: 340,
        height: 260,
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'epochs', type: 'quantitative', scale: { type: 'log' }, title: `Epochs spent (full trainings, ×${E})` },
          y: { field: 'regret', type: 'quantitative', scale: { type: 'log' }, title: 'Median regret of the incumbent' },
          color: { field: 'pruning', type: 'nominal', title: 'Pruning', scale: { domain: PRUNERS.map((p) => FIGURE_LABEL[p]) } },
          strokeDash: {
            field: 'side',
            type: 'nominal',
            title: 'Side',
            scale: {
              domain: ['ours', 'Optuna'],
              range: [
                [1, 0],
                [6, 3],
              ],
            },
          },
        },
      },
    }),
  ].join('\n');
}
