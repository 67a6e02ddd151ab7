import type { Pruner } from '../../multifidelity/Pruner.js';
import { MedianPruner } from '../../multifidelity/MedianPruner.js';
import { SuccessiveHalvingPruner } from '../../multifidelity/SuccessiveHalvingPruner.js';
import { withPruner } from '../../multifidelity/withPruner.js';
import type { Sampler } from '../../samplers/Sampler.js';
import { MAX_TIMEOUT_MS } from '../../base/check.js';
import type { FlagSpec } from './FlagSpec.js';
import { UsageError } from './UsageError.js';

/** The default grace between SIGTERM and SIGKILL for a program that is stopped (pruned, timed out, interrupted). */
export const DEFAULT_KILL_GRACE_MS = 2000;

/** `run`'s flags for per-step programs: the pruner, and how a stopped program is killed. */
export const PRUNE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'pruner',
    type: 'string',
    value: 'RULE',
    meaning: 'stop poor trials early from the {"step": k, "value": v} lines programs print: median[,STARTUP[,WARMUP]] or sh[,MIN[,eta]]',
    default: 'off',
  },
  { name: 'kill-grace', type: 'string', value: 'TIME', meaning: 'a stopped program (pruned, timed out) gets SIGTERM, then SIGKILL this much later', default: '2s' },
];

/**
 * `--pruner`: `median[,STARTUP[,WARMUP]]` is a MedianPruner (no pruning
 * until a step has values from STARTUP other trials, default 5, nor at steps
 * up to WARMUP, default 0); `sh[,MIN[,eta]]` a SuccessiveHalvingPruner with
 * its first rung at step MIN (default 1) and reduction factor eta (default 3).
 */
export function parsePruner(text: string): Pruner {
  const [name, ...rest] = text.split(',');
  const nums = rest.map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (name === 'median' && rest.length <= 2 && nums.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    return new MedianPruner({ startupTrials: nums[0] ?? 5, warmupSteps: nums[1] ?? 0 });
  }
  if (name === 'sh' && rest.length <= 2 && nums.every(Number.isFinite) && !(nums[0] <= 0) && !(nums[1] <= 1)) {
    return new SuccessiveHalvingPruner({ minResource: nums[0] ?? 1, eta: nums[1] ?? 3 });
  }
  throw new UsageError(
    `--pruner must be median[,STARTUP[,WARMUP]] (non-negative integers) or sh[,MIN[,eta]] (MIN > 0, eta > 1), got ${JSON.stringify(text)}; ` +
      'it stops trials whose program prints {"step": k, "value": v} lines',
  );
}

/** `--kill-grace`: 500ms, 2s, 1m, or plain seconds; at least 1ms. */
export function parseKillGrace(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm']) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) throw new UsageError(`--kill-grace must be a duration such as 500ms, 2s or 1m (at least 1ms), got ${JSON.stringify(text)}`);
  return ms;
}

/** The run's sampler with the pruner's rule on each candidate (Hyperband's too: its rungs are then stopped early within). */
export function prunedSampler(sampler: Sampler, pruner: Pruner | undefined): Sampler {
  return pruner === undefined ? sampler : withPruner(sampler, pruner);
}
