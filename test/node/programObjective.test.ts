import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { programObjective } from '../../src/node/programObjective.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { alive } from '../helpers/alive.js';
import { lastValueFrom, type Observable } from 'rxjs';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-program-'));
const children = resolve('test/node/fixtures/children.mjs');
const started: number[] = [];
afterAll(() => {
  // Every pid a fixture wrote, also one written after its test looked.
  for (const pid of [...started, ...readdirSync(dir).map((f) => Number(f.split('.').pop()))]) if (pid > 0) kill(pid);
  rmSync(dir, { recursive: true, force: true });
});
const trial = () => ({ i: 0, signal: new AbortController().signal });
/** A program objective's Observable as the promise of its last value (the trial's value). */
const settled = (out: unknown) => lastValueFrom(out as Observable<unknown>);
const node = (code: string) => [process.execPath, '-e', code];

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}
/** The pids a fixture wrote as `${prefix}.${pid}` files. */
const pidsOf = (prefix: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}.`))
    .map((f) => Number(f.slice(prefix.length + 1)));
/** Polls until `pid` is gone; the test's timeout is the hang guard. */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
}

describe('programObjective: a trial is over when its program exits', () => {
  it('ends an aborted trial even though a grandchild in a group of its own holds stdout', async () => {
    const pidFile = join(dir, 'escaped');
    const objective = programObjective([process.execPath, children, 'escaped', pidFile], { killGraceMs: 200 });
    const controller = new AbortController();
    const result = settled(objective({}, { i: 0, signal: controller.signal }));
    result.catch(() => {});
    try {
      while (pidsOf('escaped').length === 0) await new Promise((r) => setTimeout(r, 20));
      controller.abort();
      await expect(result).rejects.toThrow(/^cancelled:/);
    } finally {
      started.push(...pidsOf('escaped'));
    }
    // The grandchild escaped the program's group and is still running: the trial did not wait for it.
    expect(alive(pidsOf('escaped')[0])).toBe(true);
  });

  it('ends a timed-out trial in the same case: the timeout bounds the whole trial', async () => {
    const pidFile = join(dir, 'escaped2');
    const objective = programObjective([process.execPath, children, 'escaped', pidFile], { timeoutMs: 1000, killGraceMs: 200 });
    try {
      await expect(settled(objective({}, trial()))).rejects.toThrow(/^timed out after 1s/);
    } finally {
      started.push(...pidsOf('escaped2'));
    }
  });

  it('records the value of a program that exited 0 while its child keeps stdout open, and stops that child', async () => {
    const pidFile = join(dir, 'leaves');
    const objective = programObjective([process.execPath, children, 'leaves-child', pidFile], { timeoutMs: 60_000, killGraceMs: 200 });
    try {
      expect(await settled(objective({}, trial()))).toBe(0.25);
    } finally {
      started.push(...pidsOf('leaves'));
    }
    const [child] = pidsOf('leaves');
    expect(child).toBeGreaterThan(0);
    await gone(child); // nothing the program started outlives its trial
  });
});

describe('programObjective: output', () => {
  it('reads a last line far over 64 KB whole (a JSON line with a big state)', async () => {
    const objective = programObjective(node('console.log("log"); console.log(JSON.stringify({ value: 1.5, state: "s".repeat(300000) }))'));
    const result = (await settled(objective({}, trial()))) as { value: number; state: string };
    expect(result.value).toBe(1.5);
    expect(result.state).toHaveLength(300000);
  });

  it('keeps the value when more than 64 KB of log lines follow it', async () => {
    const objective = programObjective(node('console.log("0.5"); for (let k = 0; k < 2000; k++) console.log("log line " + "x".repeat(100))'));
    expect(await settled(objective({}, trial()))).toBe(0.5);
  });

  it('fails a trial whose value line is longer than the limit (100 MB of digits), naming the limit, instead of reading Infinity', async () => {
    const objective = programObjective(node('const s = "9".repeat(1e6); for (let k = 0; k < 100; k++) process.stdout.write(s); process.stdout.write("\\n")'));
    await expect(settled(objective({}, trial()))).rejects.toThrow(/line 1 of stdout is longer than 16777216 characters, the longest line read \(it starts "9999/);
  });

  it('fails a trial whose number overflows to Infinity', async () => {
    const objective = programObjective(node('console.log("1" + "0".repeat(400))'));
    await expect(settled(objective({}, trial()))).rejects.toThrow(/printed an unusable value: the number "1000.*\(401 characters\) overflows to Infinity/);
  });
});

describe('programObjective: options', () => {
  const refuses = (options: object, option: string, message: RegExp) => {
    let error: unknown;
    try {
      programObjective(['node'], options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  };

  it('refuses timer delays of 2^31 ms or more (Node would fire them after 1 ms)', () => {
    refuses({ timeoutMs: 2 ** 31 }, 'timeoutMs', /must be at most 2147483647 ms/);
    refuses({ killGraceMs: 597 * 3_600_000 }, 'killGraceMs', /must be at most 2147483647 ms/);
    expect(() => programObjective(['node'], { timeoutMs: 2 ** 31 - 1, killGraceMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it('checks the type of every option, and refuses unknown ones', () => {
    refuses({ env: 5 }, 'env', /must be an object of strings/);
    refuses({ env: { A: 1 } }, 'env', /must be an object of strings/);
    refuses({ cwd: 5 }, 'cwd', /must be a directory path/);
    refuses({ params: 'lr' }, 'params', /must be an array of parameter names/);
    refuses({ timeOut: 5 }, 'options.timeOut', /is not a known option/);
    expect(() => programObjective(['node'], null as never)).toThrow(ArgumentError);
  });

  it('reports a missing working directory as such, not as a missing program', async () => {
    refuses({ cwd: join(dir, 'nowhere') }, 'cwd', /nowhere" cannot be used: ENOENT/);
    const later = join(dir, 'removed');
    mkdirSync(later);
    const objective = programObjective([process.execPath, '-e', 'console.log(1)'], { cwd: later });
    rmSync(later, { recursive: true });
    await expect(settled(objective({}, trial()))).rejects.toThrow(`its working directory ${later} does not exist`);
  });

  it('refuses braces around a parameter name that cannot be a placeholder ({a b}), and leaves other braces alone', () => {
    expect(() => programObjective(['prog', '--x={a b}'], { params: ['a b', 'c'] })).toThrow(/`command` has \{a b\}, which cannot be a placeholder/);
    expect(() => programObjective(['prog', '{ c }'], { params: ['a b', 'c'] })).toThrow(/`command` has \{ c \}, which cannot be a placeholder/);
    expect(() => programObjective(['awk', '{print $1}', '{c}'], { params: ['c'] })).not.toThrow();
  });
});
