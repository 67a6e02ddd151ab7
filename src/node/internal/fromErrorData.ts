import { ArgumentError } from '../../base/ArgumentError.js';
import type { ErrorData } from './objectiveRuntime.mjs';

/** An Error again from its plain-data form; a setup problem becomes the ArgumentError it describes. */
export function fromErrorData(data: ErrorData): Error {
  if (data.option !== undefined && data.problem !== undefined) return new ArgumentError(data.option, data.problem);
  const error = new Error(data.message);
  if (data.name !== 'Error') Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
