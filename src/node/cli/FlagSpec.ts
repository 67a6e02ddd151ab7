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

/** The help's flag lines: flag, meaning, and the default, aligned and wrapped within 80 columns. */
export function flagTable(flags: readonly FlagSpec[]): string {
  const heads = flags.map((f) => `${f.short === undefined ? '    ' : `-${f.short}, `}--${f.name}${f.value === undefined ? '' : ` ${f.value}`}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  const indent = ' '.repeat(2 + width);
  return flags
    .map((f, k) => {
      const rows = wrap(f.meaning, 80 - indent.length);
      // The default stays whole: on the meaning's last row if it fits, else on a row of its own.
      if (f.default !== undefined) {
        const last = `${rows[rows.length - 1]} (default: ${f.default})`;
        if (last.length <= 80 - indent.length) rows[rows.length - 1] = last;
        else rows.push(`(default: ${f.default})`);
      }
      return rows.map((row, n) => (n === 0 ? `  ${heads[k].padEnd(width)}${row}` : `${indent}${row}`)).join('\n');
    })
    .join('\n');
}

/** Words into rows of at most `width` characters (a longer word gets a row of its own). */
function wrap(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    if (row !== '' && row.length + 1 + word.length > width) {
      rows.push(row);
      row = word;
    } else row = row === '' ? word : `${row} ${word}`;
  }
  return [...rows, row];
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
