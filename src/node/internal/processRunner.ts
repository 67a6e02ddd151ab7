import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fromErrorData } from './fromErrorData.js';
import type { ErrorData, ObjectiveModuleSpec, PlainResult } from './objectiveRuntime.mjs';
import type { Runner } from './Runner.js';
import type { WireTask } from './WireTask.js';

const entry = fileURLToPath(new URL('./processWorker.mjs', import.meta.url));

export interface ProcessRunnerOptions {
  readonly processes: number;
  /** How long an aborted trial's objective may take to stop before its process is killed. */
  readonly graceMs: number;
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

interface Job {
  readonly id: number;
  readonly task: WireTask | { probe: true } | (WireTask & { stream: true });
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly signal?: AbortSignal;
  readonly onStep?: (result: PlainResult) => void;
  onAbort?: () => void;
}

interface Slot {
  readonly child: ChildProcess;
  job?: Job;
  /** Set while an aborted trial winds down: the slot is not free yet. */
  stopping?: { readonly id: number; readonly timer: NodeJS.Timeout };
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorData } | { id: number; step: PlainResult };

/**
 * A pool of up to `processes` child processes (fork, structured-clone IPC),
 * started on demand. Idle children are unref'd, so a forgotten pool does not
 * keep Node alive. A child that dies mid-trial fails that trial and is
 * replaced; aborting a running trial fires its objective's signal and kills
 * the child if the trial is still running `graceMs` later.
 */
export function processRunner(spec: ObjectiveModuleSpec, options: ProcessRunnerOptions): Runner {
  const slots = new Set<Slot>();
  const idle: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (): Slot => {
    const child = fork(entry, [JSON.stringify(spec)], {
      serialization: 'advanced',
      execArgv: options.execArgv ? [...options.execArgv] : undefined,
      env: options.env,
    });
    const slot: Slot = { child };
    slots.add(slot);
    child.on('message', (reply: Reply) => {
      if (slot.stopping?.id === reply.id && !('step' in reply)) {
        // The aborted trial stopped in time: the process is free again.
        clearTimeout(slot.stopping.timer);
        slot.stopping = undefined;
        idle.push(slot);
        setRef(child, false);
        return dispatch();
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if ('step' in reply) return job.onStep?.(reply.step);
      slot.job = undefined;
      release(job);
      if (reply.ok) job.resolve(reply.result);
      else job.reject(fromErrorData(reply.error));
      idle.push(slot);
      setRef(child, false);
      dispatch();
    });
    const gone = (why: string) => {
      clearTimeout(slot.stopping?.timer);
      if (!slots.delete(slot)) return;
      const at = idle.indexOf(slot);
      if (at >= 0) idle.splice(at, 1);
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        release(job);
        job.reject(new Error(`worker process ${child.pid ?? '(not started)'} ${why} during trial ${'i' in job.task ? job.task.i : '(probe)'}`));
      }
      dispatch();
    };
    child.on('exit', (code, signal) => gone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    child.on('error', (error) => gone(`failed (${error.message})`));
    return slot;
  };

  const dispatch = (): void => {
    while (queue.length > 0 && !closed) {
      const slot = idle.pop() ?? (slots.size < options.processes ? spawn() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      setRef(slot.child, true);
      slot.child.send({ id: job.id, task: job.task });
    }
  };

  const release = (job: Job): void => {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
  };

  const submit = (task: Job['task'], signal?: AbortSignal, onStep?: Job['onStep']): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error('this processes executor is closed'));
      if (signal?.aborted) return reject(signal.reason as Error);
      const job: Job = { id: nextId++, task: onStep ? { ...task, stream: true } : task, resolve, reject, signal, onStep };
      if (signal) {
        job.onAbort = () => {
          const waiting = queue.indexOf(job);
          if (waiting >= 0) queue.splice(waiting, 1);
          for (const slot of slots) {
            if (slot.job === job) {
              // Ask the objective to stop (its signal fires); kill the process if it has not `graceMs` later.
              slot.job = undefined;
              try {
                slot.child.send({ abort: job.id });
              } catch {
                // already gone: 'exit' frees the slot
              }
              const timer = setTimeout(() => {
                slots.delete(slot);
                slot.child.kill('SIGKILL');
                dispatch();
              }, options.graceMs);
              slot.stopping = { id: job.id, timer };
            }
          }
          reject(signal.reason as Error);
          dispatch();
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      queue.push(job);
      dispatch();
    });

  return {
    run: (task, signal, onStep) => submit(task, signal, onStep) as Promise<PlainResult>,
    probe: async () => {
      await submit({ probe: true });
    },
    close: async () => {
      closed = true;
      for (const job of queue.splice(0)) {
        release(job);
        job.reject(new Error('this processes executor was closed'));
      }
      const exits = [...slots].map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.child.once('exit', () => resolve());
            slot.child.ref(); // an idle child is unref'd: keep Node alive until it is gone
            // An idle child exits on disconnect; a busy one is stopped.
            clearTimeout(slot.stopping?.timer);
            if (slot.job || slot.stopping) slot.child.kill('SIGKILL');
            else if (slot.child.connected) slot.child.disconnect();
            else slot.child.kill('SIGKILL');
          }),
      );
      await Promise.all(exits);
    },
  };
}

function setRef(child: ChildProcess, on: boolean): void {
  const channel = child.channel as { ref?(): void; unref?(): void } | null | undefined;
  if (on) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}
