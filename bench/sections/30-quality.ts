import { cpus } from 'node:os';
import { problems } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type AnchorProblem, type JobOf, type OptunaSampler } from '../lib/anchor.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import { ourBestSoFar } from '../lib/ourBestSoFar.js';
import { ourSamplers } from '../lib/ourSamplers.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

/** Optuna's side of the quality figure; QMC is skipped (with a line) where scipy is missing. */
const OPTUNA_SAMPLERS: readonly OptunaSampler[] = ['random', 'tpe', 'tpe_multivariate', 'qmc'];

/** (b) Median best and regret over seeds after 25/50/100/200 trials, per problem and sampler. */
export async function run({ quick }: SectionOptions): Promise<string> {
  const seeds = Array.from({ length: quick ? 2 : 20 }, (_, k) => k + 1);
  const checkpoints = quick ? [25, 50] : [25, 50, 100, 200];
  const trials = checkpoints[checkpoints.length - 1];
  const ours = await ourSamplers();

  // Optuna runs in its own processes meanwhile (one per core): quality numbers do not depend on timing.
  const jobs: JobOf<'quality'>[] = problems.flatMap((p) =>
    OPTUNA_SAMPLERS.map((sampler) => ({ mode: 'quality' as const, problem: p.name as AnchorProblem, sampler, seeds, trials })),
  );
  const anchor$ = optunaStatus().available ? runAnchor(jobs, { processes: cpus().length }) : Promise.resolve([]);

  // medians[problem][label] = median best at each checkpoint
  const medians = new Map<string, Map<string, number[] | string>>();
  for (const problem of problems) {
    const rows = new Map<string, number[] | string>();
    for (const sampler of ours) {
      const bestAt: number[][] = checkpoints.map(() => []);
      for (const seed of seeds) {
        if (sampler.anytime) {
          const best = await ourBestSoFar(problem, sampler, seed, trials);
          checkpoints.forEach((n, c) => bestAt[c].push(best[n - 1]));
        } else {
          // One plan per size; quick mode plans only the largest (GA-optimised plans are the slow part).
          for (const [c, n] of checkpoints.entries()) {
            bestAt[c].push(quick && n < trials ? NaN : (await ourBestSoFar(problem, sampler, seed, n))[n - 1]);
          }
        }
      }
      rows.set(sampler.label, bestAt.map(median));
    }
    medians.set(problem.name, rows);
  }
  for (const result of await anchor$) {
    const rows = medians.get(result.job.problem)!;
    const label = `Optuna ${result.job.sampler}`;
    if (result.skipped) rows.set(label, result.skipped);
    else rows.set(label, checkpoints.map((n) => median(result.seeds.map((r) => r.best[n - 1]))));
  }

  const out = [
    '## (b) Search quality: median best and regret',
    '',
    `${seeds.length} seeds (${seeds[0]}..${seeds[seeds.length - 1]}), sequential (concurrency 1), grid-form spaces (1000 points per continuous`,
    'dimension; Optuna suggests the grid index with `suggest_int`, categoricals with `suggest_categorical`).',
    '**Regret = median best − grid f\\*** (the grid-form optimum of problems.md, not the continuous f\\*).',
    'Cells: median regret; for our samplers, in parentheses, that regret as a ratio to the regret of the Optuna sampler',
    'named in the `vs` column (below 1× is better). Counting ones here is its noise-free loss (no budget).',
    'Deterministic given the seeds: these numbers are the same on every machine.',
    '',
  ];
  const skipped = optunaSkippedLine();
  if (skipped) out.push(skipped, '');
  for (const problem of problems) {
    const rows = medians.get(problem.name)!;
    out.push(`### ${problem.name} (${problem.names.length}-D; f* = ${problem.fStar}, grid f* = ${problem.gridFStar})`, '');
    const body: string[][] = [];
    for (const [label, values] of rows) {
      if (typeof values === 'string') {
        body.push([label, `skipped: ${values}`, ...checkpoints.map(() => 'n/a'), 'n/a']);
        continue;
      }
      const entry = ours.find((s) => s.label === label);
      const anchorRow = entry ? rows.get(`Optuna ${entry.anchor}`) : undefined;
      const cells = values.map((best, c) => {
        const regret = best - problem.gridFStar;
        if (Number.isNaN(regret)) return 'n/a';
        if (!entry || !Array.isArray(anchorRow)) return fmt(regret);
        return `${fmt(regret)} (${ratio(regret, anchorRow[c] - problem.gridFStar)})`;
      });
      body.push([label, entry ? `Optuna ${entry.anchor}` : '', ...cells, fmt(values[values.length - 1], 8)]);
    }
    const header = ['sampler', 'vs', ...checkpoints.map((n) => `regret @${n}`), `median best @${trials}`];
    out.push(table(header, body), '');
  }
  return out.join('\n');
}

