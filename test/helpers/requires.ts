// Suites that need something outside Node (redis-server, Optuna): where it is
// missing they skip with one visible line saying what and how to enable it.
// CI installs everything and fails on any skipped test.
import { describe, it } from '@jest/globals';

export type DescribeLike = typeof describe.skip;
export type ItLike = typeof it.skip;

/** `describe` where `available`, else `describe.skip` after one line on stderr (jest does not capture it). */
export function describeIf(available: boolean, what: string, how: string): DescribeLike {
  if (available) return describe;
  announce(what, how);
  return describe.skip;
}

/** `it` where `available`, else `it.skip` after one line on stderr. */
export function itIf(available: boolean, what: string, how: string): ItLike {
  if (available) return it;
  announce(what, how);
  return it.skip;
}

const announced = new Set<string>();
function announce(what: string, how: string): void {
  const line = `SKIPPED tests that need ${what}: not found here (${how})\n`;
  if (announced.has(line)) return;
  announced.add(line);
  process.stderr.write(line);
}
