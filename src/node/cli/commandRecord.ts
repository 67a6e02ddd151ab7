import { UsageError } from './UsageError.js';

/**
 * The journal line a `run` writes each time it opens its journal: the
 * program command (placeholders as typed), the space file, the sampler as
 * the flags name it, and the direction. A later run of the same journal
 * must match it (see `checkResume`).
 */
export interface CommandRecord {
  readonly kind: 'command';
  readonly program: readonly string[];
  readonly space: string;
  /** `random`, `lhs`, `clhs`, `bohb`, `gp` (or `--sampler`'s JSON, compact), with `under hyperband MAX,eta` when Hyperband runs it. */
  readonly sampler: string;
  readonly direction: 'minimize' | 'maximize';
  readonly at: string;
}

export function commandRecord(fields: Omit<CommandRecord, 'kind' | 'at'>): CommandRecord {
  return { kind: 'command', ...fields, at: new Date().toISOString() };
}

export function isCommandRecord(record: Record<string, unknown>): record is Record<string, unknown> & CommandRecord {
  return record.kind === 'command' && Array.isArray(record.program);
}

/** A command line as a user would type it again (arguments with spaces or quotes quoted). */
export function shellWords(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./{}-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Resuming `journal`, written last by `recorded`, with `current`: a
 * different program command, sampler or direction is refused (a
 * UsageError) unless `force`, when it only returns the differences to warn
 * about. The space needs no check here: the journal refuses another one.
 */
export function checkResume(recorded: CommandRecord | undefined, current: CommandRecord, journal: string, force: boolean): string[] {
  if (recorded === undefined) return [];
  const differences: string[] = [];
  if (JSON.stringify(recorded.program) !== JSON.stringify(current.program)) {
    differences.push(`the program was\n    ${shellWords(recorded.program)}\n  and is now\n    ${shellWords(current.program)}`);
  }
  if (recorded.sampler !== current.sampler) differences.push(`the sampler was ${recorded.sampler} and is now ${current.sampler}`);
  if ((recorded.direction ?? 'minimize') !== current.direction) differences.push(`the direction was ${recorded.direction ?? 'minimize'} and is now ${current.direction}`);
  if (differences.length === 0) return [];
  const what = `${journal} was written by another command: ${differences.join('; ')}`;
  if (!force) throw new UsageError(`${what}.\nIts trials would mix with the new ones. Use another --journal, or --force-resume to go on with this one on purpose.`);
  return [`--force-resume: ${what}`];
}
