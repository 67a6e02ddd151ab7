import { describe, it, expect } from '@jest/globals';
import { threads } from '../../src/node/threads.js';
import { ArgumentError } from '../../src/ArgumentError.js';
import { executorContract, fixture } from './executorContract.js';

executorContract('threads', (options) => threads({ module: fixture, threads: 2, ...options }));

describe('threads', () => {
  it('should name `threads` and `module` in its ArgumentErrors', () => {
    expect(() => threads({ module: fixture, threads: 0 })).toThrow(ArgumentError);
    expect(() => threads({ module: fixture, threads: 1.5 })).toThrow(/`threads`/);
    expect(() => threads({ module: './no/such/objective.mjs' })).toThrow(/`module` no such file/);
    expect(() => threads({ module: 42 as never })).toThrow(/`module`/);
  });

  it('should default to one thread per core', async () => {
    const { availableParallelism } = await import('node:os');
    const objective = threads({ module: fixture });
    expect(objective.concurrency).toBe(availableParallelism());
    await objective.close();
  });
});
