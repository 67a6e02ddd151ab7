import { hyperopt, RandomSampler, type Sampler } from '../../src/index.js';
import { LHSampler } from '../../src/samplers/LHSampler.js';
import { CLHSampler } from '../../src/samplers/CLHSampler.js';
import {
  allContinuous,
  budgetedGenerations,
  defaultGenerations,
  optimizePlan,
  planFitness,
  randomPlan,
  type Plan,
  type PlanColumn,
} from '../../src/samplers/internal/lhsPlan.js';
import { createRng } from '../../src/samplers/internal/rng.js';
import { braninProblem, hyperoptjlProblem, type Problem } from '../problems/index.js';
import { fmt, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

/** Latin hypercubes: time to plan, plan quality against unoptimized hypercubes, and best after 20 trials against random search. */
export async function run({ quick }: SectionOptions): Promise<string> {
  return ['## Latin hypercube sampling (LHSampler, CLHSampler)', '', ...timing(quick), ...planQuality(quick), ...(await searchQuality(quick))].join('\n');
}

interface Case {
  readonly label: string;
  readonly rows: number;
  readonly columns: readonly PlanColumn[];
  readonly generations: number;
  readonly target?: number; // ms, from the issue
  readonly full?: boolean; // only in full mode
}

const cont = (d: number) => allContinuous(d);
const TIMING: readonly Case[] = [
  { label: 'LHSampler 100 × 3 (default generations)', rows: 100, columns: cont(3), generations: budgetedGenerations(100, 3), target: 100 },
  { label: 'LHSampler 1,000 × 10 (default generations)', rows: 1000, columns: cont(10), generations: budgetedGenerations(1000, 10), target: 3000 },
  { label: "LHSampler 100 × 3 (Hyperopt.jl's 666 generations)", rows: 100, columns: cont(3), generations: defaultGenerations(100, 3), target: 100, full: true },
  { label: "LHSampler 1,000 × 10 (Hyperopt.jl's 20 generations)", rows: 1000, columns: cont(10), generations: defaultGenerations(1000, 10), target: 3000, full: true },
  { label: "LHSampler 20 × 3 (Hyperopt.jl's)", rows: 20, columns: cont(3), generations: defaultGenerations(20, 3), full: true },
  { label: "LHSampler 300 × 2 (Hyperopt.jl's)", rows: 300, columns: cont(2), generations: defaultGenerations(300, 2), full: true },
  { label: "LHSampler 2 × 2, a small Hyperband bracket (Hyperopt.jl's)", rows: 2, columns: cont(2), generations: defaultGenerations(2, 2), full: true },
  { label: 'LHSampler 100 × 3, 100 generations', rows: 100, columns: cont(3), generations: 100 },
  {
    label: 'CLHSampler 100 × [cont, cat(2), cont]',
    rows: 100,
    columns: [{ kind: 'continuous' }, { kind: 'categorical', levels: 2 }, { kind: 'continuous' }],
    generations: 500,
  },
];

function timeOnce(c: Case, seed: number): { wall: number; cpu: number } {
  const rng = createRng(`bench-${seed}`);
  const x = randomPlan(c.rows, c.columns, rng);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  optimizePlan(x, c.generations, rng, c.columns);
  return { wall: performance.now() - t0, cpu: process.cpuUsage(cpu0).user / 1000 };
}

function timing(quick: boolean): string[] {
  const repeats = quick ? 1 : 3;
  const rows: string[][] = [];
  for (const c of TIMING) {
    if (quick && c.full) {
      rows.push([c.label, String(c.generations), 'n/a', 'n/a', 'n/a', c.target ? `< ${fmt(c.target)} ms` : '', 'full mode only']);
      continue;
    }
    timeOnce({ ...c, generations: Math.min(c.generations, 5) }, 0); // warm up the JIT on this shape
    const runs = Array.from({ length: repeats }, (_, k) => timeOnce(c, k + 1));
    const wall = median(runs.map((r) => r.wall));
    const cpu = median(runs.map((r) => r.cpu));
    const perGeneration = c.generations > 0 ? cpu / c.generations : NaN;
    const verdict = c.target === undefined ? '' : cpu <= c.target ? 'met' : `missed (${fmt(cpu / c.target, 3)}×)`;
    rows.push([c.label, String(c.generations), `${fmt(wall)} ms`, `${fmt(cpu)} ms`, `${fmt(perGeneration, 3)} ms`, c.target ? `< ${fmt(c.target)} ms` : '', verdict]);
  }
  return [
    '### Time to plan',
    '',
    `The genetic algorithm of LatinHypercubeSampling.jl (population 100, tournament 2 / 0.8). Default generations are`,
    `Hyperopt.jl's ((200000 ÷ n) ÷ d for LHSampler, 500 for CLHSampler) capped by a planning budget (lhsPlan.ts`,
    '`budgetedGenerations`): the GA gets most of its gain early (100 × 3: 90 % of the 666-generation fitness at 0',
    "generations, 95 % at 30), while Hyperopt.jl's counts cost seconds. Rows marked Hyperopt.jl show the uncapped cost.",
    `Median of ${repeats} run(s) after a warm-up. CPU is user time of this process (steadier than wall time on a shared`,
    'machine). Every generation evaluates 99 children in full (n(n−1)/2 pairs each).',
    '',
    table(['plan', 'generations', 'wall', 'CPU', 'CPU / generation', 'target (issue)', 'verdict'], rows),
    '',
  ];
}

function minDistance(plan: Plan): number {
  let min = Infinity;
  for (let i = 1; i < plan.rows; i++) {
    for (let j = 0; j < i; j++) {
      let D = 0;
      for (let k = 0; k < plan.columns; k++) D += (plan.data[k * plan.rows + i] - plan.data[k * plan.rows + j]) ** 2;
      if (D < min) min = D;
    }
  }
  return Math.sqrt(min);
}

function planQuality(quick: boolean): string[] {
  const seeds = quick ? 5 : 30;
  const sizes: [number, number][] = quick
    ? [[20, 2]]
    : [
        [20, 2],
        [50, 3],
        [100, 3],
        [100, 5],
      ];
  const rows: string[][] = [];
  for (const [n, d] of sizes) {
    const generations = defaultGenerations(n, d);
    const fit: number[] = [];
    const fitRandom: number[] = [];
    const dist: number[] = [];
    const distRandom: number[] = [];
    let wins = 0;
    for (let s = 0; s < seeds; s++) {
      const rng = createRng(`quality-${n}-${d}-${s}`);
      const { plan } = optimizePlan(randomPlan(n, cont(d), rng), generations, rng);
      const unoptimized = randomPlan(n, cont(d), createRng(`unoptimized-${n}-${d}-${s}`));
      fit.push(planFitness(plan));
      fitRandom.push(planFitness(unoptimized));
      dist.push(minDistance(plan));
      distRandom.push(minDistance(unoptimized));
      if (minDistance(plan) > minDistance(unoptimized)) wins++;
    }
    rows.push([
      `${n} × ${d}`,
      String(generations),
      fmt(median(fit)),
      fmt(median(fitRandom)),
      `${fmt(median(fit) / median(fitRandom), 3)}×`,
      fmt(median(dist)),
      fmt(median(distRandom)),
      `${wins}/${seeds}`,
    ]);
  }
  return [
    '### Plan quality: optimized against unoptimized Latin hypercubes',
    '',
    `Median over ${seeds} seeds of the inverse Audze–Eglais fitness (higher is better) and of the smallest distance between`,
    "two rows on the integer grid (strata units), for plans with Hyperopt.jl's generation counts and for random Latin hypercubes.",
    'Deterministic given the seeds.',
    '',
    table(['plan', 'generations', 'fitness', 'fitness, random LHS', 'ratio', 'min distance', 'min distance, random LHS', 'optimized farther'], rows),
    '',
  ];
}

async function bestAfter(problem: Problem, sampler: Sampler, iterations: number): Promise<number> {
  const ho = await hyperopt({ space: problem.space, iterations, sampler, progress: false }, problem.objective);
  return ho.minimum;
}

async function searchQuality(quick: boolean): Promise<string[]> {
  const seeds = quick ? 5 : 30;
  const trials = 20;
  const samplers: [string, (seed: number, p: Problem) => Sampler][] = [
    ['RandomSampler', (seed) => new RandomSampler({ seed })],
    ['LHSampler', (seed) => new LHSampler({ seed })],
    ['CLHSampler', (seed, p) => new CLHSampler({ seed, dims: p.dims })],
  ];
  const rows: string[][] = [];
  for (const problem of [hyperoptjlProblem, braninProblem]) {
    const medians = new Map<string, number>();
    const bests = new Map<string, number[]>();
    for (const [label, make] of samplers) {
      const best: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) best.push(await bestAfter(problem, make(seed, problem), trials));
      medians.set(label, median(best));
      bests.set(label, best);
    }
    const random = medians.get('RandomSampler')!;
    for (const [label] of samplers) {
      const m = medians.get(label)!;
      const regret = m - problem.gridFStar;
      const beats = bests.get(label)!.filter((b, k) => b <= bests.get('RandomSampler')![k]).length;
      rows.push([
        problem.name,
        label,
        fmt(m, 6),
        fmt(regret),
        label === 'RandomSampler' ? '' : `${fmt(regret / (random - problem.gridFStar), 3)}×`,
        label === 'RandomSampler' ? '' : `${beats}/${seeds}`,
      ]);
    }
  }
  return [
    `### Best after ${trials} trials: Latin hypercubes against random search`,
    '',
    `Median over ${seeds} seeds (1..${seeds}) of the best value after ${trials} sequential trials on the grid-form problems`,
    '(bench/problems: 1000 points per continuous dimension, so a 20-row plan picks one grid point inside each of its',
    `20 strata). Regret = median best − grid f*. "vs random" is the regret ratio (below 1× is better); "≤ random" counts`,
    'seeds where the sampler did at least as well as RandomSampler with the same seed number. Deterministic given the seeds.',
    '',
    table(['problem', 'sampler', 'median best', 'regret', 'vs random', '≤ random'], rows),
    '',
  ];
}
