import type { HyperoptRunOptions, SpaceOrHo } from '../run/HyperoptOptions.js';
import type { ParamsOf, Space } from '../space/Space.js';
import type { TerminalProgressOption } from './internal/terminalProgress.js';

/** `hyperopt`'s options plus, on Node, a journal to write and resume from, and the terminal progress bar. */
export type NodeHyperoptOptions<S extends Space = Space, P = ParamsOf<S>> = SpaceOrHo<S, P> &
  Omit<HyperoptRunOptions, 'progress'> & {
    /** The progress bar on stderr (`true`), none (`false`) or your own display. @default stderr is a terminal */
    readonly progress?: TerminalProgressOption;
    /**
     * A JSON-lines file that gets one line per finished trial. If it already
     * holds trials of this space, the run resumes: they are reloaded and only
     * the rest of `iterations` runs. Give `{ path, fsync: true }` to also flush
     * each line to the device. Cannot be combined with `ho`.
     * @default no journal
     */
    readonly journal?: string | { readonly path: string; readonly fsync?: boolean };
  };
