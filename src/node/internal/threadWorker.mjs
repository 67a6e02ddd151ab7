// piscina worker entry for `threads`: loads the objective module once per
// thread (its spec comes as workerData) and runs one task per call.
import { workerData } from 'node:worker_threads';
import { errorToData, loadObjective, runObjective } from './objectiveRuntime.mjs';

let loaded;
// Aborting a trial terminates its thread, so the objective's own signal never needs to fire.
const signal = new AbortController().signal;

export default async function runTask(task) {
  loaded ??= loadObjective(workerData);
  if (task.probe) {
    try {
      await loaded;
      return { ok: true };
    } catch (error) {
      return { ok: false, error: errorToData(error) };
    }
  }
  const { port } = task;
  if (!port) return runObjective(await loaded, task, signal);
  // Streaming: every value goes out on the task's own port, then 'done' (the port keeps their order).
  try {
    return await runObjective(await loaded, task, signal, (step) => port.postMessage({ step }));
  } finally {
    port.postMessage({ done: true });
    port.close();
  }
}
