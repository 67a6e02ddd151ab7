import { ArgumentError } from '../../base/ArgumentError.js';
import { checkOptions, checkTimeoutMs, show } from '../../base/check.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { ObjectiveModuleOptions } from '../ObjectiveModuleOptions.js';
import { resolveModule } from './resolveModule.js';

/** Checks the module options shared by the executors; `extra` are the caller's own option names. */
export function checkModuleOptions(options: ObjectiveModuleOptions, extra: readonly string[]) {
  checkOptions('options', options, ['module', 'exportName', 'space', 'spaceExport', 'stream', 'abortGraceMs', ...extra]);
  const module = resolveModule('module', options.module);
  const exportName = checkName('exportName', options.exportName ?? 'default');
  const spaceExport = checkName('spaceExport', options.spaceExport ?? 'space');
  const space = options.space === undefined ? undefined : checkSpace(options.space);
  const stream = options.stream ?? false;
  if (typeof stream !== 'boolean') throw new ArgumentError('stream', `must be a boolean, got ${show(stream)}`);
  const graceMs = checkTimeoutMs('abortGraceMs', options.abortGraceMs ?? 1000, 0);
  return { spec: { module, exportName, spaceExport }, space, stream, graceMs };
}

function checkName(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new ArgumentError(option, `must be a non-empty string, got ${show(value)}`);
  return value;
}
