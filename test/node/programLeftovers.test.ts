import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProgramsRecord, stopLeftoverPrograms, type ProgramsRecord } from '../../src/node/internal/programLeftovers.js';
import { JOURNAL_FORMAT, readJournal } from '../../src/node/internal/journalFile.js';
import { alive } from '../helpers/alive.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-leftovers-'));
const sleepers: number[] = [];
afterAll(() => {
  for (const pid of sleepers) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});
/** A process leading its own group, as programObjective starts them. */
function sleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  child.unref();
  sleepers.push(child.pid!);
  return child.pid!;
}
const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
};
const header = JSON.stringify({ format: JOURNAL_FORMAT, version: 1, space: { x: { values: [1] } }, created: 'now' });
function journal(name: string, ...records: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, [header, ...records.map((r) => JSON.stringify(r))].join('\n') + '\n');
  return path;
}
/** The journal's last programs record, as the CLI takes it from its one read of the journal (small chunks: records span them). */
function lastPrograms(path: string): ProgramsRecord | undefined {
  let last: ProgramsRecord | undefined;
  readJournal(path, () => {}, { chunkBytes: 4096, onRecord: (record) => void (isProgramsRecord(record) && (last = record)) });
  return last;
}
const dead = { pid: 2 ** 22 + 12345, start: '1' }; // above Linux's largest pid: no such process

(existsSync('/proc/self/stat') ? describe : describe.skip)('stopLeftoverPrograms (after a kill -9 of the CLI)', () => {
  it('kills the groups the last record lists, once each is checked to be that very program', async () => {
    const a = sleeper();
    const b = sleeper();
    const path = journal(
      'left.jsonl',
      { kind: 'programs', by: dead, running: [] },
      {
        kind: 'programs',
        by: dead,
        running: [
          { pid: a, start: startOf(a) },
          { pid: b, start: startOf(b) },
        ],
      },
    );
    expect(stopLeftoverPrograms(lastPrograms(path))).toBe(2);
    while (alive(a) || alive(b)) await new Promise((r) => setTimeout(r, 20));
  });

  it('finds the last record far before the end of a large journal, across its chunks', async () => {
    const f = sleeper();
    const trials = Array.from({ length: 5000 }, (_, i) => ({ i, params: { x: 0 }, value: i, status: 'ok', note: 'x'.repeat(i % 97) }));
    const path = journal('large.jsonl', { kind: 'programs', by: dead, running: [{ pid: f, start: startOf(f) }] }, ...trials);
    expect(readFileSync(path).length).toBeGreaterThan(4 * 65536);
    expect(stopLeftoverPrograms(lastPrograms(path))).toBe(1);
    while (alive(f)) await new Promise((r) => setTimeout(r, 20));
  });

  it('leaves alone a pid that another process holds now (another start time)', () => {
    const c = sleeper();
    const path = journal('reused.jsonl', { kind: 'programs', by: dead, running: [{ pid: c, start: String(Number(startOf(c)) - 1) }] });
    expect(stopLeftoverPrograms(lastPrograms(path))).toBe(0);
    expect(alive(c)).toBe(true);
  });

  it('leaves alone the programs of a run that is still alive (another CLI writing the journal)', () => {
    const d = sleeper();
    const me = { pid: process.pid, start: startOf(process.pid) };
    const path = journal('live.jsonl', { kind: 'programs', by: me, running: [{ pid: d, start: startOf(d) }] });
    expect(stopLeftoverPrograms(lastPrograms(path))).toBe(0);
    expect(alive(d)).toBe(true);
  });

  it('does nothing when the last record lists none (the run ended), or on malformed records', () => {
    const e = sleeper();
    const listed = { pid: e, start: startOf(e) };
    expect(stopLeftoverPrograms(lastPrograms(journal('ended.jsonl', { kind: 'programs', by: dead, running: [listed] }, { kind: 'programs', by: dead, running: [] })))).toBe(0);
    expect(stopLeftoverPrograms(lastPrograms(journal('odd.jsonl', { kind: 'programs', by: dead, running: 'all' })))).toBe(0);
    expect(stopLeftoverPrograms(lastPrograms(journal('odd2.jsonl', { kind: 'programs', by: dead, running: [{ pid: -1, start: '1' }, null, { pid: 1, start: 'x' }] })))).toBe(0);
    expect(alive(e)).toBe(true);
  });
});
