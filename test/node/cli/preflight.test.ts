import { describe, it, expect, afterAll } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cli, cliHere, journalLines } from './runCli.js';
import { itIf } from '../../helpers/requires.js';
import { PYTHON, pythonAvailable } from '../../helpers/externals.js';

// Before trial 0: a program that cannot start, warnings about the command, and the journal's record of the command.
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'space.json'), JSON.stringify({ x: { uniform: [0, 1] }, depth: [2, 4, 8] }));
const echo = join(dir, 'echo-x.sh');
writeFileSync(echo, '#!/bin/sh\necho "$1"\n');
chmodSync(echo, 0o755);

describe('hyperopt-rx run before trial 0', () => {
  it('refuses a program that cannot be started (exit 2), with the closest name on PATH, and writes no journal', async () => {
    // A program of our own on PATH, so the suggestion does not depend on the machine's.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'trainmodel'), '#!/bin/sh\necho 1\n');
    chmodSync(join(bin, 'trainmodel'), 0o755);
    const journal = join(dir, 'typo.jsonl');
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const typo = await cli(['run', '--space', 'space.json', '--iterations', '200', '--journal', journal, '--', 'trainmdoel', '{x}', '{depth}'], dir, env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/cannot start the program trainmdoel: not found on PATH; did you mean trainmodel\?/);
    expect(existsSync(journal)).toBe(false);
    // The fixed command then runs: nothing was recorded that would stand in its way.
    const fixed = await cli(['run', '--space', 'space.json', '--iterations', '2', '--journal', journal, '--no-progress', '--', 'trainmodel', '{x}', '{depth}'], dir, env);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('2 trials (2 ok, 0 failed)');

    writeFileSync(join(dir, 'plain.sh'), '#!/bin/sh\necho 1\n'); // not executable
    writeFileSync(join(dir, 'train.py'), 'import sys\nprint(sys.argv[1])\n');
    const cases: [string[], RegExp][] = [
      [['./missing.sh', '{x}', '{depth}'], /cannot start the program \.\/missing\.sh: no such file/],
      [['./plain.sh', '{x}', '{depth}'], /cannot start the program \.\/plain\.sh: not executable \(chmod \+x \.\/plain\.sh, or name its interpreter first/],
      [[dir, '{x}', '{depth}'], /cannot start the program .*: not a file/],
      [['no-such-program-anywhere', '{x}', '{depth}'], /cannot start the program no-such-program-anywhere: not found on PATH\n/],
      [['echo', '{x}', '{depht}'], /placeholder \{depht\}, which names no parameter of the space \(x, depth\)/],
      // An interpreter's script that does not exist would fail every trial the same way.
      [[process.execPath, 'sub/missing.mjs', '{x}', '{depth}'], /cannot run .*node sub\/missing\.mjs: no such file\n/],
    ];
    for (const [program, message] of cases) {
      const r = await cliHere(['run', '--space', 'space.json', '--iterations', '3', '--journal', 'never.jsonl', '--', ...program], dir);
      expect({ program, code: r.code }).toEqual({ program, code: 2 });
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
    // Code on the command line names no script; an existing script runs.
    for (const program of [
      [process.execPath, '-e', 'console.log(process.argv[2])', 'x.py'],
      [process.execPath, '-e', 'console.log(process.argv[1])'],
    ]) {
      const r = await cliHere(['run', '--space', 'space.json', '--iterations', '1', '--no-progress', '--', ...program, '{x}', '{depth}'], dir);
      expect({ program, code: r.code }).toEqual({ program, code: 0 });
    }
  }, 60_000);

  itIf(pythonAvailable, 'Python at /usr/bin/python3', 'apt-get install python3')(
    'refuses a missing Python script with the closest name in its folder, and runs the one that exists',
    async () => {
      writeFileSync(join(dir, 'train.py'), 'import sys\nprint(sys.argv[1])\n');
      const typo = await cliHere(['run', '--space', 'space.json', '--iterations', '3', '--journal', 'never-py.jsonl', '--', PYTHON, '-u', 'trian.py', '{x}', '{depth}'], dir);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/cannot run \/usr\/bin\/python3 trian\.py: no such file; did you mean train\.py\?/);
      expect(existsSync(join(dir, 'never-py.jsonl'))).toBe(false);
      const r = await cliHere(['run', '--space', 'space.json', '--iterations', '1', '--no-progress', '--', PYTHON, 'train.py', '{x}', '{depth}'], dir);
      expect(r.code).toBe(0);
    },
    60_000,
  );

  it('warns about space parameters no placeholder uses, and about --hyperband without {resources}', async () => {
    const unused = await cliHere(['run', '--space', 'space.json', '--iterations', '2', '--no-progress', '--', echo, '{x}'], dir);
    expect(unused.code).toBe(0);
    expect(unused.stderr).toMatch(/warning: space parameter depth is in no argument of the program \(\{depth\}\): sampled, but the program never sees it/);
    const hyperband = await cliHere(['run', '--space', 'space.json', '--hyperband', '3', '--no-progress', '--', echo, '{x}', '{depth}'], dir);
    expect(hyperband.code).toBe(0);
    expect(hyperband.stderr).toMatch(/warning: --hyperband without \{resources\} in the program's arguments: every evaluation gets the same budget/);
    expect(hyperband.stderr).not.toMatch(/space parameter/);
    const clean = await cliHere(['run', '--space', 'space.json', '--hyperband', '3', '--no-progress', '--', echo, '{x}', '{depth}', '{resources}'], dir);
    expect(clean.code).toBe(0);
    expect(clean.stderr).not.toMatch(/warning/);
  }, 60_000);

  it('records the command in the journal and refuses to resume it with another program or sampler, unless --force-resume', async () => {
    const journal = join(dir, 'command.jsonl');
    const flags = ['run', '--space', 'space.json', '--journal', journal, '--seed', '5', '--no-progress'];
    const first = await cliHere([...flags, '--iterations', '3', '--', echo, '{x}', '{depth}'], dir);
    expect(first.code).toBe(0);
    const [record] = journalLines(readFileSync(journal, 'utf8')).filter((l) => l.kind === 'command');
    expect(record).toMatchObject({ kind: 'command', program: [echo, '{x}', '{depth}'], space: 'space.json', sampler: 'random', direction: 'minimize' });
    const before = readFileSync(journal, 'utf8');

    const otherProgram = await cliHere([...flags, '--iterations', '5', '--', process.execPath, '-e', 'console.log(process.argv[1])', '{x}', '{depth}'], dir);
    expect(otherProgram.code).toBe(2);
    expect(otherProgram.stderr).toContain(`${journal} was written by another command: the program was\n    ${echo} {x} {depth}\n  and is now\n    ${process.execPath} -e`);
    expect(otherProgram.stderr).toMatch(/--force-resume to go on with this one on purpose/);
    const otherSampler = await cliHere([...flags, '--iterations', '5', '--sampler', 'bohb', '--', echo, '{x}', '{depth}'], dir);
    expect(otherSampler.code).toBe(2);
    expect(otherSampler.stderr).toMatch(/the sampler was random and is now bohb/);
    const otherDirection = await cliHere([...flags, '--iterations', '5', '--maximize', '--', echo, '{x}', '{depth}'], dir);
    expect(otherDirection.code).toBe(2);
    expect(otherDirection.stderr).toMatch(/direction was minimize and is now maximize/);
    expect(readFileSync(journal, 'utf8')).toBe(before); // refused runs wrote nothing

    // The same command resumes; --force-resume goes on with another one, and says so.
    const same = await cliHere([...flags, '--iterations', '4', '--', echo, '{x}', '{depth}'], dir);
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/resuming 3 trials from/);
    const forced = await cliHere([...flags, '--iterations', '5', '--force-resume', '--', process.execPath, '-e', 'console.log(process.argv[1])', '{x}', '{depth}'], dir);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/warning: --force-resume: .* was written by another command/);
    const lines = journalLines(readFileSync(journal, 'utf8'));
    expect(lines.filter((l) => 'i' in l)).toHaveLength(5);
    expect(lines.filter((l) => l.kind === 'command').map((l) => (l.program as string[])[0])).toEqual([echo, echo, process.execPath]);
  }, 60_000);
});
