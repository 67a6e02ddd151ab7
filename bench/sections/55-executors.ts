import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hyperopt, RandomSampler } from '../../src/index.js';
import type { Objective } from '../../src/trial/Objective.js';
import type { Executor } from '../../src/node/Executor.js';
import { processes } from '../../src/node/processes.js';
import { queue } from '../../src/node/queue.js';
import { threads } from '../../src/node/threads.js';
import { startRedis, type TestRedis } from '../../test/node/redisServer.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import type { SectionOptions } from '../lib/SectionOptions.js';
import { space, spin5ms, trivial } from '../fixtures/executorObjectives.mjs';

const module = new URL('../fixtures/executorObjectives.mjs', import.meta.url);
const workerScript = fileURLToPath(new URL('../fixtures/queueWorker.ts', import.meta.url));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CPU time of this process (all its threads) ÷ wall time, in the last `wall` call: the cores it actually got. */
let lastCores = NaN;

/** Wall milliseconds of `n` trials at `concurrency`. */
async function wall(objective: Objective, n: number, concurrency: number): Promise<number> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ho = await hyperopt({ space, iterations: n, concurrency, sampler: new RandomSampler({ seed: 1 }), progress: false }, objective);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  lastCores = (cpu.user + cpu.system) / 1000 / ms;
  if (ho.trials.length !== n || ho.trials.some((t) => t.status !== 'ok')) throw new Error(`expected ${n} ok trials, got ${ho.trials.length}`);
  return ms;
}

/** Started, warmed up (module loaded, JIT), then timed; closed afterwards. */
async function timeExecutor(make: () => Executor, n: number, concurrency: number): Promise<number> {
  const executor = make();
  try {
    await executor.ready();
    await wall(executor, Math.min(200, n), concurrency);
    return await wall(executor, n, concurrency);
  } finally {
    await executor.close();
  }
}

/**
 * The baseline: bare node:worker_threads, no library, running the same fixed
 * computation `tasks` times on `threads` threads. Shows how much parallelism
 * the machine gave in this run.
 */
async function rawThreads(threads: number, tasks: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { let a = 0; for (let k = 0; k < 600000; k++) a += Math.sin(k * 0.37); parentPort.postMessage(a); });`;
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true }));
  try {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const go = () => (next++ < tasks ? w.postMessage(0) : resolve());
            w.on('message', go);
            go();
          }),
      ),
    );
    return performance.now() - t0;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A `hyperopt-rx worker` process; resolves once it serves. */
async function startWorkerProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('serving queue')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${err}`)));
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

let queues = 0;
const queueName = (what: string) => `bench-${what}-${process.pid}-${queues++}`;

/** ms per trial through the queue, one worker process running the objective on its own thread (`--isolate none`) or on threads. */
async function queueOverhead(redis: TestRedis, n: number, concurrency: number, isolate: 'none' | 'threads'): Promise<number> {
  const name = queueName('overhead');
  const worker = await startWorkerProcess([
    '--redis',
    redis.url,
    '--queue',
    name,
    '--module',
    fileURLToPath(module),
    '--export',
    'trivial',
    '--isolate',
    isolate,
    '--concurrency',
    String(concurrency),
  ]);
  try {
    return (await timeExecutor(() => queue({ redis: redis.url, queueName: name, space, concurrency }), n, concurrency)) / n;
  } finally {
    await stopProcess(worker);
  }
}

/** From a worker's SIGKILL to its trial starting again in another worker, and how often that trial was recorded. */
async function redelivery(redis: TestRedis, lockDuration: number, stalledInterval: number): Promise<{ ms: number; recorded: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-bench-'));
  const marks = join(dir, 'starts');
  writeFileSync(marks, '');
  const name = queueName('crash');
  const flags = [
    '--redis',
    redis.url,
    '--queue',
    name,
    '--module',
    fileURLToPath(module),
    '--export',
    'hangsOnceAt0',
    '--concurrency',
    '1',
    '--lock-duration',
    String(lockDuration),
    '--stalled-interval',
    String(stalledInterval),
  ];
  const workers = await Promise.all([startWorkerProcess(flags, { MARK_FILE: marks }), startWorkerProcess(flags, { MARK_FILE: marks })]);
  const objective = queue({ redis: redis.url, queueName: name, space, concurrency: 1 });
  try {
    const run = hyperopt({ space, iterations: 3, concurrency: 1, progress: false }, objective);
    while (!existsSync(`${marks}.0`) || readFileSync(`${marks}.0`, 'utf8') === '') await sleep(5);
    const victim = Number(readFileSync(`${marks}.0`, 'utf8'));
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    const ho = await run;
    const starts = readFileSync(marks, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    const again = starts.find(([i, pid]) => i === 0 && pid !== victim);
    return { ms: again ? again[2] - killedAt : NaN, recorded: ho.trials.filter((t) => t.i === 0).length };
  } finally {
    await objective.close();
    await Promise.all(workers.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Executors: worker threads and child processes for CPU-bound objectives,
 * a BullMQ queue on a real Redis for many machines; each measured in this
 * run against its own baseline.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  const out: string[] = ['## Executors: worker threads, child processes, Redis queue', ''];

  // CPU-bound: a fixed ~5 ms computation per trial. Alternated and best of `reps`: other load on the machine only ever slows a run down.
  const nCpu = quick ? 80 : 300;
  const reps = quick ? 1 : 3;
  const best = { inline: [Infinity, NaN], one: [Infinity, NaN], two: [Infinity, NaN], twoProc: [Infinity, NaN], raw1: [Infinity, NaN], raw2: [Infinity, NaN] };
  const keep = (key: keyof typeof best, ms: number) => {
    if (ms < best[key][0]) best[key] = [ms, lastCores];
  };
  const load0 = loadavg()[0];
  for (let r = 0; r < reps; r++) {
    keep('inline', await wall(spin5ms as Objective, nCpu, 1));
    keep('one', await timeExecutor(() => threads({ module, exportName: 'spin5ms', threads: 1 }), nCpu, 1));
    keep('two', await timeExecutor(() => threads({ module, exportName: 'spin5ms', threads: 2 }), nCpu, 2));
    keep('twoProc', await timeExecutor(() => processes({ module, exportName: 'spin5ms', processes: 2 }), nCpu, 2));
    keep('raw1', await rawThreads(1, nCpu));
    keep('raw2', await rawThreads(2, nCpu));
  }
  const [raw1, raw2] = [best.raw1[0], best.raw2[0]];
  const [inline, one, two, twoProc] = [best.inline[0], best.one[0], best.two[0], best.twoProc[0]];
  const cores = (key: keyof typeof best) => fmt(best[key][1], 3);
  out.push(
    `### CPU-bound: ${nCpu} trials of a fixed computation (about 5 ms on an idle core)`,
    '',
    `Speed-up = wall time on 1 thread ÷ wall time here (target for 2 threads: ≥ 1.8× on 2 idle cores); best of ${reps}.`,
    `The machine's 1-minute load average was ${load0.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after on ${cpus().length} cores: above ~1, other processes take cores`,
    'from the second thread; the last column shows how many this process actually got, the bound on any speed-up.',
    '',
    table(
      ['where', 'wall ms', 'ms per trial', 'speed-up vs 1 thread', 'cores this process got (CPU ÷ wall)'],
      [
        ['main thread (no executor)', fmt(inline), fmt(inline / nCpu), ratio(one, inline), cores('inline')],
        ['threads({ threads: 1 })', fmt(one), fmt(one / nCpu), ratio(one, one), cores('one')],
        ['threads({ threads: 2 }), concurrency 2', fmt(two), fmt(two / nCpu), ratio(one, two), cores('two')],
        ['processes({ processes: 2 }), concurrency 2', fmt(twoProc), fmt(twoProc / nCpu), ratio(one, twoProc), 'n/a (children)'],
        ['baseline: bare node:worker_threads, 1 thread', fmt(raw1), fmt(raw1 / nCpu), ratio(one, raw1), ''],
        ['baseline: bare node:worker_threads, 2 threads', fmt(raw2), fmt(raw2 / nCpu), ratio(one, raw2), ''],
      ],
    ),
    '',
    `Speed-up of 2 threads over 1: ours ${ratio(one, two)}, bare worker_threads in the same run ${ratio(raw1, raw2)} (what the machine allowed).`,
    '',
  );

  // Waiting, not computing: 20 ms async objective at concurrency 32, in process.
  const nAsync = quick ? 320 : 1280;
  const asyncWall = await wall(async ({ x }: { x: number }) => (await sleep(20), x * x), nAsync, 32);
  const ideal = Math.ceil(nAsync / 32) * 20;
  out.push(
    `### I/O-bound: ${nAsync} trials that wait 20 ms, concurrency 32 (in process)`,
    '',
    table(['ideal ms (ceil(n ÷ 32) × 20)', 'wall ms', 'wall ÷ ideal (target ≤ 1.1)'], [[fmt(ideal), fmt(asyncWall), ratio(asyncWall, ideal)]]),
    '',
  );

  // Overhead: a trivial objective, so the time is the executor's.
  const nTiny = quick ? 4000 : 20000;
  const core = (await wall(trivial as Objective, 2000, 8), await wall(trivial as Objective, nTiny, 8)) / nTiny;
  const viaThreads = (await timeExecutor(() => threads({ module, exportName: 'trivial', threads: 2 }), nTiny, 8)) / nTiny;
  const viaProcesses = (await timeExecutor(() => processes({ module, exportName: 'trivial', processes: 2 }), nTiny, 8)) / nTiny;
  const rows = [
    ['in process (no executor)', fmt(core * 1000), '1×'],
    ['threads({ threads: 2 }) (target < 100 µs)', fmt(viaThreads * 1000), ratio(viaThreads, core)],
    ['processes({ processes: 2 })', fmt(viaProcesses * 1000), ratio(viaProcesses, core)],
  ];
  let redis: TestRedis | undefined;
  let redisNote = '';
  try {
    redis = await startRedis();
  } catch (error) {
    redisNote = `Redis unavailable, queue rows skipped: ${(error as Error).message}`;
  }
  const nQueue = quick ? 500 : 2000;
  if (redis) {
    const q = await queueOverhead(redis, nQueue, 8, 'none');
    const qt = await queueOverhead(redis, nQueue, 8, 'threads');
    rows.push([`queue, 1 worker process, --isolate none (target < 2 ms)`, fmt(q * 1000), ratio(q, core)]);
    rows.push([`queue, 1 worker process, --isolate threads`, fmt(qt * 1000), ratio(qt, core)]);
  }
  out.push(
    `### Overhead per trial: a trivial objective at concurrency 8`,
    '',
    `Wall time ÷ trials (${nTiny} trials; the queue: ${nQueue}, on loopback Redis, the worker a separate process). All on the same 2-core machine,`,
    'so coordinator, worker and Redis share the CPU.',
    ...(redisNote ? ['', redisNote] : []),
    '',
    table(['executor', 'µs per trial', 'vs in process'], rows),
    '',
  );

  if (redis) {
    const settings: [number, number][] = quick
      ? [[2000, 1000]]
      : [
          [2000, 1000],
          [5000, 2500],
        ];
    const crashRows: string[][] = [];
    for (const [lock, stalled] of settings) {
      const r = await redelivery(redis, lock, stalled);
      crashRows.push([String(lock), String(stalled), fmt(r.ms), String(r.recorded)]);
    }
    out.push(
      '### A worker killed (SIGKILL) mid-trial',
      '',
      'Two worker processes; the one running trial 0 is killed. Time from the kill until trial 0 starts again in the other worker;',
      "expected about lockDuration + up to stalledInterval (5000 / 2500 are startWorker's defaults; BullMQ's own, 30000 / 30000, take ~1 min).",
      '',
      table(['lockDuration ms', 'stalledInterval ms', 'kill → re-delivery ms', 'times trial 0 was recorded'], crashRows),
      '',
    );
    await redis.stop();
  }
  return out.join('\n');
}
