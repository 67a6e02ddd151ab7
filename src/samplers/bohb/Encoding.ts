/** Encoded dimension kinds: continuous on [0, 1], ordered or unordered level indices. */
export const CONTINUOUS = 0;
export const ORDERED = 1;
export const UNORDERED = 2;

/** How BOHB sees the space: one kind and level count per dimension. */
export interface Encoding {
  readonly kinds: readonly number[];
  /** Levels of a categorical dimension (0 for continuous ones). */
  readonly levels: readonly number[];
}
