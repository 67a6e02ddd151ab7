import { formatValue } from '../../sinks/internal/formatValue.js';
import { setOwn } from '../../base/setOwn.js';
import type { TrialRow } from './trialRows.js';

/**
 * The rows as one JSON array, a trial per line. Parameter values that JSON
 * cannot carry as themselves (functions, ±Infinity) are written as
 * `formatValue` prints them; a value of ±Infinity as the string.
 */
export function trialsJson(rows: readonly TrialRow[]): string {
  const lines = rows.map((row) =>
    JSON.stringify({ ...row, value: row.value !== null && !Number.isFinite(row.value) ? String(row.value) : row.value, params: plainParams(row.params) }),
  );
  return lines.length === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`;
}

function plainParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(params)) setOwn(out, key, isPlain(v) ? v : formatValue(v));
  return out;
}

function isPlain(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return true;
  if (typeof v !== 'object') return false;
  try {
    return JSON.stringify(v) !== undefined;
  } catch {
    return false;
  }
}
