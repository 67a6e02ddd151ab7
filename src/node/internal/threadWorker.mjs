// piscina worker entry for `threads`: loads the objective module once per
// thread (its spec comes as workerData) and runs one task per call.
import { BroadcastChannel, workerData } from 'node:worker_threads';
import { errorToData, loadObjective, runObjective } from './objectiveRuntime.mjs';

let loaded;
// The pool broadcasts the id of a trial to stop: its objective's signal fires
// (a thread still busy after the grace period is terminated by the pool).
const running = new Map();
const stoppedEarly = new Set();
const stops = new BroadcastChannel(workerData.abortChannel);
stops.unref();
stops.onmessage = ({ data: id }) => {
  const controller = running.get(id);
  if (controller) controller.abort(new Error('trial cancelled'));
  else if (stoppedEarly.size < 10_000) stoppedEarly.add(id); // still queued, or running on another thread
};

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
  if (stoppedEarly.delete(task.id)) throw new Error('trial cancelled');
  const controller = new AbortController();
  running.set(task.id, controller);
  const { port } = task;
  try {
    if (!port) return checkCloneable(await runObjective(await loaded, task, controller.signal));
    // Streaming: every value goes out on the task's own port, then 'done' (the port keeps their order).
    try {
      return await runObjective(await loaded, task, controller.signal, (step) => {
        try {
          port.postMessage({ step });
        } catch (error) {
          throw notCloneable(error);
        }
      });
    } finally {
      port.postMessage({ done: true });
      port.close();
    }
  } catch (error) {
    throw sendable(error);
  } finally {
    running.delete(task.id);
  }
}

// piscina posts the result after this function returns: a state it cannot clone would reach the pool as an empty object.
function checkCloneable(result) {
  if (result !== null && typeof result === 'object' && result.state !== undefined) {
    try {
      structuredClone(result.state);
    } catch (error) {
      throw notCloneable(error);
    }
  }
  return result;
}

function notCloneable(error) {
  return new Error(`the objective's state cannot be sent to the calling thread: ${error?.message ?? String(error)}`);
}

/** An error that survives the trip to the pool: a DOMException (AbortError, DataCloneError) or a non-Error arrives as {}. */
function sendable(error) {
  if (error instanceof Error && !(error instanceof DOMException)) return error;
  const copy = new Error(error?.message ?? String(error));
  if (typeof error?.name === 'string') copy.name = error.name;
  return copy;
}
