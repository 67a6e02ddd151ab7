// TensorFlow.js glue: `hyperopt-rx/tfjs`. Needs @tensorflow/tfjs-core and @tensorflow/tfjs-layers (optional peers) and a backend of your choice.
export { fromTfjsFit, type FromTfjsFitOptions, type TfjsFitSummary } from './tfjs/fromTfjsFit.js';
export type { TfjsFitState, TfjsNamedWeight, TfjsWeight } from './tfjs/TfjsFitState.js';
