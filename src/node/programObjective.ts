import { spawn } from 'node:child_process';
import { ArgumentError } from '../ArgumentError.js';
import type { Objective } from '../Objective.js';
import { checkPositiveInteger, show } from '../internal/check.js';
import { formatValue } from '../sinks/internal/formatValue.js';
import { parseObjectiveOutput } from './internal/parseObjectiveOutput.js';

export interface ProgramObjectiveOptions {
  /** Parameter names that may appear as `{name}` placeholders (others are an ArgumentError). @default any name */
  readonly params?: readonly string[];
  /** Kill a trial's program after this many milliseconds; the trial fails with "timed out". @default no limit */
  readonly timeoutMs?: number;
  /** After the polite SIGTERM, how long to wait before SIGKILL. @default 2000 */
  readonly killGraceMs?: number;
  /** Working directory of the program. @default process.cwd() */
  readonly cwd?: string;
  /** Extra environment variables (added to process.env). */
  readonly env?: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\{([A-Za-z_$][\w$.-]*)\}/g;
/** Keep this much of each stream: enough for the last lines, bounded for chatty programs. */
const TAIL = 64 * 1024;

/**
 * An objective that runs a program per trial, for tuning code in any
 * language. Each `{name}` in `command` is replaced by the trial's value of
 * that parameter and `{resources}` by the budget under Hyperband, in place
 * inside its own argv entry: the program is spawned directly, never through
 * a shell, so values need no quoting. The trial's value is the last line of
 * stdout that is a number, or a JSON line `{"value": ..., "state"?: ...}`,
 * whichever comes last. A non-zero exit, no such line, or running past
 * `timeoutMs` (the program's process group is killed) fails the trial with a
 * message saying what happened and the end of its stderr. Aborting the
 * trial's signal kills the program too.
 *
 * ## Example
 * ```ts
 * import { hyperopt, programObjective } from 'hyperopt-rx/node';
 * import { explinrange } from 'hyperopt-rx';
 * const objective = programObjective(['python3', 'train.py', '--lr', '{lr}', '--layers', '{layers}'], { timeoutMs: 60_000 });
 * const ho = await hyperopt({ space: { lr: explinrange(-4, -1, 100), layers: [1, 2, 3] }, iterations: 20, concurrency: 2, onError: 'skip' }, objective);
 * ```
 */
export function programObjective(command: readonly string[], options: ProgramObjectiveOptions = {}): Objective<Record<string, unknown>> {
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string')) {
    throw new ArgumentError('command', `must be a non-empty array of strings (the program and its arguments), got ${show(command)}`);
  }
  if (command[0] === '') throw new ArgumentError('command', 'names no program');
  const { params, cwd, env } = options;
  const timeoutMs = options.timeoutMs === undefined ? undefined : checkPositiveInteger('timeoutMs', options.timeoutMs);
  const killGraceMs = options.killGraceMs === undefined ? 2000 : checkPositiveInteger('killGraceMs', options.killGraceMs);
  if (params !== undefined) {
    for (const arg of command) {
      for (const [, name] of arg.matchAll(PLACEHOLDER)) {
        if (name !== 'resources' && !params.includes(name)) {
          throw new ArgumentError('command', `has the placeholder {${name}}, which names no parameter of the space (${params.join(', ')})`);
        }
      }
    }
  }
  const childEnv = env === undefined ? undefined : { ...process.env, ...env };

  return (values, { resources, signal }) =>
    new Promise((resolve, reject) => {
      const argv = command.map((arg) =>
        arg.replace(PLACEHOLDER, (whole, name: string) => {
          if (name === 'resources') return resources === undefined ? whole : String(resources);
          return Object.hasOwn(values, name) ? formatValue(values[name]) : whole;
        }),
      );
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let settled = false;
      // Its own process group, so a timeout also stops whatever the program started.
      const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: childEnv, detached: true });
      const killGroup = (sig: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, sig);
        } catch {
          // Already gone.
        }
      };
      let graceTimer: NodeJS.Timeout | undefined;
      const stop = () => {
        killGroup('SIGTERM');
        graceTimer ??= setTimeout(() => killGroup('SIGKILL'), killGraceMs);
        graceTimer.unref();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stop()), timeoutMs);
      const onAbort = () => stop();
      if (signal.aborted) stop();
      else signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-TAIL)));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-TAIL)));
      const finish = (error: Error | undefined, result?: { value: number; state?: unknown } | number) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(result as number);
      };
      child.on('error', (error) => finish(new Error(`cannot run ${argv[0]}: ${error.message}`)));
      child.on('close', (code, sig) => {
        // The program's own children may still hold the group: make sure none outlives the trial.
        if (timedOut || sig !== null) killGroup('SIGKILL');
        const tail = lastLines(stderr);
        const where = `${argv.join(' ')}`;
        if (timedOut) return finish(new Error(`timed out after ${formatMs(timeoutMs!)}: ${where}${tail}`));
        if (signal.aborted) return finish(new Error(`cancelled: ${where}`));
        if (sig !== null) return finish(new Error(`killed by ${sig}: ${where}${tail}`));
        if (code !== 0) return finish(new Error(`exited with code ${code}: ${where}${tail}`));
        const result = parseObjectiveOutput(stdout);
        if (result === undefined) {
          const last = stdout.trimEnd().split('\n').pop() ?? '';
          return finish(new Error(`printed no number and no {"value": ...} line on stdout (last line: ${JSON.stringify(last.slice(0, 200))}): ${where}${tail}`));
        }
        finish(undefined, result);
      });
    });
}

function lastLines(text: string): string {
  const lines = text.trimEnd().split('\n').slice(-5).join('\n');
  return lines === '' ? '' : `\n${lines}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
