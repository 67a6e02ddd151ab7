import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { main } from '../../src/node/cli.js';
import { candidates } from '../../src/operators/candidates.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { linrange } from '../../src/space/linrange.js';
import { alive } from '../helpers/alive.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = resolve('bin/hyperopt-rx.js');
const program = resolve('test/node/fixtures/program.mjs');
const children = resolve('test/node/fixtures/children.mjs');
const modes = ['ok', 'json', 'garbage', 'hang', 'crash'];
const xs = linrange(0, 1, 11);
const spaceFile = join(dir, 'space.json');
writeFileSync(spaceFile, JSON.stringify({ mode: modes, x: { linrange: [0, 1, 11] } }));

/** The CLI as a user runs it: a real process, through the package's bin. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The CLI in this process (same code path after argv): quicker for flag errors. */
async function cliHere(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const trialsOf = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"i"'))
    .map((l) => JSON.parse(l) as { i: number; params: { mode: { index: number }; x: { index: number } }; value: number | null; status: string; error?: string });

describe('hyperopt-rx run (end to end)', () => {
  it('runs a program per trial: numbers and JSON lines count, garbage, crashes and timeouts fail the trial only', async () => {
    const iterations = 10;
    // A seed whose first draws hit every mode, found with the sampler itself (not hard-coded).
    let seed = 0;
    const space = { mode: modes, x: linrange(0, 1, 11) };
    for (; ; seed++) {
      const drawn = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations }).pipe(toArray()));
      if (modes.every((m) => drawn.some((c) => c.params.mode === m)) && drawn.filter((c) => c.params.mode === 'hang').length <= 2) break;
    }
    const journal = join(dir, 'e2e.jsonl');
    const plotFile = join(dir, 'e2e.svg');
    const pidFile = join(dir, 'hang');
    const { code, stdout, stderr } = await cli([
      'run',
      '--space',
      spaceFile,
      '--iterations',
      String(iterations),
      '--concurrency',
      '3',
      '--seed',
      String(seed),
      '--timeout',
      '1500ms',
      '--journal',
      journal,
      '--plot',
      plotFile,
      '--no-progress',
      '--',
      process.execPath,
      program,
      '{mode}',
      '{x}',
      pidFile,
    ]);
    expect(stderr).toContain(`wrote ${plotFile}`);
    expect(code).toBe(0);
    const trials = trialsOf(journal);
    expect(trials).toHaveLength(iterations);
    for (const t of trials) {
      const mode = modes[t.params.mode.index];
      const expected = (xs[t.params.x.index] - 0.3) ** 2;
      if (mode === 'ok' || mode === 'json') {
        expect(t.status).toBe('ok');
        expect(t.value).toBeCloseTo(expected, 12);
      } else {
        expect(t.status).toBe('failed');
        expect(t.value).toBeNull();
        if (mode === 'garbage') expect(t.error).toMatch(/printed no number, no \{"value": \.\.\.\}.* line on stdout \(last line: "something went sideways"\)/);
        if (mode === 'hang') expect(t.error).toMatch(/^timed out after 1500ms/);
        if (mode === 'crash') expect(t.error).toMatch(/exited with code 3[\s\S]*Traceback: out of memory/);
      }
    }
    // The timed-out programs were killed, not left running.
    const pids = readdirSync(dir)
      .filter((f) => f.startsWith('hang.'))
      .map((f) => Number(f.slice('hang.'.length)));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    // It prints the best parameters.
    const best = trials.filter((t) => t.status === 'ok').sort((a, b) => a.value! - b.value!)[0];
    expect(stdout).toContain(`${iterations} trials (`);
    expect(stdout).toContain(`best value: ${best.value} (trial ${best.i})`);
    expect(stdout).toContain(`mode = ${modes[best.params.mode.index]}\nx = ${xs[best.params.x.index]}\n`);
    expect(readFileSync(plotFile, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);

    // Run again with more iterations: it resumes (same seed from the journal), nothing runs twice.
    const again = await cliHere([
      'run',
      '--space',
      spaceFile,
      '--iterations',
      String(iterations + 3),
      '--timeout',
      '1500ms',
      '--journal',
      journal,
      '--no-progress',
      '--',
      process.execPath,
      program,
      '{mode}',
      '{x}',
      pidFile,
    ]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`resuming ${iterations} trials from ${journal} \\(best so far ${Number(best.value!.toPrecision(6))}, trial ${best.i}\\)`));
    const all = trialsOf(journal).sort((a, b) => a.i - b.i); // finishing order on disk
    expect(all.map((t) => t.i)).toEqual(Array.from({ length: iterations + 3 }, (_, k) => k));
    const oneRun = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations: iterations + 3 }).pipe(toArray()));
    expect(all.map((t) => modes[t.params.mode.index])).toEqual(oneRun.map((c) => c.params.mode));
  });

  it('exits 1 when no trial produced a value', async () => {
    writeFileSync(join(dir, 'garbage.json'), JSON.stringify({ mode: ['garbage', 'crash'] }));
    // A Latin hypercube of 2 draws each of the 2 modes once (random draws left it to chance).
    const { code, stderr } = await cli(['run', '--space', 'garbage.json', '--iterations', '2', '--sampler', 'lhs', '--', process.execPath, program, '{mode}', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no trial produced a value/);
    // The failures are summed up: how many, each reason, and the stderr of one.
    expect(stderr).toContain('2 of 2 trials failed; most common reasons:\n');
    expect(stderr).toMatch(/^ +1 × exited with code 3$/m);
    expect(stderr).toMatch(/^ +1 × printed no number/m);
    expect(stderr).toMatch(/for example, trial \d failed: exited with code 3: .*program\.mjs crash 0\n {4}Traceback: out of memory\n/);
  });

  it('exits 2 with a message naming the problem for bad flags and bad space files', async () => {
    const bad = await cli(['run', '--space', 'missing.json', '--iterations', '3', '--', 'echo', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/`space` file cannot be read: ENOENT/);
    const cases: [string[], RegExp, object?][] = [
      [['run', '--iterations', '3', '--', 'echo'], /--space is required/],
      [['run', '--space', spaceFile, '--', 'echo'], /--iterations is required/],
      [['run', '--space', spaceFile, '--iterations', '2.5', '--', 'echo'], /--iterations must be a positive integer, got "2.5"/],
      [['run', '--space', spaceFile, '--iterations', '3'], /no program to run: put it after --/],
      [['run', '--space', spaceFile, '--iterations', '3', '--concurrency', '0', '--', 'echo'], /--concurrency must be a positive integer/],
      [['run', '--space', spaceFile, '--iterations', '3', '--timeout', 'soon', '--', 'echo'], /--timeout must be a duration/],
      [['run', '--space', spaceFile, '--iterations', '3', '--sampler', 'grid', '--', 'echo'], /--sampler must be random, lhs, clhs, bohb or gp \(.*\), got "grid"\n/],
      [['run', '--space', spaceFile, '--iterations', '3', '--hyperband', '0,3', '--', 'echo'], /--hyperband must be MAX or MAX,eta/],
      [['run', '--space', spaceFile, '--iterations', '3', '--frobnicate', '--', 'echo'], /unknown flag --frobnicate for run\n/],
      [['run', '--space', spaceFile, '--iteratons', '3', '--', 'echo'], /unknown flag --iteratons for run; did you mean --iterations\?/],
      [['run', '--space', spaceFile, '--iterations', '3', '--concurency=2', '--', 'echo'], /unknown flag --concurency for run; did you mean --concurrency\?/],
      [['rnu'], /unknown command "rnu" \(commands: run, worker.*\); did you mean run\?/],
      [['worker', '--reddis', 'redis://x'], /unknown flag --reddis for worker; did you mean --redis\?/],
      [['run', '--space', spaceFile, '--iterations', '3', '--', 'echo', '{depth}'], /placeholder \{depth\}, which names no parameter of the space \(mode, x\)/],
      [['run', '--space', spaceFile, '--iterations', '3', '--', 'echo', '{resources}'], /\{resources\} is only set under --hyperband/],
      [['fly'], /unknown command "fly"/],
      [['run', '--space', 'notjson.json', '--iterations', '3', '--', 'echo'], /`space \(notjson.json\)` is not valid JSON/, { 'notjson.json': '{ "a": [1, 2' }],
      [
        ['run', '--space', 'range.json', '--iterations', '3', '--', 'echo'],
        /`space.lr` must be an array of candidates or one of/,
        { 'range.json': '{ "lr": { "logrange": [1, 2] } }' },
      ],
      [['run', '--space', 'empty.json', '--iterations', '3', '--', 'echo'], /`space.a` is an empty candidate vector/, { 'empty.json': '{ "a": [] }' }],
      [['run', '--space', 'bounds.json', '--iterations', '3', '--', 'echo'], /`space.d` uniform\(1, 0\)/, { 'bounds.json': '{ "d": { "uniform": [1, 0] } }' }],
      [
        ['run', '--space', spaceFile, '--iterations', '3', '--timeout', '597h', '--', 'echo'],
        /--timeout must be at most 2147483647ms \(about 596h, the longest timer delay\), got "597h"/,
      ],
      [
        ['run', '--space', 'ctor.json', '--iterations', '3', '--', 'echo'],
        /`space.a` must be an array of candidates or one of .*got \{"constructor":\[1\]\}/,
        { 'ctor.json': '{ "a": { "constructor": [1] } }' },
      ],
      [
        ['run', '--space', 'tostring.json', '--iterations', '3', '--', 'echo'],
        /`space.a` must be an array of candidates or one of .*got \{"toString":\[\]\}/,
        { 'tostring.json': '{ "a": { "toString": [] } }' },
      ],
      [
        ['run', '--space', 'huge.json', '--iterations', '3', '--', 'echo'],
        /`space.a` linrange\(0, 1, 1000000000\): .*must be at most/,
        { 'huge.json': '{ "a": { "linrange": [0, 1, 1e9] } }' },
      ],
      [
        ['run', '--space', 'ab.json', '--iterations', '3', '--', 'echo', '--a={a b}'],
        /`command` has \{a b\}, which cannot be a placeholder/,
        { 'ab.json': '{ "a b": [1, 2] }' },
      ],
    ];
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const [args, message, files] of cases) {
        for (const [name, text] of Object.entries(files ?? {})) writeFileSync(join(dir, name), text as string);
        const r = await cliHere(args);
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.stderr).toMatch(message);
      }
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
  });

  it('on SIGINT stops the programs in flight, keeps what finished, prints the best and exits 130', async () => {
    writeFileSync(join(dir, 'slow.json'), JSON.stringify({ mode: ['slow'], x: { linrange: [0, 1, 11] } }));
    const journal = join(dir, 'interrupted.jsonl');
    const pidFile = join(dir, 'slow');
    const child = spawn(
      process.execPath,
      [
        bin,
        'run',
        '--space',
        'slow.json',
        '--iterations',
        '50',
        '--concurrency',
        '2',
        '--journal',
        journal,
        '--no-progress',
        '--',
        process.execPath,
        program,
        '{mode}',
        '{x}',
        pidFile,
      ],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    // Interrupt once two trials are on disk (polling the journal, not a clock).
    while (!existsSync(journal) || trialsOf(journal).length < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toContain('interrupted, stopping the trials in flight');
    const done = trialsOf(journal);
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(50);
    expect(stdout).toContain(`${done.length} trials (${done.length} ok, 0 failed)`);
    expect(stdout).toMatch(/best value: /);
    // Every program it started is gone: the ones in flight were stopped, not orphaned.
    const pids = readdirSync(dir)
      .filter((f) => f.startsWith('slow.'))
      .map((f) => Number(f.slice('slow.'.length)));
    expect(pids.length).toBeGreaterThan(done.length);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('on a second SIGINT quits at once and kills the programs in flight, even those that ignore SIGTERM', async () => {
    writeFileSync(join(dir, 'stubborn.json'), JSON.stringify({ x: [1, 2, 3] }));
    const pidFile = join(dir, 'stubborn');
    const child = spawn(
      process.execPath,
      [bin, 'run', '--space', 'stubborn.json', '--iterations', '10', '--concurrency', '2', '--no-progress', '--', process.execPath, children, 'stubborn', pidFile, '{x}'],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const stubborn = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('stubborn.'))
        .map((f) => Number(f.slice('stubborn.'.length)));
    while (stubborn().length < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    while (!stderr.includes('interrupted')) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    // 130 whichever Ctrl-C ended it: an interrupted run exits 130 even when no trial produced a value.
    expect(await closed).toBe(130);
    // Polled, with the test's timeout as the hang guard: they were SIGKILLed as the CLI exited.
    for (const pid of stubborn()) while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
  });

  // The journal names programs by pid and start time from /proc: Linux only.
  (existsSync('/proc/self/stat') ? it : it.skip)('after a kill -9, the resumed run first stops the programs the killed one left running', async () => {
    writeFileSync(join(dir, 'stubborn.json'), JSON.stringify({ x: [1, 2, 3] }));
    const journal = join(dir, 'kill9.jsonl');
    const pidFile = join(dir, 'left');
    const flags = ['run', '--space', 'stubborn.json', '--iterations', '4', '--concurrency', '2', '--journal', journal, '--no-progress', '--force-resume', '--'];
    const child = spawn(process.execPath, [bin, ...flags, process.execPath, children, 'stubborn', pidFile, '{x}'], { cwd: dir, stdio: 'ignore' });
    const killed = new Promise((done) => child.on('close', done));
    const left = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('left.'))
        .map((f) => Number(f.slice('left.'.length)));
    const recorded = () =>
      readFileSync(journal, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"kind":"programs"'))
        .map((l) => (JSON.parse(l) as { running: { pid: number }[] }).running.map((p) => p.pid));
    // Both programs started and recorded in the journal (polled, not timed).
    while (left().length < 2 || !existsSync(journal) || (recorded().pop() ?? []).length < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await killed;
    const orphans = left();
    expect(orphans.every(alive)).toBe(true); // nothing could stop them: the CLI died at once
    expect(recorded().pop()!.sort()).toEqual([...orphans].sort());
    const resumed = await cli([...flags, process.execPath, '-e', 'console.log(1)']);
    expect(resumed.stderr).toContain(`stopped 2 programs that an earlier run of ${journal} left running`);
    expect(resumed.code).toBe(0);
    for (const pid of orphans) while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
    // The resumed run recorded its own programs, and at the end that none is left.
    expect(recorded().pop()).toEqual([]);
  });

  it('on SIGHUP (the terminal closed) stops the programs in flight like Ctrl-C, instead of dying and orphaning them', async () => {
    writeFileSync(join(dir, 'slow.json'), JSON.stringify({ mode: ['hang'], x: [0] }));
    const pidFile = join(dir, 'hup');
    const child = spawn(
      process.execPath,
      [bin, 'run', '--space', 'slow.json', '--iterations', '5', '--concurrency', '2', '--no-progress', '--', process.execPath, program, '{mode}', '{x}', pidFile],
      { cwd: dir, stdio: 'ignore' },
    );
    const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const hung = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('hup.'))
        .map((f) => Number(f.slice('hup.'.length)));
    while (hung().length < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGHUP');
    expect(await closed).toBe(130); // interrupted, though no trial produced a value
    for (const pid of hung()) expect(alive(pid)).toBe(false);
  });

  it('keeps a parameter named __proto__ of a space file', async () => {
    writeFileSync(join(dir, 'proto.json'), '{"__proto__": [0.5], "x": [0.25]}');
    const r = await cli([
      'run',
      '--space',
      'proto.json',
      '--iterations',
      '2',
      '--no-progress',
      '--',
      process.execPath,
      '-e',
      'console.log(Number(process.argv[1]) + Number(process.argv[2]))',
      '{__proto__}',
      '{x}',
    ]);
    expect(r.stdout).toContain('best value: 0.75 (trial 0)\n__proto__ = 0.5\nx = 0.25\n');
    expect(r.code).toBe(0);
  });

  it('dispatches the worker command', async () => {
    const r = await cliHere(['worker']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--redis` is required/);
  });

  it('runs Hyperband with {resources}, and a run killed mid-bracket resumes from its journal without re-running evaluations', async () => {
    writeFileSync(join(dir, 'hb.json'), JSON.stringify({ x: { linrange: [0, 1, 21] } }));
    const journal = join(dir, 'hb.jsonl');
    const log = join(dir, 'hb.log');
    const budget = resolve('test/node/fixtures/budget.mjs');
    const args = [
      'run',
      '--space',
      'hb.json',
      '--hyperband',
      '9,3',
      '--concurrency',
      '2',
      '--journal',
      journal,
      '--no-progress',
      '--',
      process.execPath,
      budget,
      '{x}',
      '{resources}',
      log,
    ];
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: 'ignore' });
    const killed = new Promise((done) => child.on('close', done));
    // Kill -9 once the first bracket's first rung (9 evaluations) is on disk.
    while (!existsSync(journal) || trialsOf(journal).length < 10) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await killed;
    const before = trialsOf(journal).length;
    expect(before).toBeLessThan(22);
    const { code, stdout } = await cli(args);
    expect(code).toBe(0);
    const trials = trialsOf(journal) as unknown as { i: number; resources: number; bracket: number; rung: number; status: string }[];
    // R = 9, eta = 3: 22 evaluations, each once, budgets 1, 3 and 9.
    expect(trials).toHaveLength(22);
    expect(new Set(trials.map((t) => `${t.i}@${t.resources}`)).size).toBe(22);
    expect([...new Set(trials.map((t) => t.resources))].sort((a, b) => a - b)).toEqual([1, 3, 9]);
    expect(trials.every((t) => t.status === 'ok')).toBe(true);
    // The program saw {resources}; only evaluations lost in flight (at most 2) ran twice.
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.every((c) => /^[\d.]+ (1|3|9)$/.test(c))).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(22);
    expect(calls.length).toBeLessThanOrEqual(22 + 2);
    expect(stdout).toMatch(/best value: [\d.]+ \(trial \d+, resources \d\)/);
  });

  it('loads the bohb sampler (lhs loads the same way; its plan optimization is slow for a test)', async () => {
    for (const sampler of ['bohb']) {
      const r = await cliHere([
        'run',
        '--space',
        spaceFile,
        '--iterations',
        '5',
        '--sampler',
        sampler,
        '--seed',
        '3',
        '--no-progress',
        '--',
        process.execPath,
        program,
        'ok',
        '{x}',
      ]);
      expect({ sampler, code: r.code }).toEqual({ sampler, code: 0 });
      expect(r.stdout).toContain('5 trials (5 ok, 0 failed)');
    }
  });

  it("--sampler gp: a seeded Gaussian-process run of the program, recorded as GPSampler, resumed with it; serve's spellings work too", async () => {
    const gpSpace = join(dir, 'gp-space.json'); // absolute: cliHere runs from this process's folder
    writeFileSync(gpSpace, JSON.stringify({ x: { uniform: [0, 1] } }));
    const journal = join(dir, 'gp.jsonl');
    const args = (sampler: string, path: string, iterations: number) => [
      'run',
      '--space',
      gpSpace,
      '--iterations',
      String(iterations),
      '--sampler',
      sampler,
      '--seed',
      '7',
      '--journal',
      path,
      '--no-progress',
      '--',
      process.execPath,
      program,
      'ok',
      '{x}',
    ];
    const r = await cli(args('gp', journal, 12));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('12 trials (12 ok, 0 failed)');
    const lines = readFileSync(journal, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0].sampler).toMatchObject({ name: 'GPSampler', seed: 7 });
    expect(lines.find((l) => l.kind === 'command')).toMatchObject({ sampler: 'gp' });
    const xsOf = (path: string) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"i"'))
        .map((l) => JSON.parse(l) as { i: number; params: { x: number }; value: number })
        .sort((a, b) => a.i - b.i);
    const trials = xsOf(journal);
    expect(trials).toHaveLength(12);
    for (const t of trials) expect(t.value).toBeCloseTo((t.params.x - 0.3) ** 2, 12);
    // The same seed under another spelling (as serve --sampler takes it) draws the same points.
    const again = join(dir, 'gp-again.jsonl');
    const spelt = await cliHere(args('GPSampler', again, 12));
    expect(spelt.code).toBe(0);
    expect(xsOf(again).map((t) => t.params.x)).toEqual(trials.map((t) => t.params.x));
    // The journal resumes with the same sampler: its command record matches, so no refusal.
    const resumed = await cliHere(args('gp', journal, 13));
    expect(resumed.stderr).toContain(`resuming 12 trials from ${journal}`);
    expect(resumed.code).toBe(0);
    expect(xsOf(journal)).toHaveLength(13);
  }, 180_000);

  it('--sampler with an unknown name exits 2 before anything runs, listing the names and the closest one', async () => {
    const journal = join(dir, 'bad-sampler.jsonl');
    const r = await cli(['run', '--space', spaceFile, '--iterations', '3', '--sampler', 'gpp', '--journal', journal, '--', process.execPath, program, 'ok', '{x}']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('hyperopt-rx: --sampler must be random, lhs, clhs, bohb or gp (');
    expect(r.stderr).toMatch(/, got "gpp"; did you mean gp\?\n/);
    expect(existsSync(journal)).toBe(false);
    // Hyperband is a flag of its own, not a sampler name.
    const hb = await cliHere(['run', '--space', spaceFile, '--iterations', '3', '--sampler', 'hyperband', '--', process.execPath, program, 'ok', '{x}']);
    expect(hb.code).toBe(2);
    expect(hb.stderr).toMatch(/--sampler cannot be Hyperband: use --hyperband MAX\[,eta\]/);
  });
});
