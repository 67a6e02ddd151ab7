import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArgumentError } from '../../base/ArgumentError.js';
import { show } from '../../base/check.js';

/**
 * The URL workers import: a `file:` or `data:` URL as given, or a path
 * resolved against the current directory. A file that does not exist is an
 * ArgumentError now, before any worker starts.
 */
export function resolveModule(option: string, value: unknown): string {
  let url: URL;
  if (value instanceof URL) url = value;
  else if (typeof value === 'string' && value.length > 0) url = /^(file|data):/.test(value) ? new URL(value) : pathToFileURL(resolve(value));
  else throw new ArgumentError(option, `must be a path or a file: URL of an ES module, got ${show(value)}`);
  if (url.protocol === 'data:') return url.href;
  if (url.protocol !== 'file:') throw new ArgumentError(option, `must be a path or a file: URL, got ${url.href}`);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new ArgumentError(option, `no such file: ${path}`);
  return url.href;
}
