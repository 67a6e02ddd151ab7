import { describe, it, expect } from '@jest/globals';
import { lastValueFrom, type Observable } from 'rxjs';
import { parseObjectiveOutput, readObjectiveOutput } from '../../src/node/internal/parseObjectiveOutput.js';
import { spaceFromJSON } from '../../src/node/internal/spaceFromFile.js';
import { programObjective } from '../../src/node/programObjective.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';

describe('parseObjectiveOutput', () => {
  const cases: [string, unknown][] = [
    ['0.5\n', 0.5],
    ['epoch 1\nloss 3\n-1.25e-3\n', -0.00125],
    ['12\nlog line after the value\n', 12],
    ['+7\n\n\n', 7],
    ['.5', 0.5],
    ['nan\n', NaN],
    ['-inf\n', -Infinity],
    ['Infinity\n', Infinity],
    ['{"value": 2.5}\n', 2.5],
    ['3\n{"value": 1, "state": {"epoch": 4}}\n', { value: 1, state: { epoch: 4 } }],
    ['{"value": 1}\n4\n', 4], // whichever comes last
    ['{"value": null}\n', NaN],
    ['{"loss": 1}\n', undefined],
    ['{"value": "1"}\n', undefined],
    ['loss: 0.3\n', undefined],
    ['0x10\n', undefined],
    ['1,5\n', undefined],
    ['', undefined],
    ['42\r\n', 42],
  ];
  it.each(cases)('reads %j as %p', (stdout, expected) => {
    expect(parseObjectiveOutput(stdout)).toEqual(expected);
  });

  it('reports a number or JSON value that overflows to Infinity (only "inf" means infinity), unless a later line holds the value', () => {
    expect(parseObjectiveOutput('1e999\n')).toEqual({ error: 'the number "1e999" (5 characters) overflows to Infinity' });
    expect(parseObjectiveOutput(`-${'9'.repeat(400)}\n`)).toMatchObject({ error: expect.stringMatching(/\(401 characters\) overflows to -Infinity$/) });
    expect(parseObjectiveOutput('{"value": 1e999}\n')).toMatchObject({ error: expect.stringMatching(/^the JSON line's value overflows to Infinity/) });
    expect(parseObjectiveOutput('1e999\n0.5\n')).toBe(0.5);
  });

  it('reads lines up to its limit whole, in chunks split anywhere; a longer line fails only if it may hold the value', () => {
    const reader = readObjectiveOutput(20);
    for (const chunk of ['lo', 'g\n{"value"', ': 2}\n', 'x'.repeat(30), '\n']) reader.write(chunk);
    expect(reader.result()).toBe(2); // the overlong log line after the value is skipped
    const long = readObjectiveOutput(20);
    long.write(`0.5\n${'7'.repeat(25)}`);
    expect(long.result()).toEqual({ error: 'line 2 of stdout is longer than 20 characters, the longest line read (it starts "7777777777777777777777777")' });
  });
});

describe('readObjectiveOutput: step lines', () => {
  it('hands each {"step", "value"} line over as its newline is read, and the last value line is the result', () => {
    const steps: unknown[] = [];
    const reader = readObjectiveOutput(undefined, (s) => steps.push(s));
    reader.write('epoch log\n{"step": 1, "value": 0.9}\n{"st');
    expect(steps).toEqual([{ step: 1, value: 0.9 }]);
    reader.write('ep": 2, "value": 0.7, "state": {"w": [1]}}\n{"step": 3, "value": null}');
    expect(steps).toEqual([
      { step: 1, value: 0.9 },
      { step: 2, value: 0.7, state: { w: [1] } },
    ]); // the third line has no newline yet
    expect(reader.result()).toBeNaN();
    expect(steps).toHaveLength(3);
    expect(reader.endedOnStep()).toBe(true);
  });

  it('lets a value line after the steps be the result, and ignores step lines without a numeric value', () => {
    const steps: unknown[] = [];
    const reader = readObjectiveOutput(undefined, (s) => steps.push(s));
    reader.write('{"step": 0, "value": 2}\n{"step": 1, "value": "x"}\n{"step": "one", "value": 5}\n0.25\n');
    expect(steps).toEqual([{ step: 0, value: 2 }]); // a non-numeric step is a plain value line
    expect(reader.result()).toBe(0.25);
    expect(reader.endedOnStep()).toBe(false);
  });

  it('fails a step value that overflows, unless a later line holds the value', () => {
    expect(parseObjectiveOutput('{"step": 1, "value": 1e999}\n')).toMatchObject({ error: expect.stringMatching(/overflows to Infinity/) });
    expect(parseObjectiveOutput('{"step": 1, "value": 1e999}\n{"step": 2, "value": 3}\n')).toBe(3);
  });
});

describe('spaceFromJSON (space files)', () => {
  it('turns arrays into candidate vectors and one-key objects into helpers', () => {
    const space = spaceFromJSON(
      JSON.stringify({
        a: [1, 'two', true],
        x: { linrange: [-5, 5, 11] },
        lr: { explinrange: [-4, -1, 4] },
        b2: { explinrange: [0, 3, 4, 2] },
        d: { uniform: [0, 0.5] },
        w: { logUniform: [1e-6, 1e-2] },
        n: { intUniform: [1, 8] },
      }),
    );
    expect(space).toEqual({
      a: [1, 'two', true],
      x: linrange(-5, 5, 11),
      lr: explinrange(-4, -1, 4),
      b2: [1, 2, 4, 8],
      d: { kind: 'uniform', lo: 0, hi: 0.5 },
      w: { kind: 'logUniform', lo: 1e-6, hi: 1e-2 },
      n: { kind: 'intUniform', lo: 1, hi: 8 },
    });
  });

  it('keeps a parameter named __proto__, as an own parameter', () => {
    const space = spaceFromJSON('{"__proto__": [1, 2], "x": {"linrange": [0, 1, 3]}}');
    expect(Object.keys(space)).toEqual(['__proto__', 'x']);
    expect(Object.getOwnPropertyDescriptor(space, '__proto__')?.value).toEqual([1, 2]);
    expect(Object.getPrototypeOf(space)).toBe(Object.prototype);
  });

  it.each([
    ['[1, 2]', 'space', /must be a JSON object of parameters/],
    ['{"a": 1}', 'space.a', /must be an array of candidates or one of/],
    ['{"a": {"uniform": [0, 1], "linrange": [0, 1, 2]}}', 'space.a', /must be an array of candidates/],
    ['{"a": {"uniform": [0]}}', 'space.a', /uniform takes 2 numbers, got \[0\]/],
    ['{"a": {"linrange": [0, 1, "3"]}}', 'space.a', /linrange takes 3 numbers/],
    ['{"a": {"logUniform": [0, 1]}}', 'space.a', /logUniform\(0, 1\)/],
    ['{"a": []}', 'space.a', /empty candidate vector/],
    ['{}', 'space', /at least one parameter/],
    ['{"a": [1,', 'space', /not valid JSON/],
    ['{"a": {"constructor": [1]}}', 'space.a', /must be an array of candidates or one of/],
    ['{"a": {"toString": []}}', 'space.a', /must be an array of candidates or one of/],
    ['{"a": {"hasOwnProperty": [0, 1]}}', 'space.a', /must be an array of candidates or one of/],
    ['{"a": {"linrange": [0, 1, 1e9]}}', 'space.a', /linrange\(0, 1, 1000000000\): .*must be at most/],
  ])('rejects %s with ArgumentError(%s)', (text, option, message) => {
    let error: unknown;
    try {
      spaceFromJSON(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  });
});

describe('programObjective', () => {
  it('checks its arguments', () => {
    expect(() => programObjective([])).toThrow(/`command` must be a non-empty array/);
    expect(() => programObjective(['python3', '{lr}'], { params: ['x'] })).toThrow(/placeholder \{lr\}, which names no parameter of the space \(x\)/);
    expect(() => programObjective(['node'], { timeoutMs: 0 })).toThrow(/`timeoutMs` must be a positive integer/);
  });

  it('substitutes values inside arguments, never through a shell', async () => {
    const echo = programObjective([
      process.execPath,
      '-e',
      'const a = process.argv.slice(1); console.log(a.length === 4 && a[0] === "--lr=0.001" && a[1] === "a b; rm -rf /" && a[2] === "$(echo pwned)" && a[3] === "{missing}" ? 1 : 0)',
      '--',
      '--lr={lr}',
      '{name}',
      '$(echo pwned)',
      '{missing}',
    ]);
    expect(await lastValueFrom(echo({ lr: 0.001, name: 'a b; rm -rf /' }, { i: 0, signal: new AbortController().signal }) as Observable<number>)).toBe(1);
  });

  it('kills the program when the trial is aborted', async () => {
    const controller = new AbortController();
    const objective = programObjective([process.execPath, '-e', 'console.log("started"); setInterval(() => {}, 1000)']);
    const result = lastValueFrom(objective({}, { i: 0, signal: controller.signal }) as Observable<number>);
    setTimeout(() => controller.abort(), 200);
    await expect(result).rejects.toThrow(/^cancelled:/);
  });
});
