import { isRange } from '../../space/Range.js';
import type { Space } from '../../space/Space.js';
import { formatValue } from '../../sinks/internal/formatValue.js';

/** How one parameter is drawn: a number line (linear or log) or labelled categories in candidate order. */
export type ParameterAxis = { readonly type: 'quantitative'; readonly scale: 'linear' | 'log' } | { readonly type: 'nominal'; readonly labels: readonly string[] };

/**
 * Log axes where the candidates are log-spaced: `logUniform` ranges and
 * positive numeric vectors with a constant ratio (`explinrange`);
 * non-numeric vectors (booleans, strings, functions) as labelled categories.
 */
export function parameterAxis(entry: Space[string]): ParameterAxis {
  if (isRange(entry)) return { type: 'quantitative', scale: entry.kind === 'logUniform' ? 'log' : 'linear' };
  if (entry.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return { type: 'quantitative', scale: isGeometric(entry as number[]) ? 'log' : 'linear' };
  }
  return { type: 'nominal', labels: uniqueLabels(entry) };
}

function isGeometric(v: readonly number[]): boolean {
  if (v.length < 3 || !v.every((x) => x > 0)) return false;
  const sorted = [...v].sort((a, b) => a - b);
  const ratio = sorted[1] / sorted[0];
  if (!(ratio > 1 + 1e-9)) return false;
  for (let k = 2; k < sorted.length; k++) {
    if (Math.abs(sorted[k] / sorted[k - 1] / ratio - 1) > 1e-6) return false;
  }
  return true;
}

function uniqueLabels(entry: readonly unknown[]): string[] {
  return [...new Set(entry.map(formatValue))];
}

/** The value as it is plotted: numbers as they are, anything else by its label. */
export function plotValue(axis: ParameterAxis, value: unknown): number | string {
  return axis.type === 'quantitative' ? (value as number) : formatValue(value);
}
