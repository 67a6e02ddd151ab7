import { existsSync } from 'node:fs';

/**
 * A named export of `src/<path>.ts` when that file exists, else undefined:
 * the suite picks up samplers other engineers add without being edited. The
 * specifier is computed so that tsc does not need the file to exist.
 */
export async function optionalExport<T>(path: string, name: string): Promise<T | undefined> {
  const file = new URL(`../../src/${path}.ts`, import.meta.url);
  if (!existsSync(file)) return undefined;
  const specifier = `../../src/${path}.js`;
  const mod = (await import(specifier)) as Record<string, unknown>;
  if (mod[name] === undefined) throw new Error(`src/${path}.ts exists but does not export ${name}`);
  return mod[name] as T;
}
