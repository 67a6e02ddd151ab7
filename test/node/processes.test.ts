import { describe, it, expect } from '@jest/globals';
import { processes } from '../../src/node/processes.js';
import { hyperopt } from '../../src/hyperopt.js';
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
