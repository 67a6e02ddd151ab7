import { ArgumentError } from '../../base/ArgumentError.js';
import type { Trial } from '../../trial/Trial.js';
import { isRange } from '../../space/Range.js';
import { describeValue } from '../../space/describeSpace.js';
import { formatValue } from './formatValue.js';
import type { Space } from '../../space/Space.js';
import { indexOfCandidate } from '../../space/toUnit.js';
import { setOwn } from '../../base/setOwn.js';
import { checkTrialIndex } from '../../base/check.js';

/** A parameter value as plain data: a range value as itself, a candidate by its index (or its value when it is none). */
export type EncodedValue = number | { readonly index: number } | { readonly value: unknown };

/** A trial as one JSON object (a journal line, an entry of `Hyperoptimizer.toJSON().trials`). */
export interface EncodedTrial {
  readonly i: number;
  readonly params: Readonly<Record<string, EncodedValue>>;
  /** null for NaN; "Infinity" / "-Infinity" as strings (JSON has no literal for them). */
  readonly value: number | string | null;
  readonly status: Trial['status'];
  readonly error?: string;
  readonly resources?: number;
  readonly state?: unknown;
  readonly bracket?: number;
  readonly rung?: number;
  readonly steps?: number;
  /** The curve, with null for NaN and "Infinity" / "-Infinity" as strings, as `value`. */
  readonly curve?: readonly (number | string | null)[];
  readonly durationMs: number;
}

/**
 * An encoder for many params of one space: each candidate vector gets an
 * index by value (identity, as `indexOfCandidate`) built once, so a
 * journal line costs O(parameters), not O(candidates).
 */
export function paramsEncoder(space: Space): (params: unknown) => Record<string, EncodedValue> {
  const keys = Object.keys(space);
  const lookups = keys.map((key) => {
    const entry = space[key];
    if (isRange(entry)) return undefined;
    const index = new Map<unknown, number>();
    for (let k = entry.length - 1; k >= 0; k--) index.set(entry[k], k); // the first occurrence wins
    return index;
  });
  return (params) => {
    const out: Record<string, EncodedValue> = {};
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j];
      const v = (params as Record<string, unknown>)[key];
      const lookup = lookups[j];
      if (lookup === undefined) {
        setOwn(out, key, v);
        continue;
      }
      // Map keys compare as SameValueZero: fall back to the identity scan where -0 and +0 differ.
      let index = lookup.get(v);
      if (index !== undefined && !Object.is((space[key] as readonly unknown[])[index], v)) index = indexOfCandidate(space[key] as readonly unknown[], v);
      setOwn(out, key, index !== undefined && index >= 0 ? { index } : { value: describeValue(v) });
    }
    return out;
  };
}

export function decodeParams(space: Space, encoded: unknown, where: string): Record<string, unknown> {
  if (encoded === null || typeof encoded !== 'object') throw new ArgumentError(where, 'has no params object');
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(space)) {
    const entry = space[key];
    const e = (encoded as Record<string, unknown>)[key];
    if (isRange(entry)) {
      if (typeof e !== 'number') throw new ArgumentError(`${where}.params.${key}`, `must be a number for a ${entry.kind} range, got ${JSON.stringify(e)}`);
      setOwn(params, key, e);
    } else if (e !== null && typeof e === 'object' && typeof (e as { index?: unknown }).index === 'number') {
      const index = (e as { index: number }).index;
      if (!Number.isInteger(index) || index < 0 || index >= entry.length) {
        throw new ArgumentError(`${where}.params.${key}`, `index ${index} is outside the ${entry.length} candidates`);
      }
      setOwn(params, key, entry[index]);
    } else if (e !== null && typeof e === 'object' && 'value' in e) {
      setOwn(params, key, e.value);
    } else throw new ArgumentError(`${where}.params.${key}`, `must be { index } or { value }, got ${JSON.stringify(e)}`);
  }
  return params;
}

/**
 * Encodes trials of one space as plain JSON (a state JSON cannot carry is
 * left out: Hyperband then resumes that configuration without it); the
 * candidate lookups are built once, so a journal line costs O(parameters).
 */
export function trialEncoder(space: Space): (trial: Trial) => EncodedTrial {
  const encodeParamsOf = paramsEncoder(space);
  return (trial) => {
    const out: { -readonly [K in keyof EncodedTrial]: EncodedTrial[K] } = {
      i: trial.i,
      params: encodeParamsOf(trial.params),
      value: encodeNumber(trial.value),
      status: trial.status,
      durationMs: trial.durationMs,
    };
    if (trial.error !== undefined) out.error = trial.error instanceof Error ? trial.error.message : formatValue(trial.error);
    if (trial.resources !== undefined) out.resources = trial.resources;
    if (trial.state !== undefined) {
      const state = jsonOrUndefined(trial.state);
      if (state !== undefined) out.state = state;
    }
    if (trial.bracket !== undefined) out.bracket = trial.bracket;
    if (trial.rung !== undefined) out.rung = trial.rung;
    if (trial.steps !== undefined) out.steps = trial.steps;
    if (trial.curve !== undefined) out.curve = trial.curve.map(encodeNumber);
    return out;
  };
}

/** A number as JSON: NaN as null, and ±Infinity (a real value JSON has no literal for) as a string. */
function encodeNumber(x: number): number | string | null {
  return Number.isFinite(x) ? x : Number.isNaN(x) ? null : String(x);
}

/** The inverse of encodeNumber; undefined for anything else. */
function decodeNumber(x: unknown): number | undefined {
  if (x === null) return NaN;
  if (typeof x === 'number') return x;
  if (x === 'Infinity' || x === '-Infinity') return Number(x);
  return undefined;
}

/** What JSON carries of `value` (a copy through JSON text), or undefined when it cannot. */
export function jsonOrUndefined(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

const STATUSES: readonly unknown[] = ['ok', 'failed', 'pruned'];

export function decodeTrial(space: Space, encoded: unknown, where: string): Trial {
  if (encoded === null || typeof encoded !== 'object') throw new ArgumentError(where, 'is not a trial object');
  const e = encoded as Record<string, unknown>;
  checkTrialIndex(`${where}.i`, e.i);
  if (!STATUSES.includes(e.status)) throw new ArgumentError(`${where}.status`, `must be 'ok', 'failed' or 'pruned', got ${JSON.stringify(e.status)}`);
  const value = e.value === undefined ? NaN : decodeNumber(e.value);
  if (value === undefined) throw new ArgumentError(`${where}.value`, `must be a number or null, got ${JSON.stringify(e.value)}`);
  const trial: { -readonly [K in keyof Trial]: Trial[K] } = {
    i: e.i as number,
    params: decodeParams(space, e.params, where),
    value,
    status: e.status as Trial['status'],
    durationMs: typeof e.durationMs === 'number' ? e.durationMs : 0,
  };
  if (e.error !== undefined) trial.error = new Error(formatValue(e.error));
  if (typeof e.resources === 'number') trial.resources = e.resources;
  if (e.state !== undefined) trial.state = e.state;
  if (typeof e.bracket === 'number') trial.bracket = e.bracket;
  if (typeof e.rung === 'number') trial.rung = e.rung;
  if (typeof e.steps === 'number') trial.steps = e.steps;
  if (Array.isArray(e.curve)) {
    const curve = e.curve.map(decodeNumber);
    if (curve.some((x) => x === undefined)) throw new ArgumentError(`${where}.curve`, 'must hold numbers, null or "Infinity" / "-Infinity"');
    trial.curve = curve as number[];
  }
  return trial;
}
