import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import type { Trial } from '../../trial/Trial.js';
import { formatValue } from '../../sinks/internal/formatValue.js';

/** One trial as exported: every parameter, and what the journal knows of the evaluation. */
export interface TrialRow {
  readonly i: number;
  readonly status: Trial['status'];
  /** Null where there is none (failed, NaN). */
  readonly value: number | null;
  readonly params: Readonly<Record<string, unknown>>;
  readonly resources?: number;
  /** How many intermediate values the objective reported (a program's step lines). */
  readonly steps?: number;
  readonly bracket?: number;
  readonly rung?: number;
  readonly durationMs: number;
  /** For a failed trial: why. */
  readonly error?: string;
}

/** The trials in the order they finished, as plain rows. */
export function trialRows(ho: Hyperoptimizer): TrialRow[] {
  return ho.trials.map((t) => ({
    i: t.i,
    status: t.status,
    value: Number.isNaN(t.value) ? null : t.value,
    params: t.params as Record<string, unknown>,
    ...(t.resources === undefined ? {} : { resources: t.resources }),
    ...(t.steps === undefined ? {} : { steps: t.steps }),
    ...(t.bracket === undefined ? {} : { bracket: t.bracket }),
    ...(t.rung === undefined ? {} : { rung: t.rung }),
    durationMs: t.durationMs,
    ...(t.error === undefined ? {} : { error: t.error instanceof Error ? t.error.message : formatValue(t.error) }),
  }));
}
