/** How parameter values print: numbers as JS writes them, functions by name, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return value.name || '(anonymous function)';
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- JSON cannot write it (a cycle, a bigint inside)
    return String(value);
  }
}
