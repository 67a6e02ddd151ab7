import { readFileSync } from 'node:fs';
import jsonc from 'jsonc-parser';
import { ArgumentError } from '../../base/ArgumentError.js';
import { show } from '../../base/check.js';
import { setOwn } from '../../base/setOwn.js';
import type { Space } from '../../space/Space.js';
import { checkSpace } from '../../space/checkSpace.js';
import { explinrange } from '../../space/explinrange.js';
import { intUniform } from '../../space/intUniform.js';
import { linrange } from '../../space/linrange.js';
import { logUniform } from '../../space/logUniform.js';
import { uniform } from '../../space/uniform.js';

/** The helpers a space file may name, with their arity. */
const HELPERS: Readonly<Record<string, { readonly make: (...args: number[]) => unknown; readonly args: readonly number[] }>> = {
  linrange: { make: linrange, args: [3] },
  explinrange: { make: explinrange, args: [3, 4] },
  uniform: { make: uniform, args: [2] },
  logUniform: { make: logUniform, args: [2] },
  intUniform: { make: intUniform, args: [2] },
};

/**
 * A space from JSON text: an array is a candidate vector; an object with one
 * key names a helper and its arguments (`{ "explinrange": [-4, -1, 100] }`).
 * Errors are ArgumentErrors naming the entry (`space.lr`).
 */
export function spaceFromJSON(text: string, where = 'space'): Space {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ArgumentError(where, `is not valid JSON: ${jsonErrorAt(text) ?? (error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ArgumentError(where, `must be a JSON object of parameters, got ${show(json)}`);
  }
  const space: Record<string, unknown> = {};
  // setOwn: a parameter may be named __proto__ (plain assignment would drop it), as in the core.
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    const option = `space.${name}`;
    if (Array.isArray(entry)) {
      setOwn(space, name, entry);
      continue;
    }
    const keys = entry !== null && typeof entry === 'object' ? Object.keys(entry) : [];
    // Own keys only: "constructor" or "toString" name no helper.
    const helper = keys.length === 1 && Object.hasOwn(HELPERS, keys[0]) ? HELPERS[keys[0]] : undefined;
    if (helper === undefined) {
      throw new ArgumentError(option, `must be an array of candidates or one of { "${Object.keys(HELPERS).join('" | "')}": [args] }, got ${JSON.stringify(entry)}`);
    }
    const args = (entry as Record<string, unknown>)[keys[0]];
    if (!Array.isArray(args) || !helper.args.includes(args.length) || !args.every((a) => typeof a === 'number')) {
      throw new ArgumentError(option, `${keys[0]} takes ${helper.args.join(' or ')} numbers, got ${JSON.stringify(args)}`);
    }
    try {
      setOwn(space, name, helper.make(...args));
    } catch (error) {
      // Whatever the helper refuses (a size over its limit, say) is a bad space file.
      throw new ArgumentError(option, `${keys[0]}(${args.join(', ')}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return checkSpace(space);
}

/** Reads and parses a space file; an unreadable file is an ArgumentError('space'). */
export function spaceFromFile(path: string): Space {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ArgumentError('space', `file cannot be read: ${(error as Error).message}`);
  }
  return spaceFromJSON(text, `space (${path})`);
}

/**
 * Where strict JSON parsing first fails, as `line L, column C: what` (both
 * from 1, columns in UTF-16 units as editors count them), from
 * jsonc-parser: V8's own message gives a position only for some errors.
 */
function jsonErrorAt(text: string): string | undefined {
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - (before.lastIndexOf('\n') + 1) + 1;
  const what = jsonc
    .printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const shown = text.slice(first.offset, first.offset + Math.max(1, first.length)).split('\n')[0];
  return `line ${line}, column ${column}: ${what}${shown === '' ? ' (at the end)' : ` at ${JSON.stringify(shown)}`}`;
}
