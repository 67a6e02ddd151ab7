import { it, expect, afterAll } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { alive } from '../helpers/alive.js';
import { quote, TmuxSession, tmuxAvailable } from './cli/tmux.js';
import { describeIf } from '../helpers/requires.js';

// The CLI in a real terminal (tmux), as a user sees it: the progress line, Ctrl-C, resume, and what is left after a kill.
const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-terminal-'));
const open: TmuxSession[] = [];
afterAll(() => {
  for (const s of open) s.close();
  rmSync(dir, { recursive: true, force: true });
});
const bin = resolve('bin/hyperopt-rx.js');
const gated = resolve('test/node/cli/fixtures/gated.sh');
writeFileSync(join(dir, 'space.json'), JSON.stringify({ x: { uniform: [0, 1] } }));

/** `hyperopt-rx run` on gated.sh: `free` trials finish at once, the rest wait until `gate`/open exists. */
function runLine(flags: string, gate: string, free: number, value = '{x}'): string {
  return `${quote(process.execPath)} ${quote(bin)} run --space space.json ${flags} -- ${quote(gated)} ${value} ${quote(gate)} ${free}`;
}

function session(command: string, cols = 80): TmuxSession {
  const s = new TmuxSession(command, { cwd: dir, cols, rows: 24 });
  open.push(s);
  return s;
}

function newGate(name: string): string {
  const gate = join(dir, name);
  mkdirSync(gate);
  return gate;
}

/** The row that holds the progress line. */
function barRow(screen: string): string {
  return screen.split('\n').find((row) => /\d+\/\d+/.test(row) && row.includes('best')) ?? '';
}

/** The CLI's pid, from the journal's programs line (it names the run that wrote it). */
function cliPid(journal: string): number {
  const line = readFileSync(journal, 'utf8')
    .split('\n')
    .find((l) => l.includes('"kind":"programs"'));
  return (JSON.parse(line!) as { by: { pid: number } }).by.pid;
}

describeIf(
  tmuxAvailable,
  'tmux',
  'apt-get install tmux',
)('hyperopt-rx run in a terminal (tmux)', () => {
  it('fits the progress line to 80 and 50 columns with elapsed time and ETA; Ctrl-C leaves its message readable and exits 130; a resume starts the line at the journal', async () => {
    const gate = newGate('g80');
    const journal = join(dir, 'run80.jsonl');
    const s = session(runLine(`--iterations 12 --journal ${quote(journal)}`, gate, 4));
    let screen = await s.waitFor(/ 4\/12 trials \| best [\d.e-]+ \| \d+s elapsed \| ETA \S+/);
    const bar = barRow(screen);
    expect(bar.length).toBeLessThanOrEqual(80);
    expect(bar).toMatch(/^ [█░]{8,} 4\/12 trials \| best [\d.e-]+ \| \d+s elapsed \| ETA \S+$/);
    expect(s.cursorVisible()).toBe(true);

    s.keys('C-c');
    screen = await s.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/EXIT=130/);
    // The message is whole on its own row, below the progress line, and the results follow it.
    const rows = screen.split('\n');
    const at = rows.findIndex((r) => r === 'hyperopt-rx: interrupted, stopping the trials in flight (again to quit at once)');
    expect(at).toBeGreaterThan(rows.findIndex((r) => r.includes('4/12 trials')));
    expect(rows.slice(at + 1).join('\n')).toMatch(/^4 trials \(4 ok, 0 failed\)\nbest value: /);
    expect(s.cursorVisible()).toBe(true);
    expect(s.wraps()).toBe(true);

    // The same command again in the same terminal: it says what it resumes, and the line starts there.
    const trials = readFileSync(journal, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"i"'))
      .map((l) => JSON.parse(l) as { value: number; i: number });
    expect(trials).toHaveLength(4);
    const best = trials.reduce((a, b) => (b.value < a.value ? b : a));
    s.respawn(runLine(`--iterations 12 --journal ${quote(journal)}`, gate, 4));
    screen = await s.waitFor(/ 4\/12 trials/);
    expect(screen).toContain(`hyperopt-rx: resuming 4 trials from ${journal}`.slice(0, 80));
    expect(screen.replace(/\n/g, '')).toContain(`(best so far ${Number(best.value.toPrecision(6))}, trial ${best.i})`);
    expect(barRow(screen)).toMatch(/ 4\/12 trials \| best /);
    writeFileSync(join(gate, 'open'), '');
    screen = await s.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/12 trials \(12 ok, 0 failed\)[\s\S]*EXIT=0/);

    // 50 columns: the wording shortens, elapsed and ETA stay.
    const narrowGate = newGate('g50');
    const narrow = session(runLine('--iterations 12', narrowGate, 3), 50);
    screen = await narrow.waitFor(/ 3\/12 .*\| \S+ \| ETA \S+/);
    expect(barRow(screen).length).toBeLessThanOrEqual(50);
    expect(barRow(screen)).toMatch(/^ [█░]{8,} 3\/12 \| best [\d.e-]+ \| \d+s \| ETA \S+$/);
    writeFileSync(join(narrowGate, 'open'), '');
    await narrow.waitFor(/EXIT=0/);
  }, 300_000);

  it('exits 130 when interrupted before any trial produced a value', async () => {
    const gate = newGate('none');
    const s = session(runLine('--iterations 5 --concurrency 2', gate, 0));
    await s.waitFor(/ 0\/5 trials/);
    s.keys('C-c');
    const screen = await s.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/interrupted, stopping the trials in flight/);
    expect(screen).toMatch(/no trial produced a value/);
    expect(screen).toMatch(/EXIT=130/);
    expect(s.cursorVisible()).toBe(true);
  }, 300_000);

  it('on SIGTERM stops like Ctrl-C (exit 130); after SIGKILL the terminal keeps its cursor and line wrap, since they were never taken', async () => {
    const gate = newGate('term');
    const journal = join(dir, 'term.jsonl');
    const s = session(runLine(`--iterations 6 --journal ${quote(journal)}`, gate, 2));
    await s.waitFor(/ 2\/6 trials/);
    process.kill(cliPid(journal), 'SIGTERM');
    let screen = await s.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/interrupted, stopping the trials in flight/);
    expect(screen).toMatch(/2 trials \(2 ok, 0 failed\)/);
    expect(screen).toMatch(/EXIT=130/);
    expect(s.cursorVisible()).toBe(true);

    const killGate = newGate('kill');
    const killJournal = join(dir, 'kill.jsonl');
    s.respawn(runLine(`--iterations 6 --journal ${quote(killJournal)}`, killGate, 2));
    await s.waitFor(/ 2\/6 trials/);
    const pid = cliPid(killJournal);
    process.kill(pid, 'SIGKILL');
    screen = await s.waitFor(/EXIT=\d+/);
    expect(screen).toMatch(/EXIT=137/);
    expect(s.cursorVisible()).toBe(true);
    expect(s.wraps()).toBe(true);
    expect(alive(pid)).toBe(false);
    // Its program, left waiting, is stopped by the next run of the same journal; here the gate lets it end.
    writeFileSync(join(killGate, 'open'), '');
    expect(existsSync(killJournal)).toBe(true);
  }, 300_000);
});
