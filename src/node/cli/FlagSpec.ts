import type { ParseArgsConfig } from 'node:util';
import { didYouMean } from './didYouMean.js';
import { UsageError } from './UsageError.js';

/** One flag of a command: how it parses, and what its help line says. */
export interface FlagSpec {
  /** Without the dashes: `iterations`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the help: `N`, `FILE`. */
  readonly value?: string;
  readonly short?: string;
  readonly meaning: string;
  /** As the help prints it; omitted: none. */
  readonly default?: string;
}

/** parseArgs' options for these flags. */
export function parseArgsOptions(flags: readonly FlagSpec[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(flags.map((f) => [f.name, f.short === undefined ? { type: f.type } : { type: f.type, short: f.short }]));
}

/** The help's flag lines: flag, meaning, and the default, aligned. */
export function flagTable(flags: readonly FlagSpec[]): string {
  const heads = flags.map((f) => `${f.short === undefined ? '    ' : `-${f.short}, `}--${f.name}${f.value === undefined ? '' : ` ${f.value}`}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return flags
    .map((f, k) => {
      const line = `  ${heads[k].padEnd(width)}${f.meaning}`;
      if (f.default === undefined) return line;
      // Within 80 columns: a default that does not fit goes on a line of its own.
      const withDefault = `${line} (default: ${f.default})`;
      return withDefault.length <= 80 ? withDefault : `${line}\n  ${''.padEnd(width)}(default: ${f.default})`;
    })
    .join('\n');
}

/**
 * Refuses a flag these specs do not know, with the closest known one
 * ("unknown flag --iteratons; did you mean --iterations?"). Only the
 * command's own flags are looked at: what follows `--` is the program's.
 */
export function checkKnownFlags(argv: readonly string[], flags: readonly FlagSpec[], command: string): void {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const long = flags.map((f) => `--${f.name}`);
  const shorts = new Set(flags.flatMap((f) => (f.short === undefined ? [] : [`-${f.short}`])));
  for (let k = 0; k < own.length; k++) {
    const arg = own[k];
    if (arg.startsWith('--')) {
      const name = arg.split('=')[0];
      if (!long.includes(name)) throw new UsageError(`unknown flag ${name} for ${command}${didYouMean(name, long)}`);
      // A string flag's value may start with a dash (--seed -3): it is not a flag.
      if (!arg.includes('=') && flags.find((f) => `--${f.name}` === name)?.type === 'string') k++;
    } else if (/^-[A-Za-z]/.test(arg) && !shorts.has(arg.slice(0, 2))) {
      throw new UsageError(`unknown flag ${arg} for ${command}${didYouMean(arg, long)}`);
    }
  }
}
