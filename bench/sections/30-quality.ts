import { cpus } from 'node:os';
import { problems } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type AnchorProblem, type JobOf, type OptunaSampler } from '../lib/anchor.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import { ourBestSoFar } from '../lib/ourBestSoFar.js';
import { ourSamplers } from '../lib/ourSamplers.js';
import type { SectionOptions } from '../lib/SectionOptions.js';
import { writeFigure } from '../lib/writeFigure.js';

/** Optuna's side of the quality figure; QMC is skipped (with a line) where scipy is missing. */
const OPTUNA_SAMPLERS: readonly OptunaSampler[] = ['random', 'tpe', 'tpe_multivariate', 'qmc'];

/** Median best after n trials, by n; or why the sampler did not run. */
type Series = Map<number, number> | string;

/** Medians over seeds of best-so-far curves, at each n in `at`. */
function medianCurve(curves: readonly number[][], at: readonly number[]): Map<number, number> {
  return new Map(at.map((n) => [n, median(curves.map((c) => c[n - 1]))]));
}

/** (b) Median best and regret over seeds after 25/50/100/200 trials, per problem and sampler. */
export async function run(opts: SectionOptions): Promise<string> {
  const { quick } = opts;
  const seeds = Array.from({ length: quick ? 2 : 20 }, (_, k) => k + 1);
  const checkpoints = quick ? [25, 50] : [25, 50, 100, 200];
  const trials = checkpoints[checkpoints.length - 1];
  // Curve points for the figure: every few trials for samplers whose prefixes are runs.
  const step = trials / 25;
  const curveAt = [...new Set([...Array.from({ length: 25 }, (_, k) => (k + 1) * step), ...checkpoints])].sort((a, b) => a - b);
  const ours = ourSamplers;

  // Optuna runs in its own processes meanwhile (one per core): quality numbers do not depend on timing.
  const jobs: JobOf<'quality'>[] = problems.flatMap((p) =>
    OPTUNA_SAMPLERS.map((sampler) => ({ mode: 'quality' as const, problem: p.name as AnchorProblem, sampler, seeds, trials })),
  );
  const anchor$ = optunaStatus().available ? runAnchor(jobs, { processes: cpus().length }) : Promise.resolve([]);

  const series = new Map<string, Map<string, Series>>(); // problem -> sampler label -> series
  for (const problem of problems) {
    const rows = new Map<string, Series>();
    for (const sampler of ours) {
      if (sampler.anytime) {
        const curves: number[][] = [];
        for (const seed of seeds) curves.push(await ourBestSoFar(problem, sampler, seed, trials));
        rows.set(sampler.label, medianCurve(curves, curveAt));
      } else {
        // One plan per size; quick mode plans only the largest (GA-optimised plans are the slow part).
        const points = new Map<number, number>();
        for (const n of quick ? [trials] : checkpoints) {
          const bests: number[] = [];
          for (const seed of seeds) bests.push((await ourBestSoFar(problem, sampler, seed, n))[n - 1]);
          points.set(n, median(bests));
        }
        rows.set(sampler.label, points);
      }
    }
    series.set(problem.name, rows);
  }
  for (const result of await anchor$) {
    const label = `Optuna ${result.job.sampler}`;
    series.get(result.job.problem)!.set(
      label,
      result.skipped ??
        medianCurve(
          result.seeds.map((r) => r.best),
          curveAt,
        ),
    );
  }

  const out = [
    '## (b) Search quality: median best and regret',
    '',
    `${seeds.length} seeds (${seeds[0]}..${seeds[seeds.length - 1]}), sequential (concurrency 1), grid-form spaces (1000 points per continuous`,
    'dimension; Optuna suggests the grid index with `suggest_int`, categoricals with `suggest_categorical`).',
    '**Regret = median best − grid f\\*** (the grid-form optimum of problems.md, not the continuous f\\*).',
    'Cells: median regret; for our samplers, in parentheses, that regret as a ratio to the regret of the Optuna sampler',
    'named in the `vs` column (below 1× is better). Latin hypercube samplers plan one hypercube per trial count',
    `(${quick ? 'quick mode: only the largest' : 'each count its own runs'}). Counting ones here is its noise-free loss (no budget).`,
    'Deterministic given the seeds: these numbers are the same on every machine.',
    '',
  ];
  const skipped = optunaSkippedLine();
  if (skipped) out.push(skipped, '');
  const figureRows: { problem: string; sampler: string; trials: number; regret: number; plan: boolean }[] = [];
  for (const problem of problems) {
    const rows = series.get(problem.name)!;
    const regretAt = (s: Series | undefined, n: number) => (typeof s === 'object' ? (s.get(n) ?? NaN) - problem.gridFStar : NaN);
    out.push(`### ${problem.name} (${problem.names.length}-D; f* = ${problem.fStar}, grid f* = ${problem.gridFStar})`, '');
    const body: string[][] = [];
    for (const [label, s] of rows) {
      if (typeof s === 'string') {
        body.push([label, `skipped: ${s}`, ...checkpoints.map(() => 'n/a'), 'n/a']);
        continue;
      }
      const entry = ours.find((o) => o.label === label);
      const plan = entry !== undefined && !entry.anytime; // a few points only: marked, not just joined
      for (const [n, best] of s)
        if (best - problem.gridFStar > 0) figureRows.push({ problem: problem.name, sampler: label, trials: n, regret: best - problem.gridFStar, plan });
      const anchor = entry ? rows.get(`Optuna ${entry.anchor}`) : undefined;
      const cells = checkpoints.map((n) => {
        const regret = regretAt(s, n);
        if (Number.isNaN(regret)) return 'n/a';
        return entry && typeof anchor === 'object' ? `${fmt(regret)} (${ratio(regret, regretAt(anchor, n))})` : fmt(regret);
      });
      body.push([label, entry ? `Optuna ${entry.anchor}` : '', ...cells, fmt(s.get(trials) ?? NaN, 8)]);
    }
    out.push(table(['sampler', 'vs', ...checkpoints.map((n) => `regret @${n}`), `median best @${trials}`], body), '');
  }
  out.push(
    await writeFigure(opts, 'quality', 'Median regret against trials, per problem', {
      data: { values: figureRows },
      facet: { field: 'problem', type: 'nominal', title: null, sort: problems.map((p) => p.name) },
      columns: 2,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 300,
        height: 200,
        encoding: {
          x: { field: 'trials', type: 'quantitative', title: 'Trials' },
          y: { field: 'regret', type: 'quantitative', scale: { type: 'log' }, title: 'Median regret (grid form)' },
          color: { field: 'sampler', type: 'nominal', title: 'Sampler (dashed: Optuna)', legend: { labelLimit: 240, titleLimit: 320 } },
        },
        layer: [
          {
            mark: { type: 'line' },
            encoding: {
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
          },
          { transform: [{ filter: 'datum.plan' }], mark: { type: 'point', filled: true, size: 30 } },
        ],
        transform: [{ calculate: "indexof(datum.sampler, 'Optuna') === 0 ? 'Optuna' : 'ours'", as: 'side' }],
      },
    }),
  );
  return out.join('\n');
}
