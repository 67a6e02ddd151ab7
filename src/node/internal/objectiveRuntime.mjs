// The worker side of every executor (threads, processes, queue workers), in
// plain JavaScript: worker threads on Node 20 cannot load TypeScript, and the
// same file must run from src (tests) and dist. Types: objectiveRuntime.d.mts.

/**
 * Loads the user's objective module once per worker: its objective (export
 * `exportName`) and, when it has one, its space (export `spaceExport`), from
 * which values that cannot cross a thread or process boundary are rebuilt.
 * A setup problem throws an Error whose `option` names the option at fault.
 */
export async function loadObjective({ module, exportName = 'default', spaceExport = 'space' }) {
  let ns;
  try {
    ns = await import(module);
  } catch (error) {
    throw setupError('module', `could not be loaded (${module}): ${error && error.message ? error.message : String(error)}`);
  }
  const objective = ns[exportName];
  if (typeof objective !== 'function') {
    const names = Object.keys(ns).filter((k) => typeof ns[k] === 'function');
    throw setupError('exportName', `${JSON.stringify(exportName)} is not a function exported by ${module} (its function exports: ${names.length ? names.join(', ') : 'none'})`);
  }
  return { objective, space: ns[spaceExport], module, spaceExport };
}

/** Params as the objective sees them: plain values as sent, indexed ones taken from the worker's own space. */
export function decodeParams(loaded, wire) {
  const params = { ...wire.values };
  for (const key of Object.keys(wire.indices)) {
    const [index, length] = wire.indices[key];
    const entry = loaded.space !== null && typeof loaded.space === 'object' ? loaded.space[key] : undefined;
    if (!Array.isArray(entry)) {
      throw setupError(
        'spaceExport',
        `params.${key} crosses as a candidate index, but ${loaded.module} exports no \`${loaded.spaceExport}\` with a candidate vector \`${key}\` to rebuild it from`,
      );
    }
    if (entry.length !== length) {
      throw setupError('spaceExport', `space.${key} has ${entry.length} candidates in the worker but ${length} in the coordinator: both must use the same space`);
    }
    params[key] = entry[index];
  }
  return params;
}

/**
 * Runs one task: decodes the params, calls the objective, and waits for a
 * promise, the last value of an Observable (anything with `subscribe`) or of
 * an async iterable. Returns a number or `{ value, state }` (plain data that
 * can cross back); anything else throws a TypeError saying what came back.
 * With `onStep`, every value (each intermediate one, or the single result) is
 * also handed to it as it comes, normalized the same way.
 */
export async function runObjective(loaded, task, signal, onStep) {
  const params = decodeParams(loaded, task.params);
  const context = { i: task.i, signal };
  if (task.resources !== undefined) context.resources = task.resources;
  if (task.state !== undefined) context.state = task.state;
  const out = loaded.objective(params, context);
  if (out !== null && typeof out === 'object' && typeof out.subscribe === 'function') return lastOfObservable(out, onStep);
  if (out !== null && typeof out === 'object' && typeof out[Symbol.asyncIterator] === 'function') return lastOfIterable(out, onStep);
  const result = normalize(out !== null && (typeof out === 'object' || typeof out === 'function') && typeof out.then === 'function' ? await out : out);
  onStep?.(result);
  return result;
}

function normalize(out) {
  if (typeof out === 'number') return out;
  if (out !== null && typeof out === 'object' && typeof out.value === 'number') {
    // Only the two fields cross: a class instance around them would not clone.
    return out.state === undefined ? { value: out.value } : { value: out.value, state: out.state };
  }
  throw new TypeError(`objective returned ${show(out)}; expected a number or { value: number }`);
}

function lastOfObservable(source, onStep) {
  return new Promise((resolve, reject) => {
    let seen = false;
    let last;
    let failed = false;
    let subscription;
    subscription = source.subscribe({
      next: (v) => {
        if (failed) return;
        try {
          last = v;
          seen = true;
          if (onStep) onStep(normalize(v));
        } catch (error) {
          failed = true;
          subscription?.unsubscribe?.();
          reject(error);
        }
      },
      error: reject,
      complete: () => (seen ? resolveNormalized(resolve, reject, last) : reject(new TypeError('objective returned an Observable that completed without a value'))),
    });
    if (failed) subscription?.unsubscribe?.();
  });
}

async function lastOfIterable(source, onStep) {
  let seen = false;
  let last;
  for await (const v of source) {
    last = v;
    seen = true;
    if (onStep) onStep(normalize(v));
  }
  if (!seen) throw new TypeError('objective returned an async iterable without a value');
  return normalize(last);
}

function resolveNormalized(resolve, reject, value) {
  try {
    resolve(normalize(value));
  } catch (error) {
    reject(error);
  }
}

function setupError(option, problem) {
  const error = new Error(`\`${option}\` ${problem}`);
  error.option = option;
  error.problem = problem;
  return error;
}

function show(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** An error as plain data, for transports that do not keep Error objects. */
export function errorToData(error) {
  if (error !== null && typeof error === 'object') {
    const data = { name: String(error.name ?? 'Error'), message: String(error.message ?? ''), stack: typeof error.stack === 'string' ? error.stack : undefined };
    if (typeof error.option === 'string') data.option = error.option;
    if (typeof error.problem === 'string') data.problem = error.problem;
    return data;
  }
  return { name: 'Error', message: `objective threw ${show(error)}` };
}
