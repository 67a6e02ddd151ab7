import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_ONLY_PACKAGES = ['cli-progress', 'piscina', 'bullmq', 'ioredis', 'vega', 'vega-lite'];

/** Every module reachable from `entry` through static and literal dynamic imports. */
function reachable(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // Comments hold examples (`import('./objective.mjs')`) that are not imports.
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('the core is platform-neutral', () => {
  it('imports no Node built-in and no Node-only package from src/index.ts, directly or indirectly', () => {
    const { files, bare } = reachable(resolve(root, 'src/index.ts'));
    expect(files.size).toBeGreaterThan(10);
    for (const spec of bare) {
      const name = spec.replace(/^node:/, '').split('/')[0];
      expect({ spec, builtin: spec.startsWith('node:') || builtinModules.includes(name) }).toEqual({ spec, builtin: false });
      expect(NODE_ONLY_PACKAGES).not.toContain(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : name);
    }
    for (const file of files) expect(file).not.toMatch(/[\\/]src[\\/]node[\\/]/);
  });

  it('bundles for the browser with esbuild', async () => {
    const result = await build({
      entryPoints: [resolve(root, 'src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0].text).toContain('RandomSampler');
  });

  it('the scan sees the Node side: src/node.ts reaches cli-progress', () => {
    const { bare } = reachable(resolve(root, 'src/node.ts'));
    expect([...bare]).toContain('cli-progress');
  });
});
