import { stringify } from 'csv-stringify/sync';
import { formatValue } from '../../sinks/internal/formatValue.js';
import type { TrialRow } from './trialRows.js';

const FIXED = ['i', 'status', 'value'] as const;
const TRAILING = ['resources', 'steps', 'bracket', 'rung', 'durationMs', 'error'] as const;

/**
 * The rows as CSV (RFC 4180: a field with a comma, quote or line break is
 * quoted, quotes doubled): `i, status, value`, one column per parameter,
 * then resources, steps, bracket, rung, durationMs and error. A parameter
 * named like another column is `params.<name>`. Empty fields where a trial
 * has nothing; ±Infinity as `Infinity`; non-numbers as `formatValue` prints
 * them.
 */
export function trialsCsv(rows: readonly TrialRow[], params: readonly string[]): string {
  const taken = new Set<string>([...FIXED, ...TRAILING]);
  const header = [...FIXED, ...params.map((p) => (taken.has(p) ? `params.${p}` : p)), ...TRAILING];
  const cell = (v: unknown) => (v === undefined || v === null ? '' : formatValue(v));
  const records = rows.map((row) => [...FIXED.map((key) => cell(row[key])), ...params.map((p) => cell(row.params[p])), ...TRAILING.map((key) => cell(row[key]))]);
  return stringify([header, ...records]);
}
