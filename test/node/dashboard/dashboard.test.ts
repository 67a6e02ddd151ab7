import { afterAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { dashboard } from '../../../src/node/dashboard/dashboard.js';
import { dashboardCommand } from '../../../src/node/dashboard/dashboardCommand.js';
import { journal } from '../../../src/node/journal.js';
import { hyperopt$ } from '../../../src/run/hyperopt$.js';
import { RandomSampler } from '../../../src/samplers/RandomSampler.js';
import { linrange } from '../../../src/space/linrange.js';
import { ArgumentError } from '../../../src/base/ArgumentError.js';
import { get, readEvents, until } from '../serve/http.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const space = { x: linrange(-2, 2, 401), y: ['a', 'b'] };

/** An objective whose trials from `from` on wait until `open()` is called: the test decides when the run goes on. */
function gated(from: number) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let calls = 0;
  const objective = async ({ x }: { x: number }) => {
    if (calls++ >= from) await gate;
    return x * x;
  };
  return { objective, open: () => open() };
}

const refused = async (url: string) => {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
};

describe('dashboard(): the operator for an in-process hyperopt$ stream', () => {
  it('serves the trials as they pass, live, and stops serving when the stream ends', async () => {
    const { objective, open } = gated(6);
    let url: string | undefined;
    const run = lastValueFrom(
      hyperopt$({ space, iterations: 10, sampler: new RandomSampler({ seed: 2 }) }, objective).pipe(
        dashboard({ space, port: 0, title: 'in process', onListening: (u) => (url = u) }),
        toArray(),
      ),
    );
    const address = await until('the dashboard to listen', () => url);
    const events = readEvents(`${address}api/events`);
    const first = await until('six trials', async () => {
      const { body } = await get(`${address}api/trials`);
      return body.count === 6 ? body : undefined;
    });
    expect(first.title).toBe('in process');
    expect((await get(address)).body).toContain('<div id="convergence"');
    open();
    const trials = await run;
    expect(trials).toHaveLength(10);
    // The trial events after the snapshot carry the rest: every trial once.
    await until('all trials over SSE', () => (events.events[0]?.data.trials.length ?? 0) + events.events.filter((e) => e.event === 'trial').length === 10 || undefined);
    events.close();
    await until('the server to stop', () => refused(`${address}api/trials`));
  });

  it("takes the run's direction: under 'maximize' the page ranks the largest value best", async () => {
    const { objective, open } = gated(6);
    let url: string | undefined;
    const run = lastValueFrom(
      hyperopt$({ space, iterations: 8, sampler: new RandomSampler({ seed: 2 }), direction: 'maximize' }, objective).pipe(
        dashboard({ space, port: 0, direction: 'maximize', onListening: (u) => (url = u) }),
        toArray(),
      ),
    );
    const address = await until('the dashboard to listen', () => url);
    const body = await until('six trials', async () => {
      const { body } = await get(`${address}api/trials`);
      return body.count === 6 ? body : undefined;
    });
    open();
    await run;
    const values: number[] = body.trials.map((t: { value: number }) => t.value);
    expect(Math.min(...values)).toBeLessThan(Math.max(...values));
    expect(body.direction).toBe('maximize');
    expect(body.trials.find((t: { i: number }) => t.i === body.best).value).toBe(Math.max(...values));
    expect(() => dashboard({ space, direction: 'max' as never })).toThrow(expect.objectContaining({ option: 'direction' }));
  });

  it('errors the stream when the port is taken, and refuses bad options before subscribing', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      // Trials that never finish: the stream can only end by the server's error.
      const { objective } = gated(0);
      const run = lastValueFrom(hyperopt$({ space, iterations: 3 }, objective).pipe(dashboard({ space, port, linger: 0 })), { defaultValue: undefined });
      await expect(run).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
    expect(() => dashboard({ space, host: '0.0.0.0' })).toThrow(ArgumentError);
    expect(() => dashboard({ space, port: -1 })).toThrow(ArgumentError);
    expect(() => dashboard({ space, linger: NaN })).toThrow(ArgumentError);
    expect(() => dashboard({ space: { x: [] } })).toThrow(ArgumentError);
  });
});

describe('hyperopt-rx dashboard run.jsonl: follows a journal being written', () => {
  it('serves what the journal holds and each trial appended after', async () => {
    const path = join(dir, 'followed.jsonl');
    const sampler = new RandomSampler({ seed: 4 });
    const { objective, open } = gated(5);
    const run = lastValueFrom(hyperopt$({ space, iterations: 12, sampler }, objective).pipe(journal(path, { space, sampler, iterations: 12 }), toArray()));
    // The journal exists (its header) once the run has started its trials.
    await until('the first trials in the journal', async () => {
      try {
        return readFileSync(path, 'utf8').split('\n').length > 5;
      } catch {
        return false;
      }
    });
    const controller = new AbortController();
    let stderr = '';
    const command = dashboardCommand([path, '--port', '0'], { stdout: () => undefined, stderr: (t) => (stderr += t) }, controller.signal);
    const url = await until('the dashboard to listen', () => /at (http:\/\/\S+\/);/.exec(stderr)?.[1]);
    const before = await until('five trials', async () => {
      const { body } = await get(`${url}api/trials`);
      return body.count === 5 ? body : undefined;
    });
    expect(before.title).toBe('followed.jsonl');
    open();
    const trials = await run;
    const after = await until('all twelve trials', async () => {
      const { body } = await get(`${url}api/trials`);
      return body.count === 12 ? body : undefined;
    });
    expect(after.trials.map((t: { i: number; value: number }) => [t.i, t.value])).toEqual(trials.map((t) => [t.i, t.value]));
    controller.abort();
    expect(await command).toBe(0);
  });

  it('refuses a missing journal and bad flags', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined };
    await expect(dashboardCommand([join(dir, 'missing.jsonl'), '--port', '0'], io)).rejects.toThrow(ArgumentError);
    await expect(dashboardCommand([], io)).rejects.toThrow(ArgumentError);
    await expect(dashboardCommand(['a.jsonl', '--port', 'x'], io)).rejects.toThrow(ArgumentError);
    await expect(dashboardCommand(['a.jsonl', '--nope'], io)).rejects.toThrow(ArgumentError);
  });
});
