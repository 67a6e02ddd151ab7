/**
 * The benchmark suite driver: `npm run bench` (full) or `npm run bench:quick`
 * (CI, under two minutes). Runs every section in bench/sections/ (see
 * lib/SectionOptions.ts for the protocol) and writes BENCHMARKS.md.
 *
 * Flags: --quick; --only=NAME[,NAME...] (run the sections whose file name
 * contains one of the NAMEs); --out=FILE (default BENCHMARKS.md at the repository root, figures
 * in bench/figures; otherwise figures in FILE-figures/ beside FILE).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optunaStatus } from './lib/anchor.js';
import { machine } from './lib/machine.js';
import type { SectionOptions } from './lib/SectionOptions.js';

type Section = { run?: (opts: SectionOptions) => Promise<string> };

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const only = flag('only')?.split(',');
const defaultOut = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const outFile = resolve(flag('out') ?? defaultOut);
// Figures of the committed report live in bench/figures; another --out gets its own folder beside it.
const figuresDir = outFile === defaultOut ? fileURLToPath(new URL('./figures', import.meta.url)) : join(dirname(outFile), `${basename(outFile, '.md')}-figures`);
const figures = { dir: figuresDir, href: relative(dirname(outFile), figuresDir).split('\\').join('/') };
const unknown = args.filter((a) => a !== '--quick' && !/^--(only|out)=/.test(a));
if (unknown.length > 0) {
  console.error(`bench: unknown argument(s) ${unknown.join(' ')}; use --quick, --only=NAME, --out=FILE`);
  process.exit(2);
}

const dir = new URL('./sections/', import.meta.url);
const files = readdirSync(dir)
  // Plain .ts files only: not .d.ts or .mts, nor hidden or _-prefixed scratch files.
  .filter((f) => /^[^._].*\.ts$/.test(f) && !f.endsWith('.d.ts') && (!only || only.some((o) => f.includes(o))))
  .sort();

const optuna = optunaStatus();
const git = (...a: string[]) => spawnSync('git', a, { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) }).stdout?.trim() ?? '';
const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
if (!optuna.available) console.error(`Optuna not installed: skipped. ${optuna.reason}`);

const started = performance.now();
const sections: string[] = [];
const failed: string[] = [];
for (const file of files) {
  const t0 = performance.now();
  // A failing section is reported in its place and fails the run (exit 1), without losing the others.
  try {
    const mod = (await import(new URL(file, dir).href)) as Section;
    if (typeof mod.run !== 'function') throw new Error(`bench/sections/${file} does not export run(opts): Promise<string>`);
    sections.push((await mod.run({ quick, figures })).trim());
  } catch (error) {
    failed.push(file);
    console.error(`bench: ${file} FAILED`, error);
    sections.push(`## ${file}: failed\n\n\`\`\`\n${error instanceof Error ? error.stack : String(error)}\n\`\`\``);
  }
  console.error(`bench: ${file} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const seconds = (performance.now() - started) / 1000;

const report = [
  '# Benchmarks',
  '',
  `hyperopt-rx against Optuna, measured side by side in one run (${quick ? 'quick mode' : 'full mode'}, ${seconds.toFixed(0)} s).`,
  'Problems: bench/problems (as ../shared/bench/problems.md defines them; tests in test/bench reproduce its test vectors).',
  'Optuna runs through bench/optuna/anchor.py on the same grid-form problems. Every figure is a median;',
  'ratios are ours ÷ Optuna measured in this same run. Timings depend on the machine, quality figures do not.',
  'Each section is a file in bench/sections/ (protocol: bench/lib/SectionOptions.ts).',
  '',
  ...machine(optuna),
  `- Command: \`npm run ${quick ? 'bench:quick' : 'bench'}\`${only ? ` (--only=${only.join(',')})` : ''}, started at commit ${commit}${dirty ? ' with uncommitted changes' : ''}`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
writeFileSync(outFile, report);
console.error(`bench: wrote ${outFile} in ${seconds.toFixed(1)} s`);
if (failed.length > 0) {
  console.error(`bench: ${failed.length} section(s) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
