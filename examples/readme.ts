// Hyperopt.jl's README example: 50 random trials over a mixed space, then the minimizer.
import { linrange, explinrange, RandomSampler } from '../src/index.js';
import { hyperopt } from '../src/node.js'; // the Node flavour: the terminal progress bar

const f = (a: number, b: boolean, c: number) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;

const ho = await hyperopt(
  {
    space: { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) },
    iterations: 50,
    sampler: new RandomSampler({ seed: 2026 }),
    progress: true,
  },
  ({ a, b, c }) => f(a, b, c),
);

console.log(ho.toString());
console.log('\nprintmin:');
ho.printmin();
