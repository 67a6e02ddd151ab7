import { ArgumentError } from '../base/ArgumentError.js';
import { setOwn } from '../base/setOwn.js';
import { isRange, type Range } from './Range.js';
import type { Space } from './Space.js';

/** A space entry as plain data: a range by its bounds, a candidate vector by its (printable) values. */
export type EntryDescription = { readonly kind: Range['kind']; readonly lo: number; readonly hi: number } | { readonly length: number; readonly values: readonly unknown[] };

export function describeSpace(space: Space): Record<string, EntryDescription> {
  const out: Record<string, EntryDescription> = {};
  for (const key of Object.keys(space)) setOwn(out, key, describeEntry(space[key]));
  return out;
}

function describeEntry(entry: Space[string]): EntryDescription {
  if (isRange(entry)) return { kind: entry.kind, lo: entry.lo, hi: entry.hi };
  return { length: entry.length, values: entry.map(describeValue) };
}

/** Functions and other values JSON cannot carry are kept by a printable name, so spaces still compare. */
export function describeValue(value: unknown): unknown {
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'symbol' || value === undefined) return String(value);
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- JSON cannot write it (a cycle, a bigint inside)
      return String(value);
    }
  }
  return value;
}

/** True when two space descriptions are the same space (names, order, bounds, values). */
export function sameSpace(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What differs between a recorded space description and the current one, for an error message. */
export function spaceDifference(recorded: Record<string, unknown>, current: Record<string, unknown>): string {
  const was = Object.keys(recorded);
  const now = Object.keys(current);
  if (was.join('\u0000') !== now.join('\u0000')) return `parameters were (${was.join(', ')}), now (${now.join(', ')})`;
  for (const key of now) {
    if (JSON.stringify(recorded[key]) !== JSON.stringify(current[key])) {
      return `space.${key} was ${brief(recorded[key])}, now ${brief(current[key])}`;
    }
  }
  return 'the descriptions differ';
}

function brief(description: unknown): string {
  const text = JSON.stringify(description) ?? String(description);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * The space a description stands for. Ranges come back exactly; candidate
 * vectors come back with their JSON values (a function only by its name:
 * pass the real space where the values matter).
 */
export function spaceFromDescription(description: unknown, option: string): Space {
  if (description === null || typeof description !== 'object' || Array.isArray(description)) {
    throw new ArgumentError(option, 'has no space description');
  }
  const space: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(description as Record<string, unknown>)) {
    if (isRange(entry)) setOwn(space, key, Object.freeze({ kind: entry.kind, lo: entry.lo, hi: entry.hi }));
    else if (entry !== null && typeof entry === 'object' && Array.isArray((entry as { values?: unknown }).values)) {
      setOwn(space, key, (entry as { values: unknown[] }).values.slice());
    } else throw new ArgumentError(`${option}.${key}`, 'is neither a range nor a candidate vector description');
  }
  return space as Space;
}
