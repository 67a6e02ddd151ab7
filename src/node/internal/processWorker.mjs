// Child-process entry for `processes`: the objective module's spec comes as
// argv[2] (JSON); tasks and results travel over the IPC channel with the
// 'advanced' (structured clone) serialization.
import { errorToData, loadObjective, runObjective } from './objectiveRuntime.mjs';

const spec = JSON.parse(process.argv[2]);
const loaded = loadObjective(spec);
loaded.catch(() => {}); // reported per task
// Aborting a trial kills this process, so the objective's own signal never needs to fire.
const signal = new AbortController().signal;

process.on('message', async ({ id, task }) => {
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
