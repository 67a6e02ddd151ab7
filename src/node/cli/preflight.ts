import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute } from 'node:path';
import which from 'which';
import type { Space } from '../../space/Space.js';
import { didYouMean } from './didYouMean.js';
import { UsageError } from './UsageError.js';

/**
 * Refuses, before trial 0, a program that cannot be started: a path that
 * does not exist, is a directory or is not executable, or a name that is
 * on no directory of PATH (with the closest name there, if one is close).
 * A program named by a placeholder is known only per trial: not checked.
 */
export function checkProgram(program: string): void {
  if (program.includes('{')) return;
  if (program.includes('/') || isAbsolute(program)) {
    let isFile: boolean;
    try {
      isFile = statSync(program).isFile();
    } catch {
      throw new UsageError(`cannot start the program ${program}: no such file`);
    }
    if (!isFile) throw new UsageError(`cannot start the program ${program}: not a file`);
    try {
      accessSync(program, constants.X_OK);
    } catch {
      throw new UsageError(`cannot start the program ${program}: not executable (chmod +x ${program}, or name its interpreter first: -- python3 ${program})`);
    }
    return;
  }
  if (which.sync(program, { nothrow: true }) !== null) return;
  throw new UsageError(`cannot start the program ${program}: not found on PATH${didYouMean(program, commandsOnPath())}`);
}

/** Interpreters whose first argument that is not a flag is the script they run. */
const INTERPRETER = /^(python[\d.]*|pypy[\d.]*|node|nodejs|tsx|bun|deno|bash|sh|dash|zsh|Rscript|julia|ruby|perl|lua|php)$/;
const CODE_FLAGS = new Set(['-c', '-e', '-m', '-p', '-r', '--eval', '--print', '--require', '--import', '--loader', '-E', '--command']);
const SCRIPT = /\.(py|js|mjs|cjs|ts|mts|sh|bash|zsh|R|r|jl|rb|pl|lua|php)$/;

/**
 * Refuses, before trial 0, an interpreter's script that does not exist
 * (`-- python3 trian.py {lr}`: every trial would fail the same way), with
 * the closest file name in its folder. Only a script named as such (an
 * interpreter, then a path ending in a script extension, no placeholder).
 */
export function checkScript(command: readonly string[]): void {
  if (!INTERPRETER.test(basename(command[0]))) return;
  // Code given on the command line (-c, -e, -m, ...) names no script file.
  if (command.slice(1).some((arg) => CODE_FLAGS.has(arg))) return;
  const script = command.slice(1).find((arg) => !arg.startsWith('-'));
  if (script === undefined || script.includes('{') || !SCRIPT.test(script)) return;
  try {
    statSync(script);
  } catch {
    let siblings: string[] = [];
    try {
      siblings = readdirSync(dirname(script));
    } catch {
      // its folder is missing too: nothing to suggest
    }
    const near = didYouMean(basename(script), siblings);
    const prefix = script.slice(0, script.length - basename(script).length);
    throw new UsageError(`cannot run ${command[0]} ${script}: no such file${near.replace(/did you mean (.*)\?$/, (_m, name: string) => `did you mean ${prefix}${name}?`)}`);
  }
}

/** The names of the files in PATH's directories, for the did-you-mean. */
function commandsOnPath(): string[] {
  const names = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      for (const name of readdirSync(dir)) names.add(name);
    } catch {
      // a missing or unreadable directory of PATH holds nothing to suggest
    }
  }
  return [...names];
}

/**
 * What is probably a mistake but may be meant: space parameters that no
 * placeholder of the command uses (sampled, recorded and plotted, never
 * seen by the program), and Hyperband without `{resources}` (every budget
 * would cost the same).
 */
export function commandWarnings(space: Space, command: readonly string[], hyperband: boolean): string[] {
  const uses = (name: string) => command.some((arg) => arg.includes(`{${name}}`));
  const unused = Object.keys(space).filter((name) => !uses(name));
  const warnings: string[] = [];
  if (unused.length > 0) {
    const list = unused.map((n) => `{${n}}`).join(', ');
    warnings.push(
      `space parameter${unused.length === 1 ? '' : 's'} ${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} in no argument of the program (${list}): sampled, but the program never sees ${unused.length === 1 ? 'it' : 'them'}`,
    );
  }
  if (hyperband && !uses('resources')) {
    warnings.push("--hyperband without {resources} in the program's arguments: every evaluation gets the same budget, so Hyperband only repeats trials");
  }
  return warnings;
}
