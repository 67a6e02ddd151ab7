import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import type { Trial } from '../../trial/Trial.js';
import { formatValue } from '../../sinks/internal/formatValue.js';

/**
 * What `hyperopt-rx show` prints: the counts, the direction, the best value
 * and its parameters as `name = value` lines, then the best `top` trials
 * (those with a value, best first by the run's direction; a pruned trial
 * ranks with its last value) as a table.
 */
export function showSummary(ho: Hyperoptimizer, top: number, source: string): string {
  const counts = { ok: 0, failed: 0, pruned: 0 };
  let steps = 0;
  for (const t of ho.trials) {
    counts[t.status]++;
    steps += t.steps ?? 0;
  }
  const maximize = ho.direction === 'maximize';
  const lines = [
    `${source}: ${ho.trials.length} trials (${counts.ok} ok, ${counts.failed} failed, ${counts.pruned} pruned), ${maximize ? 'maximize' : 'minimize'}, ${ho.sampler.name}`,
  ];
  const best = ho.best;
  if (best === undefined) {
    lines.push('best value: none (no trial produced a value)');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`best value: ${formatValue(best.value)} (trial ${best.i}${describeEvaluation(best)})`);
  for (const k of ho.params) lines.push(`${k} = ${formatValue((best.params as Record<string, unknown>)[k])}`);
  const ranked = rank(ho.trials, maximize).slice(0, top);
  lines.push('', `top ${ranked.length} of ${rank(ho.trials, maximize).length} trials with a value (${maximize ? 'highest' : 'lowest'} first):`);
  lines.push(table(ranked, ho.params, steps > 0));
  return `${lines.join('\n')}\n`;
}

function describeEvaluation(t: Trial): string {
  const parts = [
    t.status === 'ok' ? '' : t.status,
    t.resources === undefined ? '' : `resources ${t.resources}`,
    t.steps === undefined ? '' : `${t.steps} step${t.steps === 1 ? '' : 's'}`,
  ];
  const text = parts.filter((p) => p !== '').join(', ');
  return text === '' ? '' : `, ${text}`;
}

/** Trials with a value, best first; ties keep their finishing order. */
function rank(trials: readonly Trial[], maximize: boolean): Trial[] {
  const sign = maximize ? -1 : 1;
  return trials.filter((t) => t.status !== 'failed' && !Number.isNaN(t.value)).sort((a, b) => sign * (a.value - b.value) || 0);
}

function table(trials: readonly Trial[], params: readonly string[], withSteps: boolean): string {
  const withResources = trials.some((t) => t.resources !== undefined);
  const header = ['rank', 'trial', 'value', 'status', ...params, ...(withResources ? ['resources'] : []), ...(withSteps ? ['steps'] : []), 'time'];
  const rows = trials.map((t, k) => [
    String(k + 1),
    String(t.i),
    short(t.value),
    t.status,
    ...params.map((p) => short((t.params as Record<string, unknown>)[p])),
    ...(withResources ? [t.resources === undefined ? '' : short(t.resources)] : []),
    ...(withSteps ? [t.steps === undefined ? '' : String(t.steps)] : []),
    duration(t.durationMs),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  return [header, ...rows].map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd()).join('\n');
}

/** A table cell: numbers to 4 significant digits, other values as formatValue prints them, cut at 24 characters. */
function short(v: unknown): string {
  const raw = typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : formatValue(v);
  // One line per row: a line break or tab inside a value is written as its escape.
  const text = raw.replace(/[\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}
