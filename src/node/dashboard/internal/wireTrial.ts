import type { Trial } from '../../../trial/Trial.js';
import { describeValue } from '../../../space/describeSpace.js';
import { formatValue } from '../../../sinks/internal/formatValue.js';
import { setOwn } from '../../../base/setOwn.js';

/** A trial as the HTTP API and the page see it: params as their values, not as journal indices. */
export interface WireTrial {
  /** The ask id (`hyperopt-rx serve`); absent for trials that were not asked over HTTP. */
  readonly id?: number;
  readonly i: number;
  readonly params: Record<string, unknown>;
  /** null where JSON has no number (NaN, ±Infinity). */
  readonly value: number | null;
  readonly status: Trial['status'];
  readonly error?: string;
  readonly resources?: number;
  readonly bracket?: number;
  readonly rung?: number;
  readonly steps?: number;
  readonly durationMs: number;
}

export function wireTrial(trial: Trial, id: number | undefined): WireTrial {
  const params: Record<string, unknown> = {};
  // setOwn: a parameter may be named __proto__.
  for (const [key, v] of Object.entries(trial.params as Record<string, unknown>)) setOwn(params, key, describeValue(v));
  const out: { -readonly [K in keyof WireTrial]: WireTrial[K] } = {
    i: trial.i,
    params,
    value: Number.isFinite(trial.value) ? trial.value : null,
    status: trial.status,
    durationMs: trial.durationMs,
  };
  if (id !== undefined) out.id = id;
  if (trial.error !== undefined) out.error = trial.error instanceof Error ? trial.error.message : formatValue(trial.error);
  if (trial.resources !== undefined) out.resources = trial.resources;
  if (trial.bracket !== undefined) out.bracket = trial.bracket;
  if (trial.rung !== undefined) out.rung = trial.rung;
  if (trial.steps !== undefined) out.steps = trial.steps;
  return out;
}
