import type { Sampler } from '../samplers/Sampler.js';
import type { Space } from '../space/Space.js';
import type { Direction } from '../trial/Direction.js';

/** Options of `journal` (and of `hyperopt`'s journal from `hyperopt-rx/node`). */
export interface JournalOptions {
  /** The space the trials come from: written in the header, and checked against an existing journal. */
  readonly space: Space;
  /** Recorded (its `toJSON()`, seed included) so that a resumed run can draw the same sequence. */
  readonly sampler?: Sampler;
  /** The run's planned size, recorded for the reader. */
  readonly iterations?: number;
  /**
   * The run's direction, recorded in the header (and checked against an existing journal: the other direction is an
   * ArgumentError('direction')). Give the one of the run you journal.
   * @default 'minimize'
   */
  readonly direction?: Direction;
  /**
   * Also flush each line to the device (`fdatasync`), not only to the
   * operating system: survives a power loss, not just a killed process.
   * Costs a disk round trip per trial (see docs/journal.md).
   * @default false
   */
  readonly fsync?: boolean;
  /** Where warnings go (a skipped truncated last line). @default console.warn */
  readonly onWarning?: (message: string) => void;
}
