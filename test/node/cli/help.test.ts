import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FLAGS } from '../../../src/node/cli/runFlags.js';
import { WORKER_FLAGS } from '../../../src/node/cli/workerFlags.js';
import { cli, cliHere } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('hyperopt-rx help, version and messages', () => {
  it('--version prints the package version; run --help, run -h, worker --help and help exit 0 (a real process)', async () => {
    expect(await cli(['--version'], dir)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const run = await cli(['run', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: hyperopt-rx run --space FILE/);
    const worker = await cli(['worker', '--help'], dir);
    expect(worker.code).toBe(0);
    expect(worker.stdout).toMatch(/^Usage: hyperopt-rx worker --redis URL/);
  }, 60_000);

  it('lists every flag with its meaning and default, and the exit codes, within 80 columns', async () => {
    for (const [args, flags] of [
      [['run', '--help'], RUN_FLAGS],
      [['run', '-h', '--', 'python3', '-h'], RUN_FLAGS],
      [['help', 'run'], RUN_FLAGS],
      [['worker', '-h'], WORKER_FLAGS],
      [['help', 'worker'], WORKER_FLAGS],
    ] as const) {
      const r = await cliHere(args, dir);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      const text = r.stdout.replace(/\n {20,}/g, ' '); // a default moved to its own row
      for (const f of flags) {
        expect(text).toContain(`--${f.name}${f.value === undefined ? '' : ` ${f.value}`}`);
        expect(text).toContain(f.meaning);
        if (f.default !== undefined) expect(text).toContain(`(default: ${f.default})`);
      }
      expect(r.stdout).toMatch(/Exit codes:\n {2}0 /);
      for (const row of r.stdout.split('\n')) expect({ row, fits: row.length <= 80 }).toEqual({ row, fits: true });
    }
    const overview = await cliHere(['help'], dir);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/Commands:\n {2}run +tune a program[\s\S]*\n {2}worker +/);
    expect(overview.stdout).toMatch(/ 130 +interrupted/);
    // No command at all: the overview, as a usage error.
    const none = await cliHere([], dir);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Commands:');
  });

  it('suggests the closest command or flag for a misspelt one', async () => {
    writeFileSync(join(dir, 'space.json'), '{"x": [1, 2]}');
    const cases: [string[], RegExp][] = [
      [['runn'], /unknown command "runn" \(commands: run, worker.*\); did you mean run\?/],
      [['wroker'], /did you mean worker\?/],
      [['fly'], /unknown command "fly" \(commands: [^)]*\)\n/],
      [['help', 'rnu'], /no command "rnu" to help with .*; did you mean run\?/],
      [['run', '--spcae', 'space.json', '--iterations', '2', '--', 'echo', '{x}'], /unknown flag --spcae for run; did you mean --space\?/],
      [['run', '--space', 'space.json', '--iterations', '2', '--maximise', '--', 'echo', '{x}'], /unknown flag --maximise for run; did you mean --maximize\?/],
      [['run', '--space', 'space.json', '--iterations', '2', '--fail-exits', '--', 'echo', '{x}'], /did you mean --fail-exit\?/],
      [['run', '--space', 'space.json', '--iterations', '2', '--zzzzzzzz', '--', 'echo', '{x}'], /unknown flag --zzzzzzzz for run\n/],
      [['worker', '--modul', 'x.js'], /unknown flag --modul for worker; did you mean --module\?/],
    ];
    for (const [args, message] of cases) {
      const r = await cliHere(args, dir);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/Run "hyperopt-rx help( run| worker)?" for the flags\.\n$/);
    }
    // A flag of the program, after --, is the program's business.
    const r = await cliHere(
      ['run', '--space', 'space.json', '--iterations', '1', '--no-progress', '--', process.execPath, '-e', 'console.log(process.argv[1])', '{x}', '--spcae'],
      dir,
    );
    expect(r.code).toBe(0);
  });

  it('names the line and column of a JSON error in the space file', async () => {
    const cases: [string, RegExp][] = [
      ['{\n  "a": [1, 2,],\n  "b": [1]\n}\n', /is not valid JSON: line 2, column 14: value expected at "\]"/],
      ['{\n  "a": [1 2]\n}\n', /is not valid JSON: line 2, column 11: comma expected at "2"/],
      ['{\n  "a": [1, 2]\n', /is not valid JSON: line 3, column 1: close brace expected \(at the end\)/],
      ['{\n  // lr\n  "a": [1]\n}', /is not valid JSON: line 2, column 3: invalid comment token/],
      ['{ "a": [1], "b": "x }', /is not valid JSON: line 1, column 18: /],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(dir, 'bad.json'), text);
      const r = await cliHere(['run', '--space', 'bad.json', '--iterations', '1', '--', 'echo', '1'], dir);
      expect({ text, code: r.code }).toEqual({ text, code: 2 });
      expect(r.stderr).toMatch(/`space \(bad\.json\)` /);
      expect(r.stderr).toMatch(message);
    }
  });
});
