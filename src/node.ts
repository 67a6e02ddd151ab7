// Node-only parts: progress bar, and (as they land) worker threads, the queue, files, SVG.
export * from './index.js';
export { progressBar, type ProgressBarOptions } from './node/progressBar.js';
// `hyperopt`, `hyperopt$` and `hyperband` here shadow the core ones: the same, plus the terminal
// progress bar (`progress: true`), and for `hyperopt` the `journal` option.
export { hyperopt, type NodeHyperoptOptions } from './node/hyperopt.js';
export { hyperopt$, type NodeHyperopt$Options } from './node/hyperopt$.js';
export { hyperband, type NodeHyperbandRunOptions } from './node/hyperband.js';
export { journal } from './node/journal.js';
export type { JournalOptions } from './node/JournalOptions.js';
export { loadJournal, type LoadJournalOptions } from './node/loadJournal.js';
export { renderSvg } from './node/renderSvg.js';
export { MissingPackageError } from './node/MissingPackageError.js';
export { programObjective, type ProgramObjectiveOptions } from './node/programObjective.js';
export type { Executor } from './node/Executor.js';
export type { ObjectiveModuleOptions } from './node/ObjectiveModuleOptions.js';
export type { RedisConnection } from './node/RedisConnection.js';
export { threads, type ThreadsOptions } from './node/threads.js';
export { processes, type ProcessesOptions } from './node/processes.js';
export { queue, type QueueOptions } from './node/queue.js';
export { startWorker, type StartWorkerOptions, type QueueWorker } from './node/startWorker.js';
export { workerCommand, type WorkerCommandIO } from './node/workerCommand.js';
export { dashboard, type DashboardOptions } from './node/dashboard/dashboard.js';
export type { ListenOptions } from './node/dashboard/ListenOptions.js';
export { serve, type AskTellServer } from './node/serve/serve.js';
export type { ServeOptions } from './node/serve/ServeOptions.js';
