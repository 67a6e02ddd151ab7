// Every ```ts block in README.md and docs/*.md is a whole program: type-checked
// (strict, against the source through tsconfig paths) and run, each in a fresh
// folder. A block marked ```ts fragment is left out on purpose (a signature, or
// code that needs files or servers the reader brings).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = join(root, '.docs-check');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

interface Block {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly fragment: boolean;
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let k = 0; k < lines.length; k++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[k]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > k && l.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${k + 1}: unclosed code block`);
    blocks.push({ file, line: k + 1, code: lines.slice(k + 1, end).join('\n'), fragment: /\bfragment\b/.test(open[2]) });
    k = end;
  }
  return blocks;
}

const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = files.flatMap(blocksOf);
const runnable = blocks.filter((b) => !b.fragment);
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const names = runnable.map((b) => `${b.file.replace(/[/.]/g, '_')}_${b.line}.ts`);
// `export {}` makes each block a module of its own (top-level await, no shared names).
runnable.forEach((b, k) => writeFileSync(join(out, names[k]), `${b.code}\nexport {};\n`));
const tsconfig = {
  extends: '../tsconfig.json',
  compilerOptions: {
    noEmit: true,
    rootDir: '..',
    paths: { 'hyperopt-rx': ['../src/index.ts'], 'hyperopt-rx/node': ['../src/node.ts'], 'hyperopt-rx/tfjs': ['../src/tfjs.ts'] },
  },
  include: ['*.ts'],
};
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

let failed = 0;
const typecheck = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
if (typecheck.status !== 0) {
  failed++;
  // Point each error back at the Markdown line it comes from.
  const text = typecheck.stdout.replace(/\.docs-check\/([\w]+)_(md)_(\d+)\.ts\((\d+),(\d+)\)/g, (_m, name: string, _md, at: string, line: string) => {
    const block = runnable.find((b) => names[runnable.indexOf(b)].startsWith(`${name}_md_${at}`));
    return `${block?.file ?? name}:${Number(at) + Number(line)}`;
  });
  console.log(`type errors:\n${text}`);
}
for (const [k, block] of runnable.entries()) {
  const cwd = mkdtempSync(join(tmpdir(), 'docs-check-'));
  const started = Date.now();
  const run = spawnSync(process.execPath, [tsx, '--tsconfig', join(out, 'tsconfig.json'), join(out, names[k])], { cwd, encoding: 'utf8', timeout: 120_000 });
  rmSync(cwd, { recursive: true, force: true });
  const where = `${block.file}:${block.line}`;
  if (run.status === 0) console.log(`ok      ${where} (${Date.now() - started} ms)`);
  else {
    failed++;
    console.log(`FAILED  ${where} (exit ${run.status ?? run.signal})\n${(run.stderr || run.stdout).trim().split('\n').slice(-15).join('\n')}`);
  }
}
const fragments = blocks.filter((b) => b.fragment).map((b) => `${b.file}:${b.line}`);
console.log(`${runnable.length} blocks type-checked and run, ${fragments.length} marked as fragments (${fragments.join(', ')}); ${failed} failed`);
console.log(`(generated in ${relative(process.cwd(), out) || '.'})`);
process.exit(failed === 0 ? 0 : 1);
