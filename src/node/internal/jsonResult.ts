import type { PlainResult } from './objectiveRuntime.mjs';

/** A result as JSON keeps it: non-finite values as strings (JSON would make them null). */
export interface JsonResult {
  readonly v: number | 'NaN' | 'Infinity' | '-Infinity';
  readonly s?: unknown;
}

export function toJsonResult(result: PlainResult): JsonResult {
  const value = typeof result === 'number' ? result : result.value;
  const v = Number.isFinite(value) ? value : (String(value) as JsonResult['v']);
  return typeof result === 'number' || result.state === undefined ? { v } : { v, s: result.state };
}

export function fromJsonResult(json: JsonResult): PlainResult {
  const value = typeof json.v === 'number' ? json.v : Number(json.v);
  return json.s === undefined ? value : { value, state: json.s };
}
