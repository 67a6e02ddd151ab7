import { Piscina } from 'piscina';
import { fromErrorData } from './fromErrorData.js';
import type { ErrorData, ObjectiveModuleSpec, PlainResult } from './objectiveRuntime.mjs';
import type { Runner } from './Runner.js';

const entry = new URL('./threadWorker.mjs', import.meta.url).href;

/** A piscina pool of `threads` threads, started on first use, each loading the module once. */
export function threadRunner(spec: ObjectiveModuleSpec, threads: number): Runner {
  let pool: Piscina | undefined;
  let closed = false;
  const open = (): Piscina => {
    if (closed) throw new Error('this threads executor is closed');
    if (!pool) {
      pool = new Piscina({ filename: entry, minThreads: threads, maxThreads: threads, workerData: spec });
      // Without a listener a stray worker error would kill the process; task errors reach their own promise.
      pool.on('error', () => {});
    }
    return pool;
  };
  return {
    run: (task, signal) => open().run(task, { signal }) as Promise<PlainResult>,
    probe: async () => {
      const reply = (await open().run({ probe: true })) as { ok: boolean; error?: ErrorData };
      if (!reply.ok) throw fromErrorData(reply.error!);
    },
    close: async () => {
      closed = true;
      const p = pool;
      pool = undefined;
      await p?.destroy();
    },
  };
}
