// The two import rules that keep TensorFlow.js out of the core, each seen to fire on a copy of the sources
// with a violation planted, while src/tfjs's own imports of the core pass.
import { afterAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-tfjs-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the core may not import src/tfjs, and src/tfjs may not import the Node side', () => {
  for (const path of ['src', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(join(root, path), join(dir, path), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'src/run/withTfjs.ts'), "import { fromTfjsFit } from '../tfjs.js';\nexport const planted = fromTfjsFit;\n");
  writeFileSync(join(dir, 'src/sinks/withTfjsState.ts'), "import type { TfjsFitState } from '../tfjs/TfjsFitState.js';\nexport type Planted = TfjsFitState;\n");
  writeFileSync(join(dir, 'src/tfjs/withNode.ts'), "import { journal } from '../node.js';\nexport const planted = journal;\n");
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  const { summary } = JSON.parse(run.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  const found = summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).filter((v) => /tfjs/i.test(v));
  expect(found.sort()).toEqual([
    'no-core-import-of-tfjs: src/run/withTfjs.ts -> src/tfjs.ts',
    'no-core-import-of-tfjs: src/sinks/withTfjsState.ts -> src/tfjs/TfjsFitState.ts',
    'no-node-side-in-tfjs: src/tfjs/withNode.ts -> src/node.ts',
  ]);
}, 120_000);
