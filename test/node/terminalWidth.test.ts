import { describe, it, expect } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { TrialBar } from '../../src/node/internal/TrialBar.js';
import type { Trial } from '../../src/trial/Trial.js';

/** A stream that says it is a terminal of `columns` columns, and what was drawn on it. */
function terminal(columns: number) {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns });
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, text: () => text };
}

/** The rows as a terminal would leave them: escape sequences dropped, each carriage return starting the row again. */
function rows(text: string): string[] {
  return text
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'), '')
    .split('\n')
    .map((row) => row.split('\r').pop()!)
    .filter((row) => row !== '');
}

function trial(i: number, value: number, extra: Partial<Trial> = {}): Trial {
  return { i, params: {}, value, status: 'ok', ...extra } as Trial;
}

describe('the progress line in a terminal of any width', () => {
  it.each([30, 40, 50, 60, 80, 100, 160])('fits %i columns and keeps elapsed time and ETA, under Hyperband too', (columns) => {
    const out = terminal(columns);
    const bar = new TrialBar({ stream: out.stream, noTTYOutput: false, notTTYIntervalMs: 2000 });
    bar.start(1000, 640, 0.000123456789, 17);
    bar.add(trial(640, 1.5e-7, { bracket: 3, rung: 2, resources: 27 }));
    bar.add(trial(641, NaN, { status: 'failed', bracket: 3, rung: 2 }));
    bar.log('hyperopt-rx: a message\n');
    bar.stop();
    const drawn = rows(out.text());
    const line = drawn.filter((r) => r.includes('642/1000')).pop()!;
    expect(line.length).toBeLessThan(columns);
    expect(line).toMatch(/\| (\d+s elapsed|\d+s) \| ETA \S+$/);
    if (columns >= 40) expect(line).toContain('best 1.5e-7');
    // The failures give way first, at the narrowest.
    if (columns >= 50) expect(line).toContain('18 failed');
    if (columns >= 100) expect(line).toMatch(/^ [█░]{8,40} 642\/1000 trials \(18 failed\) \| best 1\.5e-7 \| bracket 3 rung 2 \| \d+s elapsed \| ETA \S+$/);
    // The message is a row of its own, above the line.
    expect(drawn.indexOf('hyperopt-rx: a message')).toBeGreaterThanOrEqual(0);
    expect(drawn.indexOf('hyperopt-rx: a message')).toBeLessThan(drawn.lastIndexOf(line));
    // Neither the cursor nor line wrap is ever turned off.
    expect(out.text()).not.toContain('\x1b[?25l');
    expect(out.text()).not.toContain('\x1b[?7l');
  });

  it('shows the best as the largest under maximize', () => {
    const out = terminal(80);
    const bar = new TrialBar({ stream: out.stream, noTTYOutput: false, notTTYIntervalMs: 2000, direction: 'maximize' });
    bar.start(3);
    for (const [i, v] of [0.5, 0.9, 0.7].entries()) bar.add(trial(i, v));
    bar.stop();
    expect(rows(out.text()).pop()).toMatch(/ 3\/3 trials \| best 0\.9 \|/);
  });
});
