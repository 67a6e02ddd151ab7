const NUMBER = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)$/i;

/** The objective in a program's output: the last numeric line, or the last JSON `{"value": number}` line. */
export function parseObjectiveOutput(stdout: string): { value: number; state?: unknown } | number | undefined {
  const lines = stdout.split(/\r?\n/);
  for (let k = lines.length - 1; k >= 0; k--) {
    const line = lines[k].trim();
    if (line === '') continue;
    if (NUMBER.test(line)) return parseNumber(line);
    if (line.startsWith('{')) {
      try {
        const json = JSON.parse(line) as { value?: unknown; state?: unknown };
        if (typeof json.value === 'number') return json.state === undefined ? json.value : { value: json.value, state: json.state };
        if (json.value === null) return NaN;
      } catch {
        // Not JSON: keep looking upwards.
      }
    }
  }
  return undefined;
}

function parseNumber(text: string): number {
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t === 'nan' || t === '-nan') return NaN;
  if (/^-?inf/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}
