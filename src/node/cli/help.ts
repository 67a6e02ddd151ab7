import { readFileSync } from 'node:fs';
import { flagTable } from './FlagSpec.js';
import { RUN_FLAGS } from './runFlags.js';
import { WORKER_FLAGS } from './workerFlags.js';

/** The exit codes of `run`, as every help and docs/cli.md list them. */
export const EXIT_CODES = `Exit codes:
  0    done: at least one trial produced a value
  1    the run failed: no trial produced a value, or an unexpected error
  2    bad flags, space file or program (nothing ran), or a resume refused
  3    --fail-exit, and at least one trial failed
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP); the best so far is printed`;

export function runHelp(): string {
  return `Usage: hyperopt-rx run --space FILE --iterations N [flags] \\
         -- PROGRAM ARGS... {name}... [{resources}]

Runs PROGRAM once per trial. Each {name} in its arguments becomes the sampled
value of parameter "name" ({resources}: the budget under --hyperband), as an
argument of its own, never through a shell. The trial's value is the last line
of stdout that is a number, or a JSON line {"value": ...}. The program is
checked before the first trial: a typo in its name runs nothing.

Flags:
${flagTable(RUN_FLAGS)}

A space file is JSON: an array is a candidate vector; { "linrange": [a, b, n] },
{ "explinrange": [a, b, n] }, { "uniform": [lo, hi] }, { "intUniform": [a, b] },
{ "logUniform": [lo, hi] } are ranges.
With --journal, each finished trial is appended to the file, and running the
same command again resumes: only what is left of --iterations runs. A journal
written by another program command or sampler is not resumed (--force-resume).
Failed trials are summed up on stderr at the end (most common reasons, and the
end of one failed program's stderr).

${EXIT_CODES}

Example:
  hyperopt-rx run --space space.json --iterations 50 --journal run.jsonl \\
    -- python3 train.py --lr {lr} --layers {layers}
`;
}

export function workerHelp(): string {
  return `Usage: hyperopt-rx worker --redis URL --queue NAME --module FILE [flags]

Serves the trials a coordinator's queue({ redis, queueName }) enqueues: runs the
module's objective and sends each result back, until SIGINT or SIGTERM (a second
one drops the running trials, which go to other workers).

Flags:
${flagTable(WORKER_FLAGS)}

Exit codes:
  0    stopped by SIGINT or SIGTERM
  1    Redis unreachable
  2    bad flags or module
`;
}

/** The overview: every command with its one-line summary. */
export function generalHelp(commands: Readonly<Record<string, { readonly summary: string }>>): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return `Usage: hyperopt-rx COMMAND [flags]

Commands:
${names.map((n) => `  ${n.padEnd(width)}${commands[n].summary}`).join('\n')}

  hyperopt-rx --version     the version
  hyperopt-rx help COMMAND  a command's flags and defaults (or COMMAND --help)

${EXIT_CODES}
`;
}

/** The installed package's version (package.json sits two folders above src/node/cli/ and dist/node/cli/). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
