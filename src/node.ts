// Node-only parts: progress bar, and (as they land) worker threads, the queue, files, SVG.
export * from './index.js';
export { progressBar, type ProgressBarOptions } from './node/progressBar.js';
// `hyperopt` here shadows the core one: the same, plus the `journal` option.
export { hyperopt, type NodeHyperoptOptions } from './node/hyperopt.js';
export { journal, type JournalOptions } from './node/journal.js';
export { loadJournal, type LoadJournalOptions } from './node/loadJournal.js';
export { renderSvg } from './node/renderSvg.js';
export { programObjective, type ProgramObjectiveOptions } from './node/programObjective.js';
