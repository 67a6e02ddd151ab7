import { ArgumentError } from './ArgumentError.js';
import { MAX_CONCURRENCY, MAX_TRIAL_INDEX } from './limits.js';

/** Renders a bad value for an error message, short and unambiguous. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

export function checkPositiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ArgumentError(option, `must be a positive integer, got ${show(value)}`);
  }
  return value;
}

export function checkFiniteNumber(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(option, `must be a finite number, got ${show(value)}`);
  }
  return value;
}

export function checkFunction<F extends (...args: never[]) => unknown>(option: string, value: unknown): F {
  if (typeof value !== 'function') throw new ArgumentError(option, `must be a function, got ${show(value)}`);
  return value as F;
}

export function checkOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const names = allowed.map((a) => `'${a}'`);
    const choice = names.length === 2 ? `${names[0]} or ${names[1]}` : `one of ${names.join(', ')}`;
    throw new ArgumentError(option, `must be ${choice}, got ${show(value)}`);
  }
  return value as T;
}

export function checkSeed(option: string, value: unknown): number | string {
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string') return value;
  throw new ArgumentError(option, `must be a finite number or a string, got ${show(value)}`);
}

/** Throws for option names the caller does not know (typos are bugs, not silence); keys set to undefined pass. */
export function checkKnownKeys(option: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && (value as Record<string, unknown>)[key] !== undefined) {
      throw new ArgumentError(`${option}.${key}`, `is not a known option (known: ${known.join(', ')})`);
    }
  }
}

/** Finite bounds with lo < hi, for the range helpers (`uniform.lo`, ...). */
export function checkBounds(name: string, lo: number, hi: number, option = name): void {
  if (typeof lo !== 'number' || !Number.isFinite(lo)) throw new ArgumentError(`${option}.lo`, `must be a finite number, got ${String(lo)}`);
  if (typeof hi !== 'number' || !Number.isFinite(hi)) throw new ArgumentError(`${option}.hi`, `must be a finite number, got ${String(hi)}`);
  if (!(lo < hi)) throw new ArgumentError(option, `needs lo < hi, got lo = ${lo}, hi = ${hi}`);
}

/** An options argument: an object (else an ArgumentError naming `options`) whose keys `owner` knows. */
export function checkOptions(owner: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', `must be an object, got ${show(options)}`);
  checkKnownKeys(owner, options, known);
}

/** The longest delay a timer can wait: Node (and browsers) fire a longer one after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A delay in milliseconds for a timer: an integer from `min` (default 1) up to MAX_TIMEOUT_MS (about 24.8 days). */
export function checkTimeoutMs(option: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(option, `must be ${min === 1 ? 'a positive integer' : `an integer >= ${min}`} (milliseconds), got ${show(value)}`);
  }
  if (value > MAX_TIMEOUT_MS) {
    throw new ArgumentError(option, `must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days, the longest timer delay), got ${value}`);
  }
  return value;
}

/** A trial index `i`: an integer from 0 to MAX_TRIAL_INDEX (1e12); larger ones would make a continuation skip that far. */
export function checkTrialIndex(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ArgumentError(option, `must be a non-negative integer (a trial index), got ${show(value)}`);
  }
  if (value > MAX_TRIAL_INDEX) throw new ArgumentError(option, `must be at most ${MAX_TRIAL_INDEX} (MAX_TRIAL_INDEX), got ${value}`);
  return value;
}

/** Objectives in flight at once: a positive integer up to MAX_CONCURRENCY (1e5). */
export function checkConcurrency(option: string, value: unknown): number {
  checkPositiveInteger(option, value);
  if ((value as number) > MAX_CONCURRENCY) throw new ArgumentError(option, `must be at most ${MAX_CONCURRENCY} (MAX_CONCURRENCY), got ${value as number}`);
  return value as number;
}
