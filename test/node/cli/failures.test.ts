import { it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli, journalLines } from './runCli.js';
import { describeIf } from '../../helpers/requires.js';
import { PYTHON as python, pythonAvailable } from '../../helpers/externals.js';

// Failed trials are visible: a summary at the end, each one as it happens with --verbose, and --fail-exit.
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flaky = resolve('test/node/cli/fixtures/flaky.py');
// Seed 0 draws 0.1 twice (out of memory), 0.7 and 0.9 five times (diverged) and 0.5 three times in 10 trials.
writeFileSync(join(dir, 'space.json'), JSON.stringify({ x: [0.1, 0.3, 0.5, 0.7, 0.9] }));

describeIf(
  pythonAvailable,
  'Python at /usr/bin/python3',
  'apt-get install python3',
)('hyperopt-rx run with failing trials (Python)', () => {
  it('sums the failures up on stderr: how many, the most common reasons, and the traceback of one', async () => {
    const journal = join(dir, 'summary.jsonl');
    const r = await cli(['run', '--space', 'space.json', '--iterations', '10', '--seed', '0', '--journal', journal, '--no-progress', '--', python, flaky, '{x}'], dir);
    expect(r.code).toBe(0); // some trials produced a value
    const trials = journalLines(readFileSync(journal, 'utf8')).filter((l) => 'i' in l) as { i: number; status: string; error?: string }[];
    const failed = trials.filter((t) => t.status === 'failed');
    const diverged = failed.filter((t) => /exited with code 1/.test(t.error!)).length;
    const oom = failed.filter((t) => /exited with code 3/.test(t.error!)).length;
    expect(diverged).toBeGreaterThan(0);
    expect(oom).toBeGreaterThan(0);
    expect(r.stdout).toContain(`10 trials (${10 - failed.length} ok, ${failed.length} failed)`);
    expect(r.stderr).toContain(`hyperopt-rx: ${failed.length} of 10 trials failed; most common reasons:\n`);
    expect(r.stderr).toMatch(new RegExp(`^ +${diverged} × exited with code 1$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^ +${oom} × exited with code 3$`, 'm'));
    // One failure in full, with the end of its stderr: for the last one here that left any.
    expect(r.stderr).toMatch(/for example, trial \d+ failed: exited with code [13]: \S*python3 \S*flaky\.py [\d.]+\n( {4}.*\n)+$/);
    expect(r.stderr).toMatch(/ {4}(FloatingPointError: loss diverged at lr=[\d.]+|CUDA out of memory)\n$/);
    // Nothing is printed while it runs without --verbose.
    expect(r.stderr).not.toMatch(/trial \d+ failed:.*\n[\s\S]*most common reasons/);
  }, 60_000);

  it('--verbose prints each failure as it happens; --fail-exit exits 3 when any failed, and 0 when none did', async () => {
    const r = await cli(['run', '--space', 'space.json', '--iterations', '10', '--seed', '0', '--verbose', '--fail-exit', '--no-progress', '--', python, flaky, '{x}'], dir);
    expect(r.code).toBe(3);
    const live = r.stderr.split('most common reasons')[0].match(/^hyperopt-rx: trial \d+ failed: exited with code [13]: /gm) ?? [];
    const failed = Number(/(\d+) failed\)/.exec(r.stdout)![1]);
    expect(failed).toBeGreaterThan(0);
    expect(live).toHaveLength(failed);
    expect(r.stderr).toMatch(/trial \d+ failed: exited with code 1: .*\n {4}Traceback \(most recent call last\):\n[\s\S]*? {4}FloatingPointError: loss diverged at lr=/);

    writeFileSync(join(dir, 'good.json'), JSON.stringify({ x: { linrange: [0.2, 0.6, 5] } }));
    const good = await cli(['run', '--space', 'good.json', '--iterations', '4', '--fail-exit', '--no-progress', '--', python, flaky, '{x}'], dir);
    expect(good.code).toBe(0);
    expect(good.stderr).not.toMatch(/failed/);
  }, 60_000);
});
