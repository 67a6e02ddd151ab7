import type { Progress } from '../sinks/Progress.js';

interface MaybeNode {
  process?: { stderr?: { isTTY?: boolean }; versions?: { node?: string } };
}

/** True where the default progress bar makes sense: Node with stderr on a terminal. */
export function stderrIsTTY(): boolean {
  const g = globalThis as MaybeNode;
  return g.process?.versions?.node !== undefined && g.process.stderr?.isTTY === true;
}

/**
 * The Node progress bar, loaded only when asked for on Node. The specifier
 * is computed so that browser bundlers leave the Node-only module out.
 */
export async function loadDefaultProgress(forced: boolean): Promise<Progress | undefined> {
  if ((globalThis as MaybeNode).process?.versions?.node === undefined) return undefined;
  const specifier = ['..', 'node', 'progressBar.js'].join('/');
  const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as { progressBar(options: { noTTYOutput: boolean }): Progress };
  // Asked for explicitly: draw it even when stderr is a pipe (a log shows the progress too).
  return module.progressBar({ noTTYOutput: forced });
}
