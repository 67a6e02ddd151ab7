import { describe, it, expect } from '@jest/globals';
import { hyperopt } from '../../../src/run/hyperopt.js';
import { ArgumentError } from '../../../src/base/ArgumentError.js';

describe('the core hyperopt and the journal option', () => {
  it('refuses journal with an ArgumentError that says it lives in hyperopt-rx/node, before the objective runs', async () => {
    let calls = 0;
    const options = { space: { x: [1, 2] }, iterations: 2, journal: 'run.jsonl' } as unknown as Parameters<typeof hyperopt>[0];
    const error = await hyperopt(options, ({ x }: { x: number }) => (calls++, x)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe('journal');
    expect((error as Error).message).toMatch(/import \{ hyperopt \} from 'hyperopt-rx\/node'/);
    expect(calls).toBe(0);
  });
});
