import { cpus, loadavg, totalmem } from 'node:os';
import type { OptunaStatus } from './anchor.js';

/** The lines BENCHMARKS.md opens with: where and with what the numbers were measured. */
export function machine(optuna: OptunaStatus): string[] {
  const cpu = cpus();
  return [
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} logical cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- Node ${process.version} (${process.platform} ${process.arch}), V8 ${process.versions.v8}`,
    optuna.available
      ? `- Optuna ${optuna.version} (Python at ${process.env.BENCH_PYTHON ?? '/usr/bin/python3'}), scipy ${optuna.scipy ?? 'not installed (QMC skipped)'}`
      : `- Optuna: not installed (${optuna.reason})`,
    `- Date: ${new Date().toISOString()}; load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min):`,
    '  timings taken while the load exceeds the core count are inflated',
  ];
}
