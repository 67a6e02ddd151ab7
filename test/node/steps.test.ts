import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { candidates } from '../../src/operators/candidates.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { describeIf } from '../helpers/requires.js';
import { sklearnAvailable } from '../helpers/externals.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-steps-'));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  rmSync(dir, { recursive: true, force: true });
});
const bin = resolve('bin/hyperopt-rx.js');
const example = resolve('examples/cli/sgd_digits.py');
const lockstep = resolve('test/node/fixtures/stepsLockstep.py');
const python = '/usr/bin/python3';

/** The CLI as a user runs it: a real process, through the package's bin. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

interface JournalTrial {
  readonly i: number;
  readonly status: string;
  readonly value: number | null;
  readonly steps?: number;
  readonly curve?: readonly (number | null)[];
  readonly resources?: number;
  readonly params: Record<string, { index: number } | number>;
}
const trialsOf = (path: string): JournalTrial[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"i"'))
    .map((l) => JSON.parse(l) as JournalTrial);

/** Live (not zombie) processes whose process group is `pgid`, from /proc. */
function liveMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

describeIf(
  sklearnAvailable,
  'scikit-learn',
  'apt-get install python3-sklearn',
)('per-step values from a program (scikit-learn, Python)', () => {
  it('prunes with --pruner median: a pruned program printed no epoch after the one that pruned it, got SIGTERM, and its process group is gone', async () => {
    const epochs = 6;
    const iterations = 5;
    // eta0 = 30 is a poor learning rate at every epoch, 0.01 a good one. A seed whose first draw is good and
    // that has at least two poor ones after it, found with the sampler itself: the median rule then has a good curve to compare with.
    const space = { alpha: [0.0001], eta0: [0.01, 30] };
    let seed = 0;
    for (; ; seed++) {
      const drawn = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations }).pipe(toArray()));
      if (drawn[0].params.eta0 === 0.01 && drawn.filter((c) => c.params.eta0 === 30).length >= 2) break;
    }
    const spaceFile = join(dir, 'sgd.json');
    writeFileSync(spaceFile, JSON.stringify(space));
    const journal = join(dir, 'sgd.jsonl');
    const log = join(dir, 'steps.log');
    // A long grace: the programs must stop on the SIGTERM itself, the test cannot pass by the SIGKILL.
    const flags = ['run', '--space', spaceFile, '--iterations', String(iterations), '--seed', String(seed), '--pruner', 'median,1', '--kill-grace', '10m'];
    const program = [python, lockstep, example, '--alpha', '{alpha}', '--eta0', '{eta0}', '--epochs', String(epochs)];
    const r = await cli([...flags, '--journal', journal, '--no-progress', '--', ...program], { STEPS_LOG: log });
    const records = readFileSync(log, 'utf8').trim().split('\n');
    const starts = records.filter((l) => l.startsWith('start ')).map((l) => l.split(' ').map(Number));
    started.push(...starts.flatMap(([, pid, , child]) => [pid, child]));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/5 trials \(\d ok, 0 failed, \d pruned\)/);

    const trials = trialsOf(journal);
    expect(trials).toHaveLength(iterations);
    const pruned = trials.filter((t) => t.status === 'pruned');
    const ok = trials.filter((t) => t.status === 'ok');
    expect(pruned.length).toBeGreaterThanOrEqual(2);
    expect(ok.map((t) => t.steps)).toEqual(ok.map(() => epochs));
    // The journal holds each program's curve: one value per step line, the last being the trial's value.
    for (const t of trials) {
      expect(t.curve).toHaveLength(t.steps!);
      expect(t.curve![t.curve!.length - 1]).toBe(t.value);
    }
    // Each program, by its pid: the step lines it printed, and whether it got SIGTERM.
    const stepsBy = (pid: number) => records.filter((l) => l.startsWith(`step ${pid} `)).length;
    const sigterm = (pid: number) => records.includes(`sigterm ${pid}`);
    const eta0Of = (t: JournalTrial) => space.eta0[(t.params.eta0 as { index: number }).index];
    expect(starts).toHaveLength(iterations); // concurrency 1: the programs ran in trial order
    for (const [k, t] of trials.entries()) {
      const pid = starts[k][1];
      expect(
        JSON.parse(
          records
            .find((l) => l.startsWith(`start ${pid} `))!
            .split(' ')
            .slice(4)
            .join(' '),
        ),
      ).toContain(String(eta0Of(t)));
      if (t.status === 'pruned') {
        expect(t.steps).toBeLessThan(epochs);
        expect(eta0Of(t)).toBe(30);
        // Fewer epochs than the maximum: exactly those the tuner saw, none after the prune.
        expect({ trial: t.i, printed: stepsBy(pid), sigterm: sigterm(pid) }).toEqual({ trial: t.i, printed: t.steps, sigterm: true });
      } else {
        expect({ trial: t.i, printed: stepsBy(pid), sigterm: sigterm(pid) }).toEqual({ trial: t.i, printed: epochs, sigterm: false });
      }
    }
    // The trial's value is its last step's value.
    for (const t of ok) expect(t.value).toBeGreaterThan(0);
    // Nothing of any program's group is left: the programs, and the sleep each started in its group.
    for (const [, pid, pgid, child] of starts) {
      expect(pgid).toBe(pid);
      expect(liveMembers(pgid)).toEqual([]);
      expect(existsSync(`/proc/${child}`) ? readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1][0] : 'gone').toMatch(/^(gone|Z)$/);
    }

    // show reads the journal: the counts and the pruned trials' steps.
    const shown = await cli(['show', journal]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`5 trials (${ok.length} ok, 0 failed, ${pruned.length} pruned), minimize, RandomSampler + MedianPruner`);
    expect(shown.stdout).toMatch(/^eta0 = 0\.01$/m);
  }, 180_000);
});

describe('per-step values under Hyperband with early stopping', () => {
  it('prunes within Hyperband evaluations with --pruner sh: each evaluation prints {resources} steps, the poor ones stop early', async () => {
    const spaceFile = join(dir, 'hb.json');
    writeFileSync(spaceFile, JSON.stringify({ x: { linrange: [0, 1, 11] } }));
    const journal = join(dir, 'hb.jsonl');
    // awk prints one step line per unit of budget: the value falls with the step and grows with x.
    const awk = ['awk', '-v', 'x={x}', '-v', 'r={resources}', 'BEGIN { for (i = 1; i <= r; i++) printf "{\\"step\\": %d, \\"value\\": %.6f}\\n", i, x + 1 / i }'];
    const r = await cli(['run', '--space', spaceFile, '--hyperband', '9,3', '--seed', '4', '--pruner', 'sh', '--journal', journal, '--no-progress', '--', ...awk]);
    expect(r.code).toBe(0);
    const trials = trialsOf(journal);
    expect(trials.every((t) => t.resources !== undefined && t.steps !== undefined)).toBe(true);
    const pruned = trials.filter((t) => t.status === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(t.steps).toBeLessThanOrEqual(t.resources!);
    expect(pruned.some((t) => t.steps! < t.resources!)).toBe(true);
    for (const t of trials.filter((t) => t.status === 'ok')) expect(t.steps).toBe(t.resources);
    // resources plot of that journal, from show
    const svg = join(dir, 'hb.svg');
    const shown = await cli(['show', journal, '--plot', svg, '--kind', 'resources']);
    expect(shown.code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
  }, 120_000);
});
