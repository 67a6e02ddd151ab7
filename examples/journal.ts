// A journaled run that "crashes" half-way (an abort stands in for a kill), then the same call resumes it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// In your project: from 'hyperopt-rx/node' (its hyperopt adds the `journal` option).
import { hyperopt, loadJournal, linrange, explinrange, RandomSampler } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-journal-'));
const journal = join(dir, 'run.jsonl');
const space = { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) };
const f = ({ a, b, c }: { a: number; b: boolean; c: number }) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;

// First attempt: stops after 20 of 50 trials.
const crash = new AbortController();
let calls = 0;
await hyperopt({ space, iterations: 50, sampler: new RandomSampler({ seed: 1 }), journal, signal: crash.signal, progress: false }, (p) => {
  if (++calls === 21) crash.abort();
  return f(p);
});
console.log(`after the crash: ${readFileSync(journal, 'utf8').trim().split('\n').length - 1} trials in ${journal}`);

// Same call again: the 20 are reloaded, the sampler (and its seed) comes from the journal, 30 more run.
let evaluated = 0;
const ho = await hyperopt({ space, iterations: 50, journal, progress: false }, (p) => (evaluated++, f(p)));
console.log(`resumed: ${evaluated} evaluated now, ${ho.trials.length} in total, minimum ${ho.minimum}`);

// Inspect later, from the file alone.
const again = await loadJournal(journal, { space });
console.log(again.toString());
if (again.trials.length !== 50 || evaluated !== 30) throw new Error('resume did not do what it says');
rmSync(dir, { recursive: true, force: true });
