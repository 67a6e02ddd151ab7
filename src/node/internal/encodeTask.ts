import type { TrialContext } from '../../trial/Objective.js';
import type { Space } from '../../space/Space.js';
import { indexOfCandidate } from '../../space/toUnit.js';
import type { WireParams, WireTask } from './WireTask.js';

/**
 * A trial as plain data for a worker. With `json`, only what survives
 * JSON.stringify crosses by value (the queue); otherwise what survives a
 * structured clone (threads, processes). Anything else found in a candidate
 * vector of `space` crosses as its index. Throws, naming the parameter, when
 * a value can cross neither way.
 */
export function encodeTask(space: Space | undefined, json: boolean, params: unknown, context: TrialContext): WireTask {
  const task: { -readonly [K in keyof WireTask]: WireTask[K] } = { i: context.i, params: encodeParams(space, json, params as Record<string, unknown>) };
  if (context.resources !== undefined) task.resources = context.resources;
  if (context.state !== undefined) task.state = context.state;
  return task;
}

function encodeParams(space: Space | undefined, json: boolean, params: Record<string, unknown>): WireParams {
  const values: Record<string, unknown> = {};
  const indices: Record<string, readonly [number, number]> = {};
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (crosses(value, json)) {
      values[key] = value;
      continue;
    }
    const entry = space?.[key];
    const index = Array.isArray(entry) ? indexOfCandidate(entry, value) : -1;
    if (index >= 0) {
      indices[key] = [index, (entry as readonly unknown[]).length];
    } else if (!json && (typeof value === 'object' || typeof value === 'undefined' || typeof value === 'bigint')) {
      values[key] = value; // plain data clones; a class instance loses its prototype, as structured clone does
    } else if (Object.is(value, -0)) {
      values[key] = 0; // JSON has no -0; a range value loses nothing
    } else {
      throw new TypeError(
        `params.${key} (${typeof value}) cannot be sent to a worker${json ? ' as JSON' : ''}: pass the space to the executor (\`space\`) and export the same space from the objective module, so it crosses as its index`,
      );
    }
  }
  return { values, indices };
}

function crosses(value: unknown, json: boolean): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // JSON turns -0 into 0 and non-finite numbers into null: those go by index when they can.
      return !json || (Number.isFinite(value) && !Object.is(value, -0));
    case 'object':
      return value === null;
    default:
      return false;
  }
}
