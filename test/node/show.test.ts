import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { candidates } from '../../src/operators/candidates.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { linrange } from '../../src/space/linrange.js';
import { cli, journalLines } from './cli/runCli.js';

// hyperopt-rx show on journals that the real CLI wrote, running a real program (test/node/fixtures/showProgram.mjs).
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-show-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const program = resolve('test/node/fixtures/showProgram.mjs');
/** A categorical value with a comma and a double quote: CSV must quote it. */
const NESTEROV = 'sgd, "nesterov"';
const opts = ['adam', NESTEROV, 'crash'];
const xs = linrange(0, 1, 11);
const iterations = 12;
/** Each show is a process of its own (a few seconds on a loaded machine): generous, since nothing here waits on time. */
const TIMEOUT = 180_000;
writeFileSync(join(dir, 'space.json'), JSON.stringify({ opt: opts, x: { linrange: [0, 1, 11] } }));
writeFileSync(join(dir, 'hb-space.json'), JSON.stringify({ opt: opts.slice(0, 2), x: { linrange: [0, 1, 11] } }));

/** What the fixture prints for these arguments (its failing mode aside). */
const expectedValue = (opt: string, x: number, resources?: number) => (x - 0.3) ** 2 + (opt === 'adam' ? 0 : 0.5) - (resources ?? 0) / 100;

interface JournalTrial {
  readonly i: number;
  readonly opt: string;
  readonly x: number;
  readonly value: number | null;
  readonly status: string;
  readonly resources?: number;
}

/** The trials of a journal, read here (not through show), parameters decoded from their indices. */
function trialsOf(journal: string, space: readonly string[] = opts): JournalTrial[] {
  return journalLines(readFileSync(join(dir, journal), 'utf8'))
    .filter((l) => 'i' in l)
    .map((l) => {
      const t = l as { i: number; params: { opt: { index: number }; x: { index: number } }; value: number | null; status: string; resources?: number };
      return { i: t.i, opt: space[t.params.opt.index], x: xs[t.params.x.index], value: t.value, status: t.status, resources: t.resources };
    });
}

/** `hyperopt-rx show ...`, run from the journals' folder. */
const show = (...args: string[]) => cli(['show', ...args], dir);

/** A minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (quoted && c === '"' && text[k + 1] === '"') {
      field += '"';
      k++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The rows of the top-K table (after its header line), split into cells. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => /^ {2}rank {2}trial {2}value {2}status {2}opt/.test(l));
  expect(header).toBeGreaterThan(0);
  return lines
    .slice(header + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/ {2,}/));
}

/** The words an SVG draws (axis titles, labels). */
const svgTexts = (path: string) => [...readFileSync(path, 'utf8').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

let seed = 0;
beforeAll(async () => {
  // A seed whose draws give each option at least twice (so each has ok or failed trials to rank), found with the sampler itself.
  const space = { opt: opts, x: xs };
  for (; ; seed++) {
    const drawn = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations }).pipe(toArray()));
    if (opts.every((o) => drawn.filter((c) => c.params.opt === o).length >= 2)) break;
  }
  const run = (journal: string, flags: string[], command: string[]) =>
    cli(['run', ...flags, '--seed', String(seed), '--concurrency', '2', '--journal', journal, '--no-progress', '--', process.execPath, program, ...command], dir);
  const runs = await Promise.all([
    run('min.jsonl', ['--space', 'space.json', '--iterations', String(iterations)], ['{opt}', '{x}']),
    run('max.jsonl', ['--space', 'space.json', '--iterations', String(iterations), '--maximize'], ['{opt}', '{x}']),
    run('hb.jsonl', ['--space', 'hb-space.json', '--hyperband', '3'], ['{opt}', '{x}', '{resources}']),
  ]);
  for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
}, 180_000);

describe('hyperopt-rx show (journals of real runs)', () => {
  it(
    'prints the counts, the direction, the best value and its parameters as name = value lines',
    async () => {
      const trials = trialsOf('min.jsonl');
      expect(trials).toHaveLength(iterations);
      // The journal holds what the program printed: the fixture really ran.
      for (const t of trials) {
        if (t.opt === 'crash') expect(t.status).toBe('failed');
        else expect(t.value).toBeCloseTo(expectedValue(t.opt, t.x), 12);
      }
      const ok = trials.filter((t) => t.status === 'ok');
      const failed = trials.length - ok.length;
      expect(ok.length).toBeGreaterThanOrEqual(4);
      expect(failed).toBeGreaterThanOrEqual(2);

      const r = await show('min.jsonl');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout.split('\n')[0]).toBe(`min.jsonl: ${iterations} trials (${ok.length} ok, ${failed} failed, 0 pruned), minimize, RandomSampler`);
      const lowest = Math.min(...ok.map((t) => t.value!));
      const m = /^best value: (\S+) \(trial (\d+)[,)]/m.exec(r.stdout);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBe(lowest);
      const best = trials.find((t) => t.i === Number(m![2]))!;
      expect(best.value).toBe(lowest);
      expect(r.stdout).toContain(`\nopt = ${best.opt}\nx = ${best.x}\n`);
    },
    TIMEOUT,
  );

  it(
    '--top K: K rows, ranked by value (lowest first), each the journal trial it names',
    async () => {
      const ok = trialsOf('min.jsonl').filter((t) => t.status === 'ok');
      const r = await show('min.jsonl', '--top', '3');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`top 3 of ${ok.length} trials with a value (lowest first):`);
      const rows = tableRows(r.stdout);
      expect(rows.map((row) => row[0])).toEqual(['1', '2', '3']);
      const sorted = ok.map((t) => t.value!).sort((a, b) => a - b);
      expect(rows.map((row) => Number(row[2]))).toEqual(sorted.slice(0, 3).map((v) => Number(v.toPrecision(4))));
      for (const [, trial, value, status, opt, x] of rows) {
        const t = ok.find((u) => u.i === Number(trial))!;
        expect({ value: Number(t.value!.toPrecision(4)), status: t.status, opt: t.opt, x: t.x }).toEqual({ value: Number(value), status, opt, x: Number(x) });
      }
      // Fewer trials than K: all of them.
      expect(tableRows((await show('min.jsonl', '--top', '100')).stdout)).toHaveLength(ok.length);
    },
    TIMEOUT,
  );

  it(
    'under --maximize the best is the largest, and the table ranks highest first',
    async () => {
      const trials = trialsOf('max.jsonl');
      // The same seed drew the same configurations as the minimizing run: only the direction differs.
      const drawn = (ts: JournalTrial[]) => ts.map((t) => [t.i, t.opt, t.x]).sort((a, b) => (a[0] as number) - (b[0] as number));
      expect(drawn(trials)).toEqual(drawn(trialsOf('min.jsonl')));
      const ok = trials.filter((t) => t.status === 'ok');
      const highest = Math.max(...ok.map((t) => t.value!));
      const r = await show('max.jsonl', '--top', '3');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/\), maximize, RandomSampler$/);
      const m = /^best value: (\S+) \(trial (\d+)[,)]/m.exec(r.stdout)!;
      expect(Number(m[1])).toBe(highest);
      const best = trials.find((t) => t.i === Number(m[2]))!;
      expect(r.stdout).toContain(`\nopt = ${best.opt}\nx = ${best.x}\n`);
      expect(r.stdout).toContain(`top 3 of ${ok.length} trials with a value (highest first):`);
      const sorted = ok.map((t) => t.value!).sort((a, b) => b - a);
      expect(tableRows(r.stdout).map((row) => Number(row[2]))).toEqual(sorted.slice(0, 3).map((v) => Number(v.toPrecision(4))));
    },
    TIMEOUT,
  );

  it(
    '--csv: a header, one row per trial, a categorical with a comma and a quote and a multi-line error quoted',
    async () => {
      const trials = trialsOf('min.jsonl');
      const r = await show('min.jsonl', '--csv');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const [header, ...rows] = parseCsv(r.stdout);
      expect(header).toEqual(['i', 'status', 'value', 'opt', 'x', 'resources', 'steps', 'bracket', 'rung', 'durationMs', 'error']);
      expect(rows).toHaveLength(iterations);
      const col = (name: string) => header.indexOf(name);
      expect(rows.map((row) => Number(row[col('i')])).sort((a, b) => a - b)).toEqual(trials.map((t) => t.i).sort((a, b) => a - b));
      for (const row of rows) {
        expect(row).toHaveLength(header.length);
        const t = trials.find((u) => u.i === Number(row[col('i')]))!;
        expect({ status: row[col('status')], opt: row[col('opt')], x: Number(row[col('x')]) }).toEqual({ status: t.status, opt: t.opt, x: t.x });
        expect(row[col('value')]).toBe(t.value === null ? '' : String(t.value));
        expect(Number(row[col('durationMs')])).toBeGreaterThanOrEqual(0);
        if (t.status === 'failed') expect(row[col('error')]).toMatch(/^exited with code 2: .*\nTraceback \(most recent call last\):\nValueError: diverged, "badly"$/);
        else expect(row[col('error')]).toBe('');
      }
      // RFC 4180 on the wire: the field quoted, its quotes doubled.
      expect(r.stdout).toContain(',"sgd, ""nesterov""",');
      expect(r.stdout).toContain(`\nValueError: diverged, ""badly"""\n`);
    },
    TIMEOUT,
  );

  it(
    '--json: parses, every trial with its params, value, status, resources and duration',
    async () => {
      const trials = trialsOf('min.jsonl');
      const r = await show('min.jsonl', '--json');
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as {
        i: number;
        params: Record<string, unknown>;
        value: number | null;
        status: string;
        resources?: number;
        durationMs: number;
        error?: string;
      }[];
      expect(rows.map((row) => row.i).sort((a, b) => a - b)).toEqual(trials.map((t) => t.i).sort((a, b) => a - b));
      for (const row of rows) {
        const t = trials.find((u) => u.i === row.i)!;
        expect(row).toMatchObject({ params: { opt: t.opt, x: t.x }, value: t.value, status: t.status, durationMs: expect.any(Number) });
        expect(row).not.toHaveProperty('resources');
        if (t.status === 'failed') expect(row.error).toContain('\nValueError: diverged, "badly"');
      }
      // A Hyperband journal's trials carry their budgets.
      const hb = trialsOf('hb.jsonl', opts.slice(0, 2));
      expect(hb.length).toBeGreaterThan(1);
      const hbRows = JSON.parse((await show('hb.jsonl', '--json')).stdout) as { i: number; params: { opt: string; x: number }; value: number | null; resources: number }[];
      expect(hbRows).toHaveLength(hb.length);
      expect(new Set(hbRows.map((row) => row.resources))).toEqual(new Set(hb.map((t) => t.resources)));
      for (const row of hbRows) {
        expect([1, 3]).toContain(row.resources);
        expect(row.value).toBeCloseTo(expectedValue(row.params.opt, row.params.x, row.resources), 12);
      }
    },
    TIMEOUT,
  );

  it(
    '--plot FILE.svg --kind params | convergence | resources | curves writes that plot',
    async () => {
      const drawn: Record<string, string[]> = {};
      for (const [kind, journal] of [
        ['params', 'min.jsonl'],
        ['convergence', 'min.jsonl'],
        ['resources', 'hb.jsonl'],
        ['curves', 'min.jsonl'],
      ]) {
        const svg = join(dir, `${kind}.svg`);
        const r = await show(journal, '--plot', svg, '--kind', kind);
        expect({ kind, code: r.code, stderr: r.stderr }).toEqual({ kind, code: 0, stderr: `hyperopt-rx: wrote ${svg}\n` });
        expect(r.stdout).toContain(`${journal}: `); // the summary too
        expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>$/);
        drawn[kind] = svgTexts(svg);
      }
      expect(drawn.params).toEqual(expect.arrayContaining(['opt', 'x', 'adam', 'crash']));
      expect(drawn.params).not.toContain('Trials finished');
      expect(drawn.convergence).toContain('Trials finished');
      expect(drawn.resources).toEqual(expect.arrayContaining(['Resources', 'Bracket']));
      // Each program's step values (one per program here: it prints only its result).
      expect(drawn.curves).toEqual(expect.arrayContaining(['Step', 'Status']));
      // Without --kind: the parameters plot.
      const svg = join(dir, 'default.svg');
      expect((await show('min.jsonl', '--plot', svg)).code).toBe(0);
      expect(svgTexts(svg)).toEqual(expect.arrayContaining(['opt', 'x']));
    },
    TIMEOUT,
  );

  it(
    'a bad --kind and a missing journal exit 2 with a message, writing nothing',
    async () => {
      const svg = join(dir, 'bad.svg');
      const bad = await show('min.jsonl', '--plot', svg, '--kind', 'param');
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain('--kind must be params, convergence, resources, curves, got "param"; did you mean params?');
      expect(existsSync(svg)).toBe(false);
      // resources needs a Hyperband journal.
      const noBudgets = await show('min.jsonl', '--plot', svg, '--kind', 'resources');
      expect(noBudgets.code).toBe(2);
      expect(noBudgets.stderr).toMatch(/--kind resources: the journal has no trial with resources/);
      expect(existsSync(svg)).toBe(false);
      const missing = await show('nothing-here.jsonl');
      expect(missing.code).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/nothing-here\.jsonl does not exist/);
    },
    TIMEOUT,
  );

  it(
    'shows a journal that is still being written: a cut last line is left out, silently',
    async () => {
      const text = readFileSync(join(dir, 'min.jsonl'), 'utf8');
      const lines = text.split('\n');
      const last = lines.map((l) => l.startsWith('{"i":')).lastIndexOf(true);
      // Everything before the last trial, then half of its line, no line break: a writer caught mid-line.
      const cut = `${lines.slice(0, last).join('\n')}\n${lines[last].slice(0, Math.floor(lines[last].length / 2))}`;
      writeFileSync(join(dir, 'writing.jsonl'), cut);
      const r = await show('writing.jsonl');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(new RegExp(`^writing\\.jsonl: ${iterations - 1} trials \\(`));
      const csv = parseCsv((await show('writing.jsonl', '--csv')).stdout);
      expect(csv).toHaveLength(1 + iterations - 1);
    },
    TIMEOUT,
  );
});
