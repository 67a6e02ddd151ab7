/**
 * Issue 2's figures: trials per second of `hyperopt` with RandomSampler and a
 * trivial synchronous objective, beside the bare RxJS floor
 * `range().pipe(mergeMap(x => of(x), c))` measured in the same run, and
 * memory per kept trial.
 */
import { lastValueFrom, mergeMap, of, range, count } from 'rxjs';
import { hyperopt, linrange, explinrange, RandomSampler } from '../../src/index.js';
import type { SectionOptions } from '../lib/SectionOptions.js';
import { fmt, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import { forceGc } from '../lib/forceGc.js';

const space = { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) };

async function timeOurs(n: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  await hyperopt({ space, iterations: n, concurrency, sampler: new RandomSampler({ seed: 1 }), progress: false }, ({ a }) => a);
  return performance.now() - t0;
}

async function timeBare(n: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  await lastValueFrom(range(0, n).pipe(mergeMap((x) => of(x), concurrency), count()));
  return performance.now() - t0;
}

async function keptBytesPerTrial(n: number): Promise<number> {
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const ho = await hyperopt({ space, iterations: n, sampler: new RandomSampler({ seed: 2 }), progress: false }, ({ a }) => a);
  forceGc();
  const after = process.memoryUsage().heapUsed;
  if (ho.trials.length !== n) throw new Error('lost trials');
  return (after - before) / n;
}

export async function run({ quick }: SectionOptions): Promise<string> {
  const repeats = quick ? 3 : 7;
  const sizes = [1e3, 1e4, 1e5];
  // Warm up both paths so the JIT has compiled them before anything is timed.
  for (let k = 0; k < 3; k++) {
    await timeOurs(2e4, 8);
    await timeBare(2e4, 8);
  }
  const rows: string[][] = [];
  let at1e5 = Infinity;
  let worstRatio = 0;
  for (const n of sizes) {
    for (const concurrency of [1, 8]) {
      const ours: number[] = [];
      const bare: number[] = [];
      for (let r = 0; r < repeats; r++) {
        ours.push(await timeOurs(n, concurrency));
        bare.push(await timeBare(n, concurrency));
      }
      const o = median(ours);
      const b = median(bare);
      const perSecond = (n / o) * 1000;
      if (n === 1e5) at1e5 = Math.min(at1e5, perSecond);
      worstRatio = Math.max(worstRatio, o / b);
      rows.push([String(n), String(concurrency), fmt(perSecond, 3), fmt((o * 1000) / n, 3), fmt((b * 1000) / n, 3), `${fmt(o / b, 3)}×`]);
    }
  }
  const memory: string[][] = [];
  for (const n of quick ? [1e4, 1e5] : [1e4, 1e5, 3e5]) memory.push([String(n), fmt(await keptBytesPerTrial(n), 3)]);
  return [
    '## Core loop throughput (issue 2)',
    '',
    'hyperopt() with RandomSampler over the README space (3 parameters) and a trivial synchronous objective, against the bare RxJS floor',
    '`range(0, n).pipe(mergeMap(x => of(x), c))` timed in the same run (medians of ' + repeats + ' runs each, after warm-up).',
    `Targets: at least 200,000 trials/s at 1e5 trials (measured: ${fmt(at1e5, 3)}/s), within 5× of the floor (worst ratio: ${fmt(worstRatio, 3)}×).`,
    '',
    table(['trials', 'concurrency', 'trials/s', 'µs/trial', 'bare RxJS µs/item', 'ours ÷ bare'], rows),
    '',
    'Memory kept per trial (heap after a full GC, Hyperoptimizer alive; linear when the column is flat):',
    '',
    table(['trials', 'bytes/trial'], memory),
  ].join('\n');
}
