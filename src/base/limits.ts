// Size limits: well-typed sizes beyond these would hang or exhaust memory, so
// they are refused with an ArgumentError that names the limit. Each is far
// above any real use; README "Limits" lists them.

/** Most points `linrange` and `explinrange` make (10 million numbers are 80 MB). */
export const MAX_GRID_LENGTH = 1e7;

/**
 * Most rows a Latin hypercube plan (LHSampler, CLHSampler) may have: the plan
 * is drawn whole before the first candidate (one million rows of 10
 * parameters are 40 MB and about a second of shuffling).
 */
export const MAX_PLAN_ROWS = 1e6;

/** Most objectives in flight at once (`concurrency`): each holds a subscription and a slot. */
export const MAX_CONCURRENCY = 1e5;

/**
 * The largest trial index `i` (1e12, a million trials a second for eleven
 * days). Indices beyond it come only from outside (tell, fromJSON, a
 * journal), where they would make a continuation skip that far ahead.
 */
export const MAX_TRIAL_INDEX = 1e12;

/**
 * Most brackets one Hyperband iteration may have (`floor(log_eta(maxResource)) + 1`):
 * 200 brackets are 20,100 rungs. eta = 1.001 with R = 50 would be 3,914
 * brackets and 7.7 million rungs.
 */
export const MAX_HYPERBAND_BRACKETS = 200;

/** Most candidates BOHB scores per proposal (`Ns`): each costs a pass over the model's observations. */
export const MAX_BOHB_CANDIDATES = 1e5;
