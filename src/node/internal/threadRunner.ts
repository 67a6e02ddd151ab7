import { randomUUID } from 'node:crypto';
import { BroadcastChannel, MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { importOptional } from './importOptional.js';
import { fromErrorData } from './fromErrorData.js';
import { GracefulAbort } from './GracefulAbort.js';
import type { ErrorData, ObjectiveModuleSpec, PlainResult } from './objectiveRuntime.mjs';
import type { Runner } from './Runner.js';

const entry = new URL('./threadWorker.mjs', import.meta.url).href;

/**
 * A piscina pool of `threads` threads, started on first use, each loading the
 * module once. A trial whose signal fires gets its objective's signal fired
 * in its thread, and its thread terminated if still busy `graceMs` later.
 */
export function threadRunner(spec: ObjectiveModuleSpec, threads: number, graceMs: number): Runner {
  let pool: Promise<Piscina> | undefined;
  let stops: BroadcastChannel | undefined;
  let closed = false;
  let nextId = 0;
  const abortChannel = `hyperopt-rx:${randomUUID()}`;
  const open = (): Promise<Piscina> => {
    if (closed) return Promise.reject(new Error('this threads executor is closed'));
    pool ??= importOptional('threads', ['piscina'], () => import('piscina')).then(({ Piscina }) => {
      stops = new BroadcastChannel(abortChannel);
      stops.unref();
      const created = new Piscina({ filename: entry, minThreads: threads, maxThreads: threads, workerData: { ...spec, abortChannel } });
      // Without a listener a stray worker error would kill the process; task errors reach their own promise.
      created.on('error', () => {});
      return created;
    });
    return pool;
  };
  return {
    run: async (wire, signal, onStep) => {
      const p = await open();
      const id = nextId++;
      const task = { ...wire, id };
      const abort = signal ? new GracefulAbort(signal, () => stops!.postMessage(id), graceMs) : undefined;
      if (!onStep) return p.run(task, { signal: abort }) as Promise<PlainResult>;
      const { port1, port2 } = new MessageChannel();
      return new Promise<PlainResult>((resolve, reject) => {
        let result: { value: PlainResult } | undefined;
        let drained = false;
        // Resolve only when both the result and the last step are in: they travel on different channels.
        const settle = () => {
          if (result && drained) {
            port1.close();
            resolve(result.value);
          }
        };
        port1.on('message', (message: { step?: PlainResult; done?: true }) => {
          if (message.done) {
            drained = true;
            settle();
          } else onStep(message.step!);
        });
        (p.run({ ...task, port: port2 }, { signal: abort, transferList: [port2] }) as Promise<PlainResult>).then(
          (value) => {
            result = { value };
            settle();
          },
          (error: Error) => {
            port1.close();
            reject(error);
          },
        );
      });
    },
    probe: async () => {
      const reply = (await (await open()).run({ probe: true })) as { ok: boolean; error?: ErrorData };
      if (!reply.ok) throw fromErrorData(reply.error!);
    },
    close: async () => {
      closed = true;
      const p = pool;
      pool = undefined;
      await (await p?.catch(() => undefined))?.destroy();
      stops?.close();
    },
  };
}
