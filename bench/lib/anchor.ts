import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPython } from './runPython.js';

/** The interpreter with Debian's python3-optuna; BENCH_PYTHON overrides it. */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../optuna/anchor.py', import.meta.url));

export type OptunaSampler = 'random' | 'tpe' | 'tpe_multivariate' | 'qmc' | 'tpe_constant_liar';
export type AnchorProblem = 'branin' | 'hartmann6' | 'hyperoptjl' | 'counting_ones';
export type OptunaPruner = 'none' | 'median' | 'successive_halving' | 'hyperband';

/** One job for bench/optuna/anchor.py (its docstring documents the fields). */
export type AnchorJob =
  | { mode: 'quality'; problem: AnchorProblem; sampler: OptunaSampler; seeds: number | number[]; trials: number; concurrency?: number }
  | { mode: 'overhead'; problem: AnchorProblem; sampler: OptunaSampler; seeds: number | number[]; trials: number }
  | { mode: 'memory'; problem: AnchorProblem; sampler: OptunaSampler; trials: number }
  | { mode: 'parallel'; problem: AnchorProblem; sampler: OptunaSampler; trials: number; sleepMs: number; concurrency: number }
  | {
      mode: 'hyperband';
      problem: 'counting_ones';
      sampler: OptunaSampler;
      pruner: 'hyperband' | 'none';
      seeds: number | number[];
      trials: number;
      budget: number;
    }
  | {
      mode: 'pruning';
      problem: 'training_curve';
      sampler: OptunaSampler;
      pruner: OptunaPruner;
      /** The pruner's keyword arguments, as Optuna names them; none: Optuna's defaults. */
      prunerOptions?: Readonly<Record<string, number | string>>;
      seeds: number | number[];
      trials: number;
    }
  | { mode: 'curve'; points: { v: number[]; seed: number; trial: number }[] };

export interface QualityResult {
  seeds: { seed: number; best: number[]; seconds: number }[];
}
export interface OverheadResult {
  seeds: { seed: number; seconds: number; usPerTrial: number }[];
}
export interface MemoryResult {
  trials: number;
  bytes: number;
  bytesPerTrial: number;
}
export interface ParallelResult {
  trials: number;
  wallSeconds: number;
  busySeconds: number;
  utilisation: number;
}
/** Evaluations in order: [trial number, budget, noisy loss, noise-free loss]. */
export interface HyperbandResult {
  seeds: { seed: number; evals: [number, number, number, number][]; seconds: number }[];
}
/**
 * Trials in trial-number order: [number, epochs run, 1 complete / 0 pruned,
 * last noisy loss, noise-free loss after all epochs, candidate vector].
 */
export interface PruningResult {
  seeds: { seed: number; trials: [number, number, 0 | 1, number, number, number[]][]; seconds: number }[];
}
/** Each point's noise-free and noisy training curve, epochs 1..E. */
export interface CurveResult {
  curves: { clean: number[]; noisy: number[] }[];
}
interface ResultByMode {
  quality: QualityResult;
  overhead: OverheadResult;
  memory: MemoryResult;
  parallel: ParallelResult;
  hyperband: HyperbandResult;
  pruning: PruningResult;
  curve: CurveResult;
}
/** A job's result; `skipped` says why a job could not run here (QMC without scipy), with no numbers then. */
export type AnchorResult<J extends AnchorJob = AnchorJob> = { job: J; skipped?: string } & ResultByMode[J['mode']];

/** The jobs of one mode, for typed results: `runAnchor<JobOf<'quality'>>(...)`. */
export type JobOf<M extends AnchorJob['mode']> = Extract<AnchorJob, { mode: M }>;

export type OptunaStatus = { readonly available: true; readonly version: string; readonly scipy: string | null } | { readonly available: false; readonly reason: string };

let status: OptunaStatus | undefined;

/** Whether `PYTHON -c "import optuna"` works, checked once per process. */
export function optunaStatus(): OptunaStatus {
  if (status) return status;
  const probe = spawnSync(PYTHON, ['-c', 'import optuna\ntry:\n import scipy; s = scipy.__version__\nexcept ImportError:\n s = ""\nprint(optuna.__version__, s)'], {
    encoding: 'utf8',
  });
  if (probe.status === 0) {
    const [version, scipy] = probe.stdout.trim().split(' ');
    status = { available: true, version, scipy: scipy || null };
  } else {
    const why = probe.error ? probe.error.message : (probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`);
    status = { available: false, reason: `${PYTHON} -c "import optuna" failed (${why}); apt-get install -y python3-optuna` };
  }
  return status;
}

/** The line a section prints instead of the anchor's numbers: never skip silently. */
export function optunaSkippedLine(): string {
  const s = optunaStatus();
  return s.available ? '' : `**Optuna not installed: skipped.** ${s.reason}.`;
}

/**
 * Runs jobs in Python and returns their results in order. One process by
 * default (Optuna's import costs about a second, and timing jobs must not
 * share the CPU); `processes` > 1 spreads the jobs round-robin over that many
 * at once, for quality jobs whose numbers do not depend on timing. Rejects
 * with the script's stderr on failure.
 */
export async function runAnchor<J extends AnchorJob>(jobs: readonly J[], { processes = 1 } = {}): Promise<AnchorResult<J>[]> {
  const k = Math.max(1, Math.min(processes, jobs.length));
  const parts = Array.from({ length: k }, (_, p) => jobs.filter((_, j) => j % k === p));
  const results = await Promise.all(parts.map((part) => runProcess(part)));
  return jobs.map((_, j) => results[j % k][Math.floor(j / k)]);
}

async function runProcess<J extends AnchorJob>(jobs: readonly J[]): Promise<AnchorResult<J>[]> {
  return (await runPython<{ results: AnchorResult<J>[] }>(PYTHON, SCRIPT, { jobs })).results;
}
