// Child-process entry for `processes`: the objective module's spec comes as
// argv[2] (JSON); tasks and results travel over the IPC channel with the
// 'advanced' (structured clone) serialization.
import { errorToData, loadObjective, runObjective } from './objectiveRuntime.mjs';

const spec = JSON.parse(process.argv[2]);
const loaded = loadObjective(spec);
loaded.catch(() => {}); // reported per task
// The pool sends { abort: id } to stop a trial: its objective's signal fires
// (a process still busy after the grace period is killed by the pool).
const running = new Map();

process.on('message', async ({ id, task, abort }) => {
  if (abort !== undefined) return running.get(abort)?.abort(new Error('trial cancelled'));
  const controller = new AbortController();
  const { signal } = controller;
  running.set(id, controller);
  let reply;
  try {
    if (task.probe) {
      await loaded;
      reply = { id, ok: true, result: undefined };
    } else {
      const onStep = task.stream ? (step) => process.send({ id, step }) : undefined;
      reply = { id, ok: true, result: await runObjective(await loaded, task, signal, onStep) };
    }
  } catch (error) {
    reply = { id, ok: false, error: errorToData(error) };
  } finally {
    running.delete(id);
  }
  try {
    process.send(reply);
  } catch (error) {
    // A state that cannot be cloned: say so instead of leaving the trial hanging.
    process.send({ id, ok: false, error: errorToData(error) });
  }
});
// The coordinator closed the pool or died: nothing left to do.
process.on('disconnect', () => process.exit(0));
