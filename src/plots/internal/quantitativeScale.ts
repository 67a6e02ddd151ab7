/** A quantitative axis's Vega-Lite scale: log (no nice rounding) or linear not forced to include zero, padded alike. */
export function quantitativeScale(kind: 'linear' | 'log'): object {
  return kind === 'log' ? { type: 'log', nice: false, padding: 8 } : { zero: false, padding: 8 };
}
