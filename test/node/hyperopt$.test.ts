import { describe, it, expect, jest } from '@jest/globals';
import { lastValueFrom, toArray } from 'rxjs';
import { hyperopt, hyperopt$ } from '../../src/node.js';
import { hyperopt$ as coreHyperopt$ } from '../../src/index.js';

/** Runs `body` as if stderr were a terminal, with stderr's writes captured instead of printed. */
async function underTerminal(body: () => Promise<unknown>): Promise<string> {
  const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await body();
    return write.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    write.mockRestore();
    if (had) Object.defineProperty(process.stderr, 'isTTY', had);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

describe("hyperopt$'s progress", () => {
  const options = { space: { x: [1, 2, 3] }, iterations: 3 };
  const objective = ({ x }: { x: number }) => x;

  it('is off by default, even when stderr is a terminal (where hyperopt draws its bar)', async () => {
    expect(await underTerminal(() => hyperopt(options, objective))).toContain('3/3 trials'); // the same terminal draws hyperopt's bar
    expect(await underTerminal(() => lastValueFrom(hyperopt$(options, objective).pipe(toArray())))).toBe('');
    expect(await underTerminal(() => lastValueFrom(coreHyperopt$(options, objective).pipe(toArray())))).toBe('');
  });

  it('draws the bar when asked (progress: true)', async () => {
    expect(await underTerminal(() => lastValueFrom(hyperopt$({ ...options, progress: true }, objective).pipe(toArray())))).toContain('3/3 trials');
  });
});
