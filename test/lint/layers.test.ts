import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// A lint rule that has never fired is unproven: each rule of `npm run lint`
// runs, with the repository's own config files, on a copy of the sources with
// one violation planted, and must report it under its name.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEPCRUISE = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ESLINT = join(root, 'node_modules/eslint/bin/eslint.js');

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

const dirs: string[] = [];

/** A temporary project: the given files and folders copied from the repository, node_modules linked. */
function copyOfRepository(paths: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-lint-'));
  dirs.push(dir);
  for (const path of paths) cpSync(join(root, path), join(dir, path), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function layerViolations(dir: string): Violation[] {
  const run = spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  if (run.stdout === '') throw new Error(`dependency-cruiser printed nothing: ${run.stderr}`);
  const { summary } = JSON.parse(run.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  return summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

function plant(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the import rules (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  const files = ['src', 'tsconfig.json', '.dependency-cruiser.cjs'];
  let clean: Violation[];
  let planted: Violation[];

  beforeAll(() => {
    clean = layerViolations(copyOfRepository(files));
    const dir = copyOfRepository(files);
    plant(dir, 'src/space/upward.ts', "import { hyperopt } from '../run/hyperopt.js';\nexport const upward = hyperopt;\n");
    const core = join(dir, 'src/space/uniform.ts');
    writeFileSync(core, `import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;\n${readFileSync(core, 'utf8')}`);
    plant(dir, 'src/trial/typeOnly.ts', "import type { Stats } from 'fs';\nexport type Planted = Stats;\n");
    plant(dir, 'src/node/internal/platform.ts', "import { readFileSync } from 'node:fs';\nexport const allowed = readFileSync;\n");
    plant(dir, 'src/base/cycleA.ts', "import { b } from './cycleB.js';\nexport const a = (): number => b() + 1;\n");
    plant(dir, 'src/base/cycleB.ts', "import type { a } from './cycleA.js';\nexport const b = (): ReturnType<typeof a> => 0;\n");
    planted = layerViolations(dir);
  }, 120_000);

  it("pass on the repository's own src", () => {
    expect(clean).toEqual([]);
  });

  it('report an upward import as no-upward-import', () => {
    expect(planted).toContainEqual({ rule: 'no-upward-import', from: 'src/space/upward.ts', to: 'src/run/hyperopt.ts' });
  });

  it('report a Node built-in in the core as no-node-builtin-in-core, a type-only or bare one too, and allow it on the Node side', () => {
    expect(planted).toContainEqual({ rule: 'no-node-builtin-in-core', from: 'src/space/uniform.ts', to: 'fs' });
    expect(planted).toContainEqual({ rule: 'no-node-builtin-in-core', from: 'src/trial/typeOnly.ts', to: 'fs' });
    expect(planted.filter((v) => v.from === 'src/node/internal/platform.ts')).toEqual([]);
  });

  it('report a two-file cycle as no-circular, a type-only edge included', () => {
    expect(planted.filter((v) => v.rule === 'no-circular' && v.from.startsWith('src/base/cycle'))).toHaveLength(1);
  });

  it('report nothing else that was planted', () => {
    const plantedOnly = planted.filter((v) => !clean.some((c) => c.rule === v.rule && c.from === v.from && c.to === v.to));
    expect(plantedOnly.map((v) => v.rule).sort()).toEqual(['no-circular', 'no-node-builtin-in-core', 'no-node-builtin-in-core', 'no-upward-import']);
  });
});

describe('ESLint (eslint.config.js, type-aware)', () => {
  it('reports a floating promise, which only type information can see, and not the same call awaited', () => {
    const dir = copyOfRepository(['eslint.config.js', 'tsconfig.json', 'package.json']);
    mkdirSync(join(dir, 'src'));
    const later = 'export async function later(): Promise<number> {\n  return 1;\n}\n';
    plant(dir, 'src/floating.ts', `${later}later();\n`);
    plant(dir, 'src/awaited.ts', `${later}await later();\n`);
    const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', 'src'], { cwd: dir, encoding: 'utf8' });
    if (run.stdout === '') throw new Error(`ESLint printed nothing: ${run.stderr}`);
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[];
    const rulesIn = (file: string) => results.find((r) => r.filePath.endsWith(file))?.messages.map((m) => m.ruleId);
    expect(rulesIn('floating.ts')).toEqual(['@typescript-eslint/no-floating-promises']);
    expect(rulesIn('awaited.ts')).toEqual([]);
  }, 120_000);
});
