/** A GitHub-flavoured markdown table; numeric-looking columns are right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+(e[-+]?\d+)?( ?[a-zµ%×]+)?$|^n\/a$/i.test(r[c] ?? '')));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, c) => (numeric[c] ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** A number with `digits` significant digits, without exponent noise for ordinary magnitudes. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'n/a' : String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e7) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}

/** A ratio `ours / anchor` as `1.23×`; n/a when either side is missing. */
export function ratio(ours: number, anchor: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(anchor) || anchor === 0) return 'n/a';
  return `${fmt(ours / anchor, 3)}×`;
}
