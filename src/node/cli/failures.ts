import type { Trial } from '../../trial/Trial.js';

/** A failed trial's error as text: the reason on the first line, then the end of the program's stderr. */
function errorText(trial: Trial): string {
  const error = trial.error;
  return error instanceof Error ? error.message : typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

/** The reason without the program's command line (`exited with code 1: python3 train.py ...` → `exited with code 1`), so equal reasons group. */
export function failureReason(trial: Trial, program: string): string {
  const first = errorText(trial).split('\n')[0];
  const cut = first.lastIndexOf(`: ${program}`);
  return cut > 0 ? first.slice(0, cut) : first;
}

/** One failure as `--verbose` prints it when it happens: the reason, the command line, and the stderr lines indented. */
export function describeFailure(trial: Trial): string {
  const [first, ...tail] = errorText(trial).split('\n');
  return `hyperopt-rx: trial ${trial.i}${trial.resources === undefined ? '' : ` (resources ${trial.resources})`} failed: ${first}\n${tail.map((l) => `    ${l}\n`).join('')}`;
}

/**
 * The end-of-run summary of failed trials, for stderr: how many, the most
 * common reasons (up to `top`), and the last failure that left stderr
 * lines, with those lines. Empty when none failed.
 */
export function failureSummary(trials: readonly Trial[], program: string, top = 3): string {
  const failed = trials.filter((t) => t.status === 'failed');
  if (failed.length === 0) return '';
  const counts = new Map<string, number>();
  for (const t of failed) {
    const reason = failureReason(t, program);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const common = [...counts].sort((a, b) => b[1] - a[1]).slice(0, top);
  const width = String(common[0][1]).length;
  const reasons = common.map(([reason, n]) => `  ${String(n).padStart(width)} × ${reason}\n`).join('');
  const more = counts.size > top ? `  and ${counts.size - top} other reason${counts.size - top === 1 ? '' : 's'}\n` : '';
  const example = [...failed].reverse().find((t) => errorText(t).includes('\n')) ?? failed[failed.length - 1];
  return `hyperopt-rx: ${failed.length} of ${trials.length} trials failed; most common reasons:\n${reasons}${more}${describeFailure(example).replace(/^hyperopt-rx: /, 'for example, ')}`;
}
