import type { Progress } from '../../sinks/Progress.js';
import { progressBar } from '../progressBar.js';

/** The progress option as Node users write it: `true` for the stderr bar, or your own display. */
export type TerminalProgressOption = boolean | Progress;

/**
 * Turns Node's `progress` option into what the core takes (a display or
 * none): `true` draws the bar on stderr even into a pipe (a log shows it
 * too); `undefined` draws it when `onByDefault` and stderr is a terminal.
 * Anything else passes through, for the core to check.
 */
export function terminalProgress(progress: unknown, onByDefault: boolean): Progress | false | undefined {
  if (progress === true) return progressBar({ noTTYOutput: true });
  if (progress === undefined) return onByDefault && process.stderr.isTTY === true ? progressBar() : undefined;
  return progress as Progress | false;
}
