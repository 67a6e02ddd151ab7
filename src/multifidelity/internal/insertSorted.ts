/**
 * Inserts `value` into ascending `sorted` in place, after any equal values:
 * a binary search and one splice, so a pruner's rung stays sorted without a
 * sort per report. `value` must not be NaN.
 */
export function insertSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}
