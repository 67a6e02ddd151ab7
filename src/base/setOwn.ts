/**
 * `record[key] = value` as an own, enumerable data property, even for the
 * key `__proto__`, which plain assignment turns into a prototype change (or
 * silently drops). Every params, space and description record built from
 * parameter names goes through this, so a parameter may be named `__proto__`.
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}
