import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { ArgumentError } from '../base/ArgumentError.js';
import { Observable } from 'rxjs';
import type { Objective, ObjectiveResult } from '../trial/Objective.js';
import { checkOptions, checkTimeoutMs, show } from '../base/check.js';
import { formatValue } from '../sinks/internal/formatValue.js';
import { MAX_OUTPUT_LINE, readObjectiveOutput } from './internal/parseObjectiveOutput.js';
import { addProgramGroup, killGroup, removeProgramGroup } from './internal/programGroups.js';

export interface ProgramObjectiveOptions {
  /** Parameter names that may appear as `{name}` placeholders (others are an ArgumentError). @default any name */
  readonly params?: readonly string[];
  /** Kill a trial's program after this many milliseconds (at most 2^31 - 1); the trial fails with "timed out". @default no limit */
  readonly timeoutMs?: number;
  /** After the polite SIGTERM, how long to wait before SIGKILL. @default 2000 */
  readonly killGraceMs?: number;
  /** Working directory of the program (an existing directory). @default process.cwd() */
  readonly cwd?: string;
  /** Extra environment variables (added to process.env). */
  readonly env?: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\{([A-Za-z_$][\w$.-]*)\}/g;
const PLACEHOLDER_NAME = /^[A-Za-z_$][\w$.-]*$/;
/** Keep this much of stderr: enough for the last lines of a message, bounded for chatty programs. */
const STDERR_TAIL = 64 * 1024;
/** After the program exits, how long its output may still come in (a child it left may hold the pipe). */
const DRAIN_MS = 200;
/** While a stopped group has its grace: how often to look whether it is gone. */
const GROUP_POLL_MS = 50;

/**
 * An objective that runs a program per trial, for tuning code in any
 * language. Each `{name}` in `command` is replaced by the trial's value of
 * that parameter and `{resources}` by the budget under Hyperband, in place
 * inside its own argv entry: the program is spawned directly, never through
 * a shell, so values need no quoting. The trial's value is the last line of
 * stdout that is a number, a JSON line `{"value": ..., "state"?: ...}`, or a
 * step line `{"step": k, "value": ...}`, whichever comes last (a line may be
 * up to 16 Mi characters; a longer one that may hold the value, or a number
 * that overflows to ±Infinity, fails the trial). A non-zero exit, no such
 * line, or running past `timeoutMs` fails the trial with a message saying
 * what happened and the end of its stderr. Aborting the trial's signal stops
 * the program too.
 *
 * The objective is streaming: an Observable that emits each step line as
 * the program prints it (an epoch's validation loss, say), then a value
 * line printed after them if any, so a pruner (`withPruner`, `prune`) sees
 * the values while the program runs. Unsubscribing, as a pruner does,
 * stops the program like a timeout: SIGTERM to its group, SIGKILL
 * `killGraceMs` later. A program that prints only a final value emits it
 * once (the trial records `steps: 1`).
 *
 * The trial is over when the program exits (its output is read for a
 * further 200 ms, not until a child it left closes stdout). Whatever is left
 * of its process group then, or on a timeout or abort, gets SIGTERM and
 * `killGraceMs` later SIGKILL; so does every group still running when this
 * process exits.
 *
 * ## Example
 * ```ts
 * import { hyperopt, programObjective } from 'hyperopt-rx/node';
 * import { explinrange, MedianPruner, RandomSampler, withPruner } from 'hyperopt-rx';
 * const objective = programObjective(['python3', 'train.py', '--lr', '{lr}', '--layers', '{layers}'], { timeoutMs: 60_000 });
 * const ho = await hyperopt({ space: { lr: explinrange(-4, -1, 100), layers: [1, 2, 3] }, iterations: 20, concurrency: 2, onError: 'skip' }, objective);
 * // train.py printing {"step": epoch, "value": loss} per epoch: stop the poor ones early
 * const pruned = await hyperopt(
 *   { space: { lr: explinrange(-4, -1, 100), layers: [1, 2, 3] }, iterations: 20, onError: 'skip', sampler: withPruner(new RandomSampler(), new MedianPruner()) },
 *   objective,
 * );
 * ```
 */
export function programObjective(command: readonly string[], options: ProgramObjectiveOptions = {}): Objective<Record<string, unknown>> {
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string')) {
    throw new ArgumentError('command', `must be a non-empty array of strings (the program and its arguments), got ${show(command)}`);
  }
  if (command[0] === '') throw new ArgumentError('command', 'names no program');
  checkOptions('options', options, ['params', 'timeoutMs', 'killGraceMs', 'cwd', 'env']);
  const { params, cwd, env } = options;
  const timeoutMs = options.timeoutMs === undefined ? undefined : checkTimeoutMs('timeoutMs', options.timeoutMs);
  const killGraceMs = options.killGraceMs === undefined ? 2000 : checkTimeoutMs('killGraceMs', options.killGraceMs);
  if (params !== undefined && (!Array.isArray(params) || !params.every((p) => typeof p === 'string'))) {
    throw new ArgumentError('params', `must be an array of parameter names (strings), got ${show(params)}`);
  }
  if (cwd !== undefined) checkDirectory('cwd', cwd);
  if (env !== undefined && (env === null || typeof env !== 'object' || Array.isArray(env) || !Object.values(env).every((v) => typeof v === 'string'))) {
    throw new ArgumentError('env', `must be an object of strings (variable: value), got ${show(env)}`);
  }
  if (params !== undefined) checkPlaceholders(command, params);
  const childEnv = env === undefined ? undefined : { ...process.env, ...env };

  return (values, { resources, signal }) =>
    new Observable<ObjectiveResult>((subscriber) => {
      const argv = command.map((arg) =>
        arg.replace(PLACEHOLDER, (whole, name: string) => {
          if (name === 'resources') return resources === undefined ? whole : String(resources);
          return Object.hasOwn(values, name) ? formatValue(values[name]) : whole;
        }),
      );
      const where = argv.join(' ');
      // Each step line is an intermediate value at once: a pruner sees it while the program runs.
      const stdout = readObjectiveOutput(MAX_OUTPUT_LINE, ({ value, state }) => subscriber.next(state === undefined ? value : { value, state }));
      let stderr = '';
      let timedOut = false;
      let settled = false;
      let exited: { readonly code: number | null; readonly sig: NodeJS.Signals | null } | undefined;
      // Its own process group, so a timeout or a prune also stops whatever the program started.
      const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: childEnv, detached: true });
      const pid = child.pid;
      if (pid !== undefined) addProgramGroup(pid);
      let killTimer: NodeJS.Timeout | undefined;
      let watch: NodeJS.Timeout | undefined;
      let drainTimer: NodeJS.Timeout | undefined;
      const forget = () => {
        clearTimeout(killTimer);
        clearInterval(watch);
        if (pid !== undefined) removeProgramGroup(pid);
      };
      // SIGTERM now, SIGKILL killGraceMs later if anything of the group is left; then it is forgotten.
      const stopGroup = () => {
        if (pid === undefined || killTimer !== undefined) return;
        if (!killGroup(pid, 'SIGTERM')) return removeProgramGroup(pid);
        killTimer = setTimeout(() => {
          killGroup(pid, 'SIGKILL');
          forget();
          // The bound on the whole trial: whatever still holds its pipes is not waited for.
          if (!settled) drainTimer ??= setTimeout(conclude, DRAIN_MS);
        }, killGraceMs);
        // A group gone before its grace is over (the usual case) is forgotten then: nothing waits out the grace.
        watch = setInterval(() => {
          if (!killGroup(pid, 0)) forget();
        }, GROUP_POLL_MS);
        if (settled) {
          killTimer.unref();
          watch.unref();
        }
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stopGroup()), timeoutMs);
      const onAbort = () => stopGroup();
      if (signal.aborted) stopGroup();
      else signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.write(chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
      const finish = (error: Error | undefined, result?: ObjectiveResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(drainTimer);
        killTimer?.unref();
        watch?.unref();
        signal.removeEventListener('abort', onAbort);
        // Pipes still held by the program's children must not keep this process alive.
        child.stdout.destroy();
        child.stderr.destroy();
        if (error) return subscriber.error(error);
        // A last step line was emitted when it was read; a value line after the steps is one more value.
        if (result !== undefined) subscriber.next(result);
        subscriber.complete();
      };
      const conclude = () => {
        if (settled) return;
        // The program is over: nothing it started outlives its trial.
        if (pid !== undefined) {
          if (killGroup(pid, 0)) stopGroup();
          else forget(); // nothing left to SIGKILL
        }
        const tail = lastLines(stderr);
        if (timedOut) return finish(new Error(`timed out after ${formatMs(timeoutMs!)}: ${where}${tail}`));
        if (signal.aborted || subscriber.closed) return finish(new Error(`cancelled: ${where}`));
        if (exited?.sig) return finish(new Error(`killed by ${exited.sig}: ${where}${tail}`));
        if (exited?.code !== 0) return finish(new Error(`exited with code ${exited?.code}: ${where}${tail}`));
        const result = stdout.result();
        if (result === undefined) {
          return finish(
            new Error(
              `printed no number, no {"value": ...} and no {"step": ..., "value": ...} line on stdout (last line: ${JSON.stringify(stdout.lastLine())}): ${where}${tail}`,
            ),
          );
        }
        if (typeof result === 'object' && 'error' in result) return finish(new Error(`printed an unusable value: ${result.error}: ${where}${tail}`));
        finish(undefined, stdout.endedOnStep() ? undefined : result);
      };
      child.on('error', (error) => {
        if (pid !== undefined) removeProgramGroup(pid);
        const missingCwd = cwd !== undefined && (error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(cwd);
        finish(new Error(missingCwd ? `cannot run ${argv[0]}: its working directory ${cwd} does not exist` : `cannot run ${argv[0]}: ${error.message}`));
      });
      // Settled when the program exits, after a short drain of its output: a child it left holding stdout is not waited for.
      child.on('exit', (code, sig) => {
        exited = { code, sig };
        drainTimer ??= setTimeout(conclude, DRAIN_MS);
      });
      child.on('close', conclude);
      // Unsubscribed before the program is over (pruned, or the run cancelled): stop its group; its exit still cleans up.
      return () => {
        if (!settled) stopGroup();
      };
    });
}

/** `{name}` placeholders must name parameters; braces around a parameter name that cannot be a placeholder (`{a b}`) are refused too. */
function checkPlaceholders(command: readonly string[], params: readonly string[]): void {
  for (const arg of command) {
    for (const [, name] of arg.matchAll(PLACEHOLDER)) {
      if (name !== 'resources' && !params.includes(name)) {
        throw new ArgumentError('command', `has the placeholder {${name}}, which names no parameter of the space (${params.join(', ')})`);
      }
    }
    for (const [whole, inner] of arg.matchAll(/\{([^{}]*)\}/g)) {
      if (!PLACEHOLDER_NAME.test(inner) && params.includes(inner.trim())) {
        throw new ArgumentError(
          'command',
          `has ${whole}, which cannot be a placeholder: a placeholder is {name} with a name of letters, digits, _, $, . and - (rename the parameter ${JSON.stringify(inner.trim())})`,
        );
      }
    }
  }
}

function checkDirectory(option: string, path: unknown): void {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(option, `must be a directory path (a non-empty string), got ${show(path)}`);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new ArgumentError(option, `${JSON.stringify(path)} cannot be used: ${(error as Error).message}`);
  }
  if (!isDirectory) throw new ArgumentError(option, `${JSON.stringify(path)} is not a directory`);
}

function lastLines(text: string): string {
  const lines = text.trimEnd().split('\n').slice(-5).join('\n');
  return lines === '' ? '' : `\n${lines}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
