export { branin, braninProblem } from './branin.js';
export { hartmann6, hartmann6Problem } from './hartmann6.js';
export { hyperoptjl, hyperoptjlProblem } from './hyperoptjl.js';
export { countingOnes, countingOnesNoisy, countingOnesNoisyObjective, countingOnesProblem, COUNTING_ONES_BUDGETS } from './countingOnes.js';
export {
  trainingCurve,
  trainingCurveAt,
  trainingCurveClean,
  trainingCurveFinal,
  trainingCurveNoise,
  trainingCurveObjective,
  trainingCurveProblem,
  TRAINING_CURVE,
} from './trainingCurve.js';
export { grid } from './grid.js';
export { mulberry32 } from './mulberry32.js';
export { noiseKey } from './noiseKey.js';
export { reference } from './reference.js';
export type { Problem, Params } from './Problem.js';
export { problems } from './problems.js';
