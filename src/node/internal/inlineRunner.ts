import { fromErrorData } from './fromErrorData.js';
import { errorToData, loadObjective, runObjective, type LoadedObjective, type ObjectiveModuleSpec } from './objectiveRuntime.mjs';
import type { Runner } from './Runner.js';

/** Runs the module in this thread: no copy, and the objective's own signal fires on abort. */
export function inlineRunner(spec: ObjectiveModuleSpec): Runner {
  let loaded: Promise<LoadedObjective> | undefined;
  const load = () => (loaded ??= loadObjective(spec));
  return {
    run: async (task, signal, onStep) => runObjective(await load(), task, signal ?? new AbortController().signal, onStep),
    probe: async () => {
      try {
        await load();
      } catch (error) {
        throw fromErrorData(errorToData(error));
      }
    },
    close: async () => {},
  };
}
