import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperopt as coreHyperopt } from '../../src/run/hyperopt.js';
import { hyperopt } from '../../src/node/hyperopt.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { braninProblem } from '../problems/index.js';
import { fmt, ratio, table } from '../lib/markdown.js';
import { median } from '../lib/median.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

/**
 * (j) What the journal costs per trial: the same sequential run without a
 * journal (the baseline), with one (a line per trial, one write(2) each),
 * with fsync per line, and reloading a finished journal (the replay a
 * resume does before running anything new).
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-bench-journal-'));
  const { space, objective } = braninProblem;
  const n = quick ? 2000 : 20000;
  const nSync = quick ? 50 : 300;
  const repeats = quick ? 3 : 5;
  let file = 0;
  const next = () => join(dir, `run-${file++}.jsonl`);
  const options = (iterations: number) => ({ space, iterations, sampler: new RandomSampler({ seed: 1 }), progress: false as const });
  const time = async (iterations: number, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return ((performance.now() - t0) * 1000) / iterations;
  };
  try {
    // JIT warm-up of both paths.
    for (let k = 0; k < 2; k++) {
      await coreHyperopt(options(n), objective);
      await hyperopt({ ...options(n), journal: next() }, objective);
    }
    const base: number[] = [];
    const journaled: number[] = [];
    const fsynced: number[] = [];
    const reload: number[] = [];
    for (let r = 0; r < repeats; r++) {
      base.push(await time(n, () => coreHyperopt(options(n), objective)));
      const path = next();
      journaled.push(await time(n, () => hyperopt({ ...options(n), journal: path }, objective)));
      reload.push(await time(n, () => hyperopt({ space, iterations: n, progress: false, journal: path }, objective)));
      fsynced.push(await time(nSync, () => hyperopt({ ...options(nSync), journal: { path: next(), fsync: true } }, objective)));
    }
    const b = median(base);
    // Peak RSS, each run in a fresh process: the run without journal, the run writing it, the resume of the finished journal.
    const big = quick ? 100_000 : 1_000_000;
    const bigPath = next();
    const rss = (mode: string) => {
      const script = fileURLToPath(new URL('../fixtures/journalRss.ts', import.meta.url));
      const out = spawnSync(process.execPath, ['--import', 'tsx', script, mode, String(big), bigPath], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`journal RSS (${mode}): ${out.stderr}`);
      return JSON.parse(out.stdout.trim()) as { ms: number; maxRssMB: number };
    };
    const [plain, written, resumed] = [rss('plain'), rss('journal'), rss('resume')];
    const rssRows = [
      ['no journal (baseline)', fmt(plain.maxRssMB, 3), '1', fmt(plain.ms / 1000, 2)],
      ['writing the journal', fmt(written.maxRssMB, 3), ratio(written.maxRssMB, plain.maxRssMB), fmt(written.ms / 1000, 2)],
      ['resuming the finished journal', fmt(resumed.maxRssMB, 3), ratio(resumed.maxRssMB, plain.maxRssMB), fmt(resumed.ms / 1000, 2)],
    ];
    const rows = [
      ['no journal (baseline)', String(n), fmt(b, 3), '1'],
      ['journal (write per trial)', String(n), fmt(median(journaled), 3), ratio(median(journaled), b)],
      ['journal, fsync per trial', String(nSync), fmt(median(fsynced), 3), ratio(median(fsynced), b)],
      ['resume of a finished journal (read + replay)', String(n), fmt(median(reload), 3), ratio(median(reload), b)],
    ];
    return [
      '## (j) Journal cost per trial',
      '',
      'Sequential runs of RandomSampler on branin (grid form, ~0.1 µs per evaluation), so the time is the',
      "library's and the journal's. Median over repeated runs in this process, each against the no-journal",
      "baseline measured in the same run. fsync cost is the disk's round trip: it matters only for objectives",
      'faster than a few milliseconds.',
      '',
      table(['run', 'trials', 'µs/trial', '÷ baseline'], rows),
      '',
      `Peak RSS (\`process.resourceUsage().maxRSS\`) of ${big.toLocaleString('en-US')} trials, each run in a fresh process, against the`,
      'run without journal measured in the same benchmark run. The resume reads the journal line by line and',
      'replays it without calling the objective (target: at most 1.5x the baseline).',
      '',
      table(['run', 'peak RSS (MB)', '÷ baseline', 'seconds'], rssRows),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
