// Node-only parts: progress bar, and (as they land) worker threads, the queue, files, SVG.
export * from './index.js';
export { progressBar, type ProgressBarOptions } from './node/progressBar.js';
