/**
 * Which way a value is better: `'minimize'` (a loss, an error rate) or
 * `'maximize'` (an accuracy, a reward). Samplers, pruners and Hyperband
 * always minimize a loss; a run under `'maximize'` hands them the negated
 * value and keeps your own value in every `Trial`.
 */
export type Direction = 'minimize' | 'maximize';
