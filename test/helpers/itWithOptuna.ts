import { optunaStatus } from '../../bench/lib/anchor.js';
import { itIf, type ItLike } from './requires.js';

/** `it` for tests against the Optuna anchor (under /usr/bin/python3); skipped visibly without it. */
export const itWithOptuna: ItLike = itIf(optunaStatus().available, 'Optuna', 'apt-get install python3-optuna python3-scipy, for /usr/bin/python3');
