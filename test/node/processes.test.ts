import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processes } from '../../src/node/processes.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { executorContract, fixture } from './executorContract.js';
import { space } from '../fixtures/node/objective.mjs';

executorContract('processes', (options) => processes({ module: fixture, processes: 2, ...options }));

describe('processes', () => {
  it('should fail the trial whose process died, replace the process and go on', async () => {
    const objective = processes({ module: fixture, exportName: 'exits', processes: 2 });
    try {
      const ho = await hyperopt({ space, iterations: 8, concurrency: 2, onError: 'skip', progress: false }, objective);
      expect(ho.trials.length).toBe(8);
      const failed = ho.trials.filter((t) => t.status === 'failed');
      expect(failed.map((t) => t.i)).toEqual([2]);
      expect(String(failed[0].error)).toMatch(/exited with code 3 during trial 2/);
    } finally {
      await objective.close();
    }
  });

  it('should name its own options in ArgumentErrors', () => {
    expect(() => processes({ module: fixture, processes: 0 })).toThrow(/`processes`/);
    expect(() => processes({ module: fixture, execArgv: '--inspect' as never })).toThrow(/`execArgv`/);
    expect(() => processes({ module: fixture, env: null as never })).toThrow(/`env`/);
    expect(() => processes({ module: fixture, abortGraceMs: 597 * 3_600_000 })).toThrow(/`abortGraceMs` must be at most 2147483647 ms/);
  });

  it('should pass execArgv to the children (here: a TypeScript module through tsx)', async () => {
    const objective = processes({ module: new URL('../fixtures/node/typed.ts', import.meta.url), execArgv: ['--import', 'tsx'], processes: 1 });
    try {
      expect(await objective({ a: 21 }, { i: 0, signal: new AbortController().signal })).toBe(42);
    } finally {
      await objective.close();
    }
  });

  it('should pass env to the children', async () => {
    const objective = processes({ module: fixture, exportName: 'hangsFrom4', processes: 1, env: { ...process.env, MARK_FILE: '/dev/null' } });
    try {
      expect(await objective({ a: 1, b: true, c: 100 }, { i: 0, signal: new AbortController().signal })).toBe(104 + 10);
    } finally {
      await objective.close();
    }
  });
});

describe('processes: a child killed from outside', () => {
  it('should fail the trial it was running (SIGKILL) and go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-kill-'));
    const marks = join(dir, 'starts');
    writeFileSync(marks, '');
    const objective = processes({ module: fixture, exportName: 'hangsFrom4', processes: 1, env: { ...process.env, MARK_FILE: marks } });
    try {
      const run = hyperopt({ space, iterations: 5, onError: 'skip', progress: false }, objective);
      let pid = 0;
      while (!pid) {
        await new Promise((r) => setTimeout(r, 20));
        const line = readFileSync(marks, 'utf8')
          .split('\n')
          .find((l) => l.startsWith('4 '));
        if (line) pid = Number(line.split(' ')[1]);
      }
      process.kill(pid, 'SIGKILL');
      const ho = await run;
      expect(ho.trials.map((t) => t.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'failed']);
      expect(String(ho.trials[4].error)).toMatch(new RegExp(`worker process ${pid} was killed by SIGKILL during trial 4`));
    } finally {
      await objective.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
