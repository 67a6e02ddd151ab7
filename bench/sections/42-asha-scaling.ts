/**
 * Issue 13: the cost of the `asha` operator as the number of candidates
 * doubles, beside `successiveHalving` on the same candidates. Orchestration
 * only: a trivial synchronous objective, so the time is the rung
 * bookkeeping and the loop.
 */
import { count, lastValueFrom, type OperatorFunction } from 'rxjs';
import { candidates, linrange, RandomSampler, type Candidate, type Trial } from '../../src/index.js';
import { asha } from '../../src/multifidelity/asha.js';
import { successiveHalving } from '../../src/multifidelity/successiveHalving.js';
import type { TrialContext } from '../../src/trial/Objective.js';
import type { SectionOptions } from '../lib/SectionOptions.js';
import { fmt, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';

const space = { x: linrange(0, 1, 1000) };
type P = { x: number };
/** Resources 1 … 81 with eta 3: five rungs. */
const RESOURCES = 1;
const MAX_RESOURCES = 81;
const ETA = 3;
const CONCURRENCY = 8;

const objective = ({ x }: P, t: TrialContext) => x + 1 / t.resources!;

async function time(n: number, operator: () => OperatorFunction<Candidate<P, unknown>, Trial<P>>): Promise<{ ms: number; evaluations: number }> {
  const t0 = performance.now();
  const evaluations = await lastValueFrom(candidates(new RandomSampler({ seed: 1 }), space, { iterations: n }).pipe(operator(), count()));
  return { ms: performance.now() - t0, evaluations };
}

const ashaOp = () => asha(objective, { minResource: RESOURCES, maxResource: MAX_RESOURCES, eta: ETA, concurrency: CONCURRENCY });
const shOp = () => successiveHalving(objective, { minResource: RESOURCES, eta: ETA, rungs: 5, concurrency: CONCURRENCY });

export async function run({ quick }: SectionOptions): Promise<string> {
  const repeats = quick ? 3 : 5;
  const sizes = quick ? [2000, 4000, 8000, 16000] : [2000, 4000, 8000, 16000, 32000, 64000];
  for (let k = 0; k < 3; k++) await time(4000, ashaOp); // warm-up: the JIT compiles before anything is timed
  const rows: string[][] = [];
  let previous: number | undefined;
  let at8000 = NaN;
  for (const n of sizes) {
    const runs = [];
    const sh = [];
    for (let r = 0; r < repeats; r++) {
      runs.push(await time(n, ashaOp));
      sh.push(await time(n, shOp));
    }
    const ms = median(runs.map((r) => r.ms));
    if (n === 8000) at8000 = ms;
    rows.push([
      String(n),
      String(runs[0].evaluations),
      fmt(ms / 1000, 3),
      previous === undefined ? 'n/a' : `${fmt(ms / previous, 3)}×`,
      fmt(median(sh.map((r) => r.ms)) / 1000, 3),
    ]);
    previous = ms;
  }
  return [
    '## ASHA operator scaling (issue 13)',
    '',
    `\`asha\` (resources ${RESOURCES} … ${MAX_RESOURCES}, η = ${ETA}, concurrency ${CONCURRENCY}) on n candidates of RandomSampler with a trivial synchronous`,
    `objective, against \`successiveHalving\` (5 rungs) on the same candidates; median of ${repeats} run${repeats > 1 ? 's' : ''}. Near-linear cost`,
    `means a ratio near 2× per doubling. Target: 8,000 candidates under 2 s (measured: ${fmt(at8000 / 1000, 3)} s).`,
    '',
    table(['candidates', 'evaluations', 'asha (s)', '× per doubling', 'successiveHalving (s)'], rows),
  ].join('\n');
}
