import { describe, it, expect, beforeEach, afterAll, jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, toArray } from 'rxjs';
import { hyperopt } from '../../src/node/hyperopt.js';
import { journal } from '../../src/node/journal.js';
import { loadJournal } from '../../src/node/loadJournal.js';
import { readJournal } from '../../src/node/internal/journalFile.js';
import { hyperopt$ } from '../../src/run/hyperopt$.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { uniform } from '../../src/space/uniform.js';
import type { Trial } from '../../src/trial/Trial.js';

const runner = fileURLToPath(new URL('./fixtures/journalRunner.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-journal-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let file = '';
beforeEach(() => {
  file = join(dir, `run-${n++}.jsonl`);
});

const quiet = { progress: false } as const;
const runnerSpace = { x: linrange(-2, 2, 401), y: ['a', 'b', 'c'] };
const trialLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => 'i' in l);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls a condition on files (not a clock); the test's timeout is the hang guard. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}
const view = (t: Trial) => ({ i: t.i, params: t.params, value: t.value, status: t.status });

interface Outcome {
  ok: boolean;
  name?: string;
  option?: string;
  message?: string;
  trials?: number;
  evaluated: number;
}

/** Starts the fixture in its own Node process (optionally under a shell prefix such as a ulimit). */
function start(
  args: string[],
  shellPrefix?: string,
): { pid: number; kill: (signal: NodeJS.Signals) => void; done: Promise<{ outcome?: Outcome; signal: NodeJS.Signals | null; stderr: string }> } {
  const command = [process.execPath, '--import', 'tsx', runner, ...args];
  const child = shellPrefix
    ? spawn('/bin/sh', ['-c', `${shellPrefix} && exec "$0" "$@"`, ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ outcome?: Outcome; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (_code, signal) => resolve({ outcome: stdout.trim() === '' ? undefined : (JSON.parse(stdout.trim().split('\n').pop()!) as Outcome), signal, stderr })),
  );
  return { pid: child.pid!, kill: (signal) => child.kill(signal), done };
}

describe('journal: one writer at a time', () => {
  it('refuses a second process while the first holds the journal, naming the journal and the holder pid; nothing is written twice', async () => {
    const gate = `${file}.gate`;
    const first = start([file, '20', '2', gate]);
    // The first run holds the lock and waits in its objectives until the gate opens.
    await waitFor(() => existsSync(`${file}.lock`) && existsSync(file) && readFileSync(file, 'utf8').includes('\n'));
    const second = await start([file, '20', '2', '-']).done;
    expect(second.outcome).toMatchObject({ ok: false, name: 'ArgumentError', option: 'journal', evaluated: 0 });
    expect(second.outcome!.message).toContain(file);
    expect(second.outcome!.message).toContain(`in use by process ${first.pid}`);
    writeFileSync(gate, '');
    expect((await first.done).outcome).toEqual({ ok: true, trials: 20, evaluated: 20 });
    const lines = trialLines(file);
    expect(lines.map((l) => l.i).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(existsSync(`${file}.lock`)).toBe(false); // released at the end
  });

  it('two processes resuming a killed run at once: one resumes (the killed run’s lock is taken over), each evaluation is on disk once', async () => {
    const iterations = 100;
    const killed = start([file, String(iterations), '3', '-', '15']);
    await waitFor(() => existsSync(file) && trialLines(file).length >= 10);
    killed.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(existsSync(`${file}.lock`)).toBe(true); // left behind by the dead process
    const [a, b] = [start([file, String(iterations), '3', '-', '2']), start([file, String(iterations), '3', '-', '2'])];
    const outcomes = [(await a.done).outcome!, (await b.done).outcome!];
    // Each either finished the run, or was refused because the other held the journal.
    const pids = [b.pid, a.pid];
    outcomes.forEach((o, k) => {
      if (o.ok) expect(o.trials).toBe(iterations);
      else expect(o.message).toContain(`in use by process ${pids[k]}`);
    });
    expect(outcomes.some((o) => o.ok)).toBe(true);
    const lines = trialLines(file);
    expect(lines).toHaveLength(iterations);
    expect(new Set(lines.map((l) => l.i)).size).toBe(iterations);
    const ho = await loadJournal(file, { space: runnerSpace });
    expect(ho.trials).toHaveLength(iterations);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock whose process is gone; refuses one held by a live process (this one)', async () => {
    const space = { x: linrange(0, 1, 11) };
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: deadPid, hostname: (await import('node:os')).hostname() }));
    const ho = await hyperopt({ space, iterations: 3, journal: file, ...quiet }, ({ x }) => x);
    expect(ho.trials).toHaveLength(3);
    expect(existsSync(`${file}.lock`)).toBe(false);
    // Two runs in one process on one journal: the second is refused before any objective runs.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = hyperopt({ space, iterations: 5, journal: file, ...quiet }, async ({ x }) => (await gate, x));
    let calls = 0;
    const error = await hyperopt({ space, iterations: 5, journal: file, ...quiet }, ({ x }) => (calls++, x)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe('journal');
    expect((error as Error).message).toContain(`${file} is in use by process ${process.pid}`);
    // The journal() operator too.
    const piped = hyperopt$({ space, iterations: 2, ...quiet }, ({ x }) => x).pipe(journal(file, { space }));
    await expect(firstValueFrom(piped)).rejects.toThrow(`in use by process ${process.pid}`);
    expect(calls).toBe(0);
    release();
    expect((await running).trials).toHaveLength(5);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('keeps a trial written twice for one evaluation once, with a warning (a journal that two resumers wrote)', async () => {
    const space = { x: linrange(0, 1, 101) };
    const sampler = new RandomSampler({ seed: 3 });
    const whole = await hyperopt({ space, iterations: 6, sampler, journal: file, ...quiet }, ({ x }) => x);
    const text = readFileSync(file, 'utf8').split('\n');
    appendFileSync(file, `${text[2]}\n${text[4]}\n${text[2]}\n`); // trials 1 and 3 again, 1 twice
    const warnings: string[] = [];
    const back = await loadJournal(file, { space, onWarning: (m) => warnings.push(m) });
    expect(back.trials.map(view)).toEqual(whole.trials.map(view));
    expect(warnings).toEqual([expect.stringContaining('skipped 3 trial line(s) written twice')]);
    let calls = 0;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const resumed = await hyperopt({ space, iterations: 8, journal: file, ...quiet }, ({ x }) => (calls++, x));
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(warnings);
    warn.mockRestore();
    expect(resumed.trials.map((t) => t.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(calls).toBe(2);
  });
});

describe('journal: read as a stream', () => {
  // Multi-byte characters and a long line, so chunk boundaries fall inside characters and lines.
  const space = { s: ['é', '日本語', '🎲 dice', 'x'.repeat(300)], u: uniform(0, 1), n: linrange(0, 1, 5) };

  it('reads the same journal with any chunk size: lines and characters split across chunks', async () => {
    const ho = await hyperopt({ space, iterations: 40, sampler: new RandomSampler({ seed: 5 }), journal: file, ...quiet }, ({ u, n: v }) => u + v);
    const whole = readJournal(file, () => undefined)!;
    expect(whole.runs[0].trials).toHaveLength(40);
    expect(whole.validBytes).toBe(statSync(file).size);
    for (const chunkBytes of [1, 2, 3, 7, 64, 301, 4096]) {
      const read = readJournal(file, () => undefined, { chunkBytes })!;
      expect(read.runs).toEqual(whole.runs);
      expect(read.validBytes).toBe(whole.validBytes);
      expect(read.missingNewline).toBe(false);
    }
    expect((await loadJournal(file, { space })).trials.map(view)).toEqual(ho.trials.map(view));
  });

  it('a torn last line, read in small chunks: skipped with a warning, appending starts before it', async () => {
    await hyperopt({ space, iterations: 10, sampler: new RandomSampler({ seed: 6 }), journal: file, ...quiet }, ({ u }) => u);
    const size = statSync(file).size;
    appendFileSync(file, '{"i":10,"params":{"s":{"index":1},"u":0.5,"n":{"ind');
    for (const chunkBytes of [1, 5, 13, 1 << 20]) {
      const warnings: string[] = [];
      const read = readJournal(file, (m) => warnings.push(m), { chunkBytes })!;
      expect(read.runs[0].trials).toHaveLength(10);
      expect(read.validBytes).toBe(size);
      expect(warnings).toEqual([expect.stringMatching(/skipped the truncated last line 12/)]);
    }
    // A complete last line without its newline is kept; the next append adds the newline first.
    writeFileSync(file, readFileSync(file).subarray(0, size - 1));
    const read = readJournal(file, () => undefined, { chunkBytes: 3 })!;
    expect(read.runs[0].trials).toHaveLength(10);
    expect(read.missingNewline).toBe(true);
    const resumed = await hyperopt({ space, iterations: 12, journal: file, ...quiet }, ({ u }) => u);
    expect(resumed.trials.map((t) => t.i)).toEqual(Array.from({ length: 12 }, (_, k) => k));
    expect(trialLines(file)).toHaveLength(12);
  });

  it('an unreadable line that is not the last is an ArgumentError naming it, at any chunk size', async () => {
    await hyperopt({ space, iterations: 4, journal: file, ...quiet }, ({ u }) => u);
    const text = readFileSync(file, 'utf8').split('\n');
    text[2] = text[2].slice(0, 20);
    writeFileSync(file, text.join('\n'));
    for (const chunkBytes of [2, 1 << 20]) {
      expect(() => readJournal(file, () => undefined, { chunkBytes })).toThrow(/line 3 is not a JSON object/);
    }
  });

  it('tolerates record kinds it does not know (the extension point), handing them to onRecord', async () => {
    await hyperopt({ space, iterations: 3, journal: file, ...quiet }, ({ u }) => u);
    appendFileSync(file, '{"kind":"programs","pids":[123,456]}\n');
    const seen: unknown[] = [];
    const read = readJournal(file, () => undefined, { onRecord: (record, line) => seen.push([line, record]) })!;
    expect(read.runs[0].trials).toHaveLength(3);
    expect(seen).toEqual([[5, { kind: 'programs', pids: [123, 456] }]]);
    expect((await loadJournal(file, { space })).trials).toHaveLength(3);
    const resumed = await hyperopt({ space, iterations: 4, journal: file, ...quiet }, ({ u }) => u);
    expect(resumed.trials).toHaveLength(4);
  });
});

describe('journal: paths that are not files, and write errors', () => {
  const space = { x: linrange(0, 1, 11) };

  it('refuses a FIFO, a device and a directory with ArgumentError("journal"), before any objective runs and without hanging', async () => {
    const fifo = join(dir, `fifo-${n}`);
    execFileSync('mkfifo', [fifo]);
    let calls = 0;
    const g = ({ x }: { x: number }) => (calls++, x);
    for (const [path, kind] of [
      [fifo, 'a FIFO'],
      ['/dev/full', 'a device'],
      ['/dev/zero', 'a device'],
      [dir, 'a directory'],
    ] as const) {
      const error = await hyperopt({ space, iterations: 2, journal: path, ...quiet }, g).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).option).toBe('journal');
      expect((error as Error).message).toBe(`\`journal\` must be a regular file, but ${path} is ${kind}`);
      await expect(loadJournal(path)).rejects.toThrow(`${path} is ${kind}`);
      expect(existsSync(`${path}.lock`)).toBe(false);
    }
    await expect(firstValueFrom(hyperopt$({ space, iterations: 2, ...quiet }, g).pipe(journal(fifo, { space }), toArray()))).rejects.toThrow('is a FIFO');
    expect(calls).toBe(0);
  });

  it('a write error (the file size limit, as a full disk) rejects the run with the finished trials kept, not a hang', async () => {
    // RLIMIT_FSIZE makes write(2) fail with EFBIG past 64 blocks (32 or 64 KiB), as ENOSPC does on a full disk.
    const { outcome, signal } = await start([file, '3000', '2', '-'], 'ulimit -f 64').done;
    expect(signal).toBeNull();
    expect(outcome).toMatchObject({ ok: false, name: 'Error' });
    expect(outcome!.message).toMatch(new RegExp(`cannot write the journal ${file}: .*(EFBIG|ENOSPC)`));
    // Every trial that finished is in error.ho, the one whose line could not be written included.
    const onDisk = readJournal(file, () => undefined)!.runs[0].trials.length;
    expect(onDisk).toBeGreaterThan(0);
    expect(outcome!.trials).toBeGreaterThanOrEqual(onDisk + 1);
    expect(outcome!.trials).toBe(outcome!.evaluated);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('journal: options and contents checked', () => {
  const space = { x: linrange(0, 1, 11) };

  it('unknown journal options are ArgumentErrors', async () => {
    let calls = 0;
    const g = ({ x }: { x: number }) => (calls++, x);
    await expect(hyperopt({ space, iterations: 2, journal: { path: file, fsnyc: true } as never, ...quiet }, g)).rejects.toThrow(/`journal.fsnyc` is not a known option/);
    await expect(hyperopt({ space, iterations: 2, journal: { fsync: true } as never, ...quiet }, g)).rejects.toThrow(/`journal.path` must be a file path/);
    expect(() => journal(file, { space, fsnyc: true } as never)).toThrow(/`journal.fsnyc` is not a known option/);
    await hyperopt({ space, iterations: 2, journal: file, ...quiet }, ({ x }) => x);
    await expect(loadJournal(file, { spcae: space } as never)).rejects.toThrow(/`loadJournal.spcae` is not a known option/);
    await expect(loadJournal(file, null as never)).rejects.toThrow(ArgumentError);
    expect(calls).toBe(0);
  });

  it('refuses a trial index beyond MAX_TRIAL_INDEX or not an integer, naming the line, before any objective runs', async () => {
    await hyperopt({ space, iterations: 3, sampler: new RandomSampler({ seed: 1 }), journal: file, ...quiet }, ({ x }) => x);
    const good = readFileSync(file, 'utf8');
    let calls = 0;
    for (const i of ['1e15', String(2 ** 53 + 2), '-1', '1.5', '"7"']) {
      writeFileSync(file, `${good}{"i":${i},"params":{"x":{"index":1}},"value":1,"status":"ok","durationMs":0}\n`);
      await expect(loadJournal(file)).rejects.toThrow(new RegExp(`${file} line 5: .*\`i\``));
      const error = await hyperopt({ space, iterations: 10, journal: file, ...quiet }, ({ x }) => (calls++, x)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).option).toBe('journal');
      expect((error as Error).message).toContain('line 5');
    }
    expect(calls).toBe(0);
  });

  it('keeps a parameter named __proto__ through the journal, loadJournal and a resume', async () => {
    const space = JSON.parse('{"__proto__": [1, 2, 3], "x": [4, 5, 6]}') as { x: number[] };
    const f = (p: Record<string, number>) => p['__proto__'] * 10 + p.x;
    const sampler = new RandomSampler({ seed: 2 });
    const controller = new AbortController();
    let calls = 0;
    await hyperopt({ space, iterations: 8, sampler, journal: file, signal: controller.signal, ...quiet }, (p) => (++calls === 4 && controller.abort(), f(p)));
    for (const back of [await loadJournal(file, { space }), await loadJournal(file)]) {
      expect(back.trials).toHaveLength(3);
      for (const t of back.trials) {
        expect(Object.keys(t.params)).toEqual(['__proto__', 'x']);
        expect([1, 2, 3]).toContain((t.params as Record<string, number>)['__proto__']);
        expect(t.value).toBe(f(t.params as Record<string, number>));
      }
    }
    const resumed = await hyperopt({ space, iterations: 8, journal: file, ...quiet }, f);
    const whole = await hyperopt({ space, iterations: 8, sampler, ...quiet }, f);
    expect(resumed.trials.map(view)).toEqual(whole.trials.map(view));
    expect(Object.keys(resumed.trials[7].params)).toEqual(['__proto__', 'x']);
  });
});
