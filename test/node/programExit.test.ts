import { describe, it, expect, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { alive } from '../helpers/alive.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-exit-'));
const script = resolve('test/node/fixtures/programExit.ts');
const seen: number[] = [];
afterAll(() => {
  for (const pid of seen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function run(how: string): Promise<{ code: number | null; stdout: string; pids: number[] }> {
  const pidFile = join(dir, how);
  return new Promise((done) => {
    const child = execFile(process.execPath, ['--import', 'tsx', script, how, pidFile], { timeout: 60_000 }, (_error, stdout) => {
      const pids = readdirSync(dir)
        .filter((f) => f.startsWith(`${how}.`))
        .map((f) => Number(f.slice(how.length + 1)));
      seen.push(...pids);
      done({ code: child.exitCode, stdout, pids });
    });
  });
}

describe('programObjective: no program outlives this process', () => {
  it.each([
    ['exit', 3],
    ['uncaught', 1],
  ])('kills the programs in flight when the process leaves by %s', async (how, code) => {
    const r = await run(how);
    expect(r.code).toBe(code);
    expect(r.pids).toHaveLength(1);
    // SIGKILLed on the way out (polled: the test's timeout is the hang guard).
    while (alive(r.pids[0])) await new Promise((res) => setTimeout(res, 20));
  });

  it('lets Node end after a trial whose program left a child that ignores SIGTERM, and kills that child', async () => {
    const r = await run('leftover');
    expect(r).toMatchObject({ code: 0, stdout: 'value 0.25\n' });
    expect(r.pids).toHaveLength(1);
    while (alive(r.pids[0])) await new Promise((res) => setTimeout(res, 20));
  });
});
