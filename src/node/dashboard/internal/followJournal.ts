import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { ArgumentError } from '../../../base/ArgumentError.js';
import { decodeTrial } from '../../../sinks/internal/trialCodec.js';
import { checkSpace } from '../../../space/checkSpace.js';
import { spaceFromDescription } from '../../../space/describeSpace.js';
import type { Space } from '../../../space/Space.js';
import type { Trial } from '../../../trial/Trial.js';
import { readJournal, recordedDirection } from '../../internal/journalFile.js';
import { DashboardHub } from './DashboardHub.js';

/** A journal followed as it grows. */
export interface FollowedJournal {
  readonly hub: DashboardHub;
  /** Reads what was appended since the last read (the poll calls this); returns the trials added. */
  poll(): number;
  stop(): void;
}

/** A trial's evaluation within a run (as the journal reader keys it: a trial line written twice counts once). */
const keyOf = (t: Trial): number | string => (t.resources === undefined && t.rung === undefined ? t.i : `${t.i}@${String(t.resources)}@${String(t.rung)}`);

/**
 * Follows a journal that another process writes (`hyperopt-rx run`, the
 * Node API, `hyperopt-rx serve`), without taking its lock: reads it once,
 * then every `intervalMs` reads the complete lines appended since, and
 * records each new trial into a hub (the dashboard's). The space comes from
 * the journal's header. A missing file, or one that is not a journal, is an
 * ArgumentError('journal').
 */
export function followJournal(path: string, intervalMs: number, warn: (message: string) => void): FollowedJournal {
  let space: Space | undefined;
  const contents = readJournal<Read>(path, () => undefined, {
    decoder: (header) => {
      space = checkSpace(spaceFromDescription(header.space, 'journal.space'), 'journal.space');
      const s = space;
      return (record, where) => ({ trial: decodeTrial(s, record, where), id: idOf(record) });
    },
  });
  if (contents === undefined || space === undefined) throw new ArgumentError('journal', `${path} does not exist or holds no journal`);
  const decodeSpace = space;
  const hub = new DashboardHub(decodeSpace, { title: basename(path), direction: recordedDirection(contents) });
  for (const run of contents.runs) for (const { trial, id } of run.trials) hub.record(trial, id);
  const last = contents.runs[contents.runs.length - 1];
  let seen = new Set(last.trials.map(({ trial }) => keyOf(trial)));
  let offset = contents.validBytes;
  let pending = '';
  let lineNumber = 0;

  const poll = (): number => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return 0; // moved or deleted meanwhile: the page keeps what it has
    }
    let added = 0;
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return 0;
      const buffer = Buffer.allocUnsafe(size - offset);
      let got = 0;
      while (got < buffer.length) {
        const n = readSync(fd, buffer, got, buffer.length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      offset += got;
      const text = pending + buffer.subarray(0, got).toString('utf8');
      const lines = text.split('\n');
      pending = lines.pop()!; // an incomplete last line waits for the rest of it
      for (const line of lines) {
        lineNumber++;
        if (line.trim() === '') continue;
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          warn(`hyperopt-rx: journal ${path}: skipped a line that is not JSON`);
          continue;
        }
        if (record === null || typeof record !== 'object') continue;
        if (Object.hasOwn(record, 'run')) seen = new Set();
        if (!Object.hasOwn(record, 'i')) continue;
        let trial: Trial;
        try {
          trial = decodeTrial(decodeSpace, record, `journal line +${lineNumber}`);
        } catch (error) {
          warn(`hyperopt-rx: journal ${path}: skipped a trial line: ${(error as Error).message}`);
          continue;
        }
        const key = keyOf(trial);
        if (seen.has(key)) continue;
        seen.add(key);
        hub.record(trial, idOf(record));
        added++;
      }
    } finally {
      closeSync(fd);
    }
    return added;
  };
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return { hub, poll, stop: () => clearInterval(timer) };
}

/** A trial line and the ask id `hyperopt-rx serve` wrote beside it. */
interface Read {
  readonly trial: Trial;
  readonly id: number | undefined;
}

function idOf(record: Record<string, unknown>): number | undefined {
  return typeof record.id === 'number' ? record.id : undefined;
}
