import { hyperopt, RandomSampler } from '../../src/index.js';
import { braninProblem, countingOnesProblem, type Problem } from '../problems/index.js';
import { optunaSkippedLine, optunaStatus, runAnchor, type JobOf } from '../lib/anchor.js';
import { forceGc } from '../lib/forceGc.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

/** Heap bytes per trial a finished Hyperoptimizer keeps alive, after full GCs. */
async function oursBytesPerTrial(problem: Problem, n: number): Promise<number> {
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const ho = await hyperopt({ space: problem.space, iterations: n, sampler: new RandomSampler({ seed: 1 }), progress: false }, problem.objective);
  forceGc();
  const after = process.memoryUsage().heapUsed;
  if (ho.trials.length !== n) throw new Error(`memory: expected ${n} trials, got ${ho.trials.length}`);
  return (after - before) / n;
}

/** (e) Memory per kept trial, ours (V8 heap) against Optuna's in-memory storage (tracemalloc). */
export async function run({ quick }: SectionOptions): Promise<string> {
  const n = quick ? 1000 : 20000;
  const subjects = [braninProblem, countingOnesProblem];
  const ours = new Map<string, number>();
  for (const p of subjects) ours.set(p.name, await oursBytesPerTrial(p, n));
  const jobs: JobOf<'memory'>[] = subjects.map((p) => ({ mode: 'memory', problem: p.name as 'branin', sampler: 'random', trials: n }));
  const anchor = optunaStatus().available ? await runAnchor(jobs) : [];
  const rows = subjects.map((p) => {
    const o = ours.get(p.name)!;
    const a = anchor.find((r) => r.job.problem === p.name)?.bytesPerTrial ?? NaN;
    return [p.name, String(p.names.length), fmt(o, 4), fmt(a, 4), ratio(o, a)];
  });
  const skipped = optunaSkippedLine();
  return [
    '## (e) Memory per kept trial',
    '',
    `${n} trials with RandomSampler, every trial kept by the optimizer. Ours: growth of the V8 heap (\`heapUsed\`, after a`,
    'full GC) while the Hyperoptimizer is alive, ÷ trials. Optuna: growth of Python allocations (`tracemalloc`, after',
    '`gc.collect()`) while the Study (in-memory storage) is alive, ÷ trials.',
    ...(skipped ? ['', skipped] : []),
    '',
    table(['problem', 'parameters', 'ours bytes/trial', 'Optuna bytes/trial', 'ours ÷ Optuna'], rows),
  ].join('\n');
}
