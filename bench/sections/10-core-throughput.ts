/**
 * Issue 2's figures: trials per second of `hyperopt` with RandomSampler and a
 * trivial synchronous objective, beside the bare RxJS floor
 * `range().pipe(mergeMap(x => of(x), c))` measured in the same run, and
 * memory per kept trial; issue 13's abort latency.
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
  await lastValueFrom(
    range(0, n).pipe(
      mergeMap((x) => of(x), concurrency),
      count(),
    ),
  );
  return performance.now() - t0;
}

async function keptBytesPerTrial(n: number): Promise<number> {
  // From a fresh macrotask: the job the previous runs ended in still holds some of their garbage, which GC then
  // frees during this measurement (about -1,750 bytes/trial at 1e4 otherwise).
  await new Promise((resolve) => setTimeout(resolve, 0));
  forceGc();
  const before = process.memoryUsage().heapUsed;
  const ho = await hyperopt({ space, iterations: n, sampler: new RandomSampler({ seed: 2 }), progress: false }, ({ a }) => a);
  forceGc();
  const after = process.memoryUsage().heapUsed;
  if (ho.trials.length !== n) throw new Error('lost trials');
  return (after - before) / n;
}

/**
 * An abort due `delay` ms into a run of 1e12 iterations whose objective never yields to the event loop: how late
 * the run settles after the abort was due (the timer waits for the loop's next macrotask), and after abort().
 */
async function abortLatency(objective: (p: { a: number }) => number | Promise<number>): Promise<{ due: number; called: number; trials: number }> {
  const delay = 50;
  const controller = new AbortController();
  let calledAt = 0;
  const due = performance.now() + delay;
  setTimeout(() => {
    calledAt = performance.now();
    controller.abort();
  }, delay);
  const ho = await hyperopt({ space, iterations: 1e12, signal: controller.signal, sampler: new RandomSampler({ seed: 3 }), progress: false }, objective);
  const end = performance.now();
  return { due: end - due, called: end - calledAt, trials: ho.trials.length };
}

/** About 1 ms of arithmetic: a CPU-bound synchronous objective. */
function cpuBound({ a }: { a: number }): number {
  let s = a;
  for (let k = 0; k < 200_000; k++) s = Math.sqrt(s + k);
  return s;
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
  const latency: string[][] = [];
  const objectives: [string, (p: { a: number }) => number | Promise<number>][] = [
    ['synchronous `({ a }) => a`', ({ a }) => a],
    ['async `async ({ a }) => a`', async ({ a }) => a],
    ['synchronous, CPU-bound (about 1 ms each)', cpuBound],
  ];
  for (const [name, objective] of objectives) {
    const runs: { due: number; called: number; trials: number }[] = [];
    for (let r = 0; r < repeats; r++) runs.push(await abortLatency(objective));
    const most = (f: (x: (typeof runs)[number]) => number) => Math.max(...runs.map(f));
    latency.push([
      name,
      fmt(median(runs.map((x) => x.due)), 3),
      fmt(
        most((x) => x.due),
        3,
      ),
      fmt(median(runs.map((x) => x.called)), 3),
      fmt(median(runs.map((x) => x.trials)), 3),
    ]);
  }
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
    '',
    'Abort latency (issue 13): `setTimeout(() => controller.abort(), 50)` during a run of 1e12 iterations whose objective never yields',
    'to the event loop. The loop goes on from a macrotask after every 20 ms of work, so the timer fires at the next one; then the run',
    `settles. Target: within about 100 ms. Medians of ${repeats} runs.`,
    '',
    table(['objective', 'settled after the abort was due, ms', 'worst, ms', 'settled after abort(), ms', 'trials before the abort'], latency),
  ].join('\n');
}
