// The same optimization on worker threads, child processes and (when
// REDIS_URL is set) a Redis queue with a worker: sampling stays here, with one
// seeded RNG, so all three evaluate the very same 60 configurations.
import { hyperopt, RandomSampler } from '../src/index.js';
import { processes, queue, startWorker, threads, type Executor } from '../src/node.js';
// The coordinator imports the same space the workers rebuild values from.
import { space } from './parallel/objective.mjs';

const module = new URL('./parallel/objective.mjs', import.meta.url);

async function optimize(name: string, objective: Executor) {
  const t0 = performance.now();
  const ho = await hyperopt({ space, iterations: 60, concurrency: objective.concurrency, sampler: new RandomSampler({ seed: 42 }), progress: false }, objective);
  await objective.close();
  const { x, y, warp } = ho.minimizer!;
  console.log(
    `${name.padEnd(9)} ${ho.trials.length} trials in ${(performance.now() - t0).toFixed(0)} ms: minimum ${ho.minimum.toFixed(4)} at x = ${x.toFixed(2)}, y = ${y.toFixed(2)}, warp = ${warp.name}`,
  );
  return ho.minimum;
}

const minima = [await optimize('threads', threads({ module, space })), await optimize('processes', processes({ module, space }))];

if (process.env.REDIS_URL) {
  // A worker in this process for the demo; on other machines: npx hyperopt-rx worker --redis URL --queue NAME --module objective.mjs
  const queueName = `example-${process.pid}`;
  const worker = await startWorker({ redis: process.env.REDIS_URL, queueName, module, concurrency: 2 });
  minima.push(await optimize('queue', queue({ redis: process.env.REDIS_URL, queueName, space, concurrency: 2 })));
  await worker.close();
} else {
  console.log('queue     skipped: set REDIS_URL=redis://127.0.0.1:6379 to run it');
}

if (new Set(minima).size !== 1) throw new Error(`the executors disagree: ${minima.join(', ')}`);
console.log('same minimum everywhere: the samples came from one RNG in this process');
