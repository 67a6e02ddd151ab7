import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Observable, map } from 'rxjs';
import { serve } from '../../../src/node/serve/serve.js';
import { loadJournal } from '../../../src/node/loadJournal.js';
import { ArgumentError } from '../../../src/base/ArgumentError.js';
import { RandomSampler } from '../../../src/samplers/RandomSampler.js';
import { withPruner } from '../../../src/multifidelity/withPruner.js';
import { Hyperband } from '../../../src/multifidelity/Hyperband.js';
import { MedianPruner } from '../../../src/multifidelity/MedianPruner.js';
import { linrange } from '../../../src/space/linrange.js';
import type { Sampler, SamplerContext } from '../../../src/samplers/Sampler.js';
import type { Space } from '../../../src/space/Space.js';
import type { Candidate, Trial } from '../../../src/trial/Trial.js';
import { get, post, readEvents, until } from './http.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const space = { x: linrange(-2, 2, 401), kind: ['a', 'b', 'c'] };
let journals = 0;
const journal = () => join(dir, `run${journals++}.jsonl`);
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);
const objective = (p: { x: number; kind: string }) => (p.x - 0.5) ** 2 + (p.kind === 'b' ? 0 : 1);

describe('serve: ask and tell over HTTP on loopback', () => {
  it('hands out candidates with increasing ids and records each tell in the journal before answering', async () => {
    const path = journal();
    const server = await serve({ space, journal: path, port: 0, sampler: new RandomSampler({ seed: 3 }) });
    try {
      const ids: number[] = [];
      for (let k = 0; k < 5; k++) {
        const asked = await post(`${server.url}api/ask`, {});
        expect(asked.status).toBe(200);
        expect(Object.keys(asked.body.params)).toEqual(['x', 'kind']);
        ids.push(asked.body.id);
        const told = await post(`${server.url}api/tell`, { id: asked.body.id, value: objective(asked.body.params) });
        expect(told.status).toBe(200);
        // On disk when the answer comes: the trial line is already in the file.
        expect(lines(path).filter((l) => l.status === 'ok' && l.id === asked.body.id)).toHaveLength(1);
      }
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(5);
      const batch = await post(`${server.url}api/ask`, { count: 3 });
      expect(batch.body.map((a: { id: number }) => a.id)).toEqual([5, 6, 7]);
      const trials = await get(`${server.url}api/trials`);
      expect(trials.body.count).toBe(5);
      expect(trials.body.trials.map((t: { id: number }) => t.id)).toEqual(ids);
    } finally {
      await server.close();
    }
    // The journal is an ordinary one: loadJournal (and so `hyperopt-rx show`) reads it.
    const ho = await loadJournal(path, { space, onWarning: () => undefined });
    expect(ho.trials).toHaveLength(5);
    expect(ho.minimum).toBe(Math.min(...ho.trials.map((t) => objective(t.params))));
  });

  it('answers bad requests with 400 and a message, unknown ids with 404, a second tell with 409, and changes nothing', async () => {
    const path = journal();
    const server = await serve({ space, journal: path, port: 0, bodyLimit: 1024 });
    try {
      const { body: a } = await post(`${server.url}api/ask`);
      expect(typeof a.id).toBe('number'); // no body at all is an ask for one
      const bad = [
        ['{"id": 0, "value": ', 'not valid JSON'],
        [{ id: a.id, value: '3' }, 'value must be number'],
        [{ id: a.id, value: null }, 'value must be number'],
        [{ id: a.id }, 'must have a number "value"'],
        [{ id: -1, value: 1 }, 'id must be >= 0'],
        [{ id: a.id, value: 1, extra: true }, 'must NOT have additional properties'],
        [{ id: a.id, step: 0, value: 1 }, 'step must be >= 1'],
        [[1, 2], 'must be object'],
      ] as const;
      for (const [body, message] of bad) {
        const answer = await post(`${server.url}api/tell`, body);
        expect([answer.status, answer.body.error]).toEqual([400, expect.stringContaining(message)]);
      }
      expect((await post(`${server.url}api/ask`, { count: 0 })).status).toBe(400);
      expect((await post(`${server.url}api/ask`, { count: 'two' })).status).toBe(400);
      expect((await post(`${server.url}api/tell`, { id: a.id, value: 'x'.repeat(2000) })).status).toBe(413);
      expect(await post(`${server.url}api/tell`, { id: 999, value: 1 })).toEqual({ status: 404, body: { error: expect.stringContaining('999') } });
      expect((await get(`${server.url}api/trials`)).body.count).toBe(0);
      expect((await post(`${server.url}api/tell`, { id: a.id, value: 2.5 })).status).toBe(200);
      expect(await post(`${server.url}api/tell`, { id: a.id, value: 0 })).toEqual({ status: 409, body: { error: expect.stringContaining('already recorded') } });
      const { body } = await get(`${server.url}api/trials`);
      expect(body.trials.map((t: { value: number }) => t.value)).toEqual([2.5]);
    } finally {
      await server.close();
    }
    expect(lines(path).filter((l) => 'i' in l)).toHaveLength(1);
  });

  it('records failed tells, and an ask not told within askTimeout as a failed trial', async () => {
    const server = await serve({ space, journal: journal(), port: 0, askTimeout: 50 });
    try {
      const { body: a } = await post(`${server.url}api/ask`, {});
      expect((await post(`${server.url}api/tell`, { id: a.id, status: 'failed', error: 'CUDA out of memory' })).status).toBe(200);
      const { body: b } = await post(`${server.url}api/ask`, {});
      const trials = await until('the expired ask', async () => {
        const { body } = await get(`${server.url}api/trials`);
        return body.count === 2 ? body.trials : undefined;
      });
      expect(trials).toEqual([
        expect.objectContaining({ id: a.id, status: 'failed', value: null, error: 'CUDA out of memory' }),
        expect.objectContaining({ id: b.id, status: 'failed', value: null, error: expect.stringContaining('ask timeout') }),
      ]);
      expect((await post(`${server.url}api/tell`, { id: b.id, value: 1 })).status).toBe(409);
    } finally {
      await server.close();
    }
  });

  it('the sampler sees every told result before its next proposal, with several asks outstanding', async () => {
    const seen: number[] = [];
    const sampler = countingSampler(seen);
    const server = await serve({ space, journal: journal(), port: 0, sampler, concurrency: 3 });
    try {
      const first = await Promise.all([0, 1, 2].map(() => post(`${server.url}api/ask`, {})));
      expect(seen).toEqual([0, 0, 0]);
      await post(`${server.url}api/tell`, { id: first[1].body.id, value: 1 });
      await post(`${server.url}api/tell`, { id: first[0].body.id, value: 2 });
      await post(`${server.url}api/ask`, {});
      await post(`${server.url}api/tell`, { id: first[2].body.id, value: 3 });
      await post(`${server.url}api/ask`, {});
      expect(seen).toEqual([0, 0, 0, 2, 3]);
    } finally {
      await server.close();
    }
  });

  it('under maximize, hands the sampler negated values, ranks the best by the largest, and keeps one direction per journal', async () => {
    const path = journal();
    const values: number[] = [];
    const sampler: Sampler = {
      name: 'Watching',
      candidates: (s: Space, context: SamplerContext) =>
        new Observable<Candidate>((subscriber) => {
          const watched = context.results$.subscribe((t: Trial) => values.push(t.value));
          const drawn = new RandomSampler({ seed: 5 }).candidates(s, context).subscribe(subscriber);
          return () => {
            watched.unsubscribe();
            drawn.unsubscribe();
          };
        }),
    };
    const server = await serve({ space, journal: path, port: 0, sampler, direction: 'maximize' });
    try {
      for (const value of [0.5, 0.9, 0.7]) {
        const { body } = await post(`${server.url}api/ask`, {});
        await post(`${server.url}api/tell`, { id: body.id, value });
      }
      expect(values).toEqual([-0.5, -0.9, -0.7]);
      const { body } = await get(`${server.url}api/trials`);
      expect(body.direction).toBe('maximize');
      expect(body.trials.map((t: { value: number }) => t.value)).toEqual([0.5, 0.9, 0.7]); // the user's values, as told
      expect(body.best).toBe(body.trials[1].i);
    } finally {
      await server.close();
    }
    await expect(serve({ space, journal: path, port: 0 })).rejects.toThrow(expect.objectContaining({ option: 'direction' }));
  });

  it('answers a step report with whether to prune (the sampler’s pruner), and records the pruned trial', async () => {
    const sampler = withPruner(new RandomSampler({ seed: 1 }), new MedianPruner({ startupTrials: 1 }));
    const path = journal();
    const server = await serve({ space, journal: path, port: 0, sampler });
    let untold: number | undefined;
    try {
      const { body: a } = await post(`${server.url}api/ask`, {});
      expect((await post(`${server.url}api/tell`, { id: a.id, step: 1, value: 1 })).body).toEqual({ ok: true, prune: false });
      expect((await post(`${server.url}api/tell`, { id: a.id, value: 0.5 })).status).toBe(200);
      const { body: b } = await post(`${server.url}api/ask`, {});
      untold = b.id;
      expect((await post(`${server.url}api/tell`, { id: b.id, step: 1, value: 0.1 })).body).toEqual({ ok: true, prune: false });
      expect((await post(`${server.url}api/tell`, { id: b.id, step: 2, value: 9 })).body.prune).toBe(false); // no other value at step 2 yet
      const { body: c } = await post(`${server.url}api/ask`, {});
      expect((await post(`${server.url}api/tell`, { id: c.id, step: 1, value: 5 })).body).toEqual({ ok: true, prune: true });
      expect((await post(`${server.url}api/tell`, { id: c.id, value: 4 })).status).toBe(409); // pruned is final
      const { body } = await get(`${server.url}api/trials`);
      expect(body.trials.find((t: { id: number }) => t.id === c.id)).toEqual(expect.objectContaining({ status: 'pruned', value: 5, steps: 1 }));
    } finally {
      await server.close();
    }
    // The journal keeps the step values told (the curve) beside the final value.
    const ho = await loadJournal(path, { space, onWarning: () => undefined });
    expect(ho.trials.map((t) => [t.status, t.value, t.curve])).toEqual([
      ['ok', 0.5, [1]],
      ['pruned', 5, [5]],
    ]);
    // Restarted on the journal, the rule has taken in those curves: a new ask reporting 5 at step 1 is pruned at once.
    const again = await serve({ space, journal: path, port: 0, sampler });
    try {
      expect((await post(`${again.url}api/ask`, {})).body.id).toBe(untold); // b was never told: offered again first
      const { body: d } = await post(`${again.url}api/ask`, {});
      expect((await post(`${again.url}api/tell`, { id: d.id, step: 1, value: 5 })).body).toEqual({ ok: true, prune: true });
    } finally {
      await again.close();
    }
  });

  it('streams each finished trial as a Server-Sent Event after a snapshot', async () => {
    const server = await serve({ space, journal: journal(), port: 0 });
    const stream = readEvents(`${server.url}api/events`);
    try {
      const { body: a } = await post(`${server.url}api/ask`, {});
      await post(`${server.url}api/tell`, { id: a.id, value: 1 });
      await until('the snapshot', () => stream.events.length >= 1);
      const { body: b } = await post(`${server.url}api/ask`, {});
      await post(`${server.url}api/tell`, { id: b.id, value: 2 });
      await until('two trial events', () => stream.events.filter((e) => e.event === 'trial').length + (stream.events[0].data.trials?.length ?? 0) >= 2);
      const values = [...stream.events[0].data.trials, ...stream.events.filter((e) => e.event === 'trial').map((e) => e.data)].map((t) => t.value);
      expect(stream.events[0].event).toBe('snapshot');
      expect(values).toEqual([1, 2]);
    } finally {
      stream.close();
      await server.close();
    }
  });

  it('answers 410 when the sampler has no candidate left', async () => {
    const server = await serve({ space, journal: journal(), port: 0, iterations: 2 });
    try {
      const { body } = await post(`${server.url}api/ask`, { count: 5 });
      expect(body).toHaveLength(2);
      expect((await post(`${server.url}api/ask`, {})).status).toBe(410);
    } finally {
      await server.close();
    }
  });

  it('refuses iterations with Hyperband, whose iterations are not configurations, given or rebuilt from the journal', async () => {
    const path = journal();
    const hyperband = () => new Hyperband({ maxResource: 9, inner: new RandomSampler({ seed: 1 }) });
    // One Hyperband iteration of maxResource 9 is 17 configurations (22 asks): iterations: 5 cannot mean 5 configurations.
    await expect(serve({ space, journal: path, port: 0, sampler: hyperband(), iterations: 5 })).rejects.toThrow(expect.objectContaining({ option: 'iterations' }));
    // Without iterations it serves (endless); a restart that adds iterations is refused too, the journal's Hyperband rebuilt.
    const server = await serve({ space, journal: path, port: 0, sampler: hyperband() });
    try {
      const asked = (await post(`${server.url}api/ask`, {})).body;
      expect(asked.resources).toBe(1);
      expect((await post(`${server.url}api/tell`, { id: asked.id, value: 1 })).status).toBe(200);
    } finally {
      await server.close();
    }
    await expect(serve({ space, journal: path, port: 0, iterations: 5 })).rejects.toThrow(expect.objectContaining({ option: 'iterations' }));
    // maxResource 1 is one configuration per Hyperband iteration, evaluated once: iterations counts configurations there.
    const one = await serve({ space, journal: journal(), port: 0, sampler: new Hyperband({ maxResource: 1 }), iterations: 2 });
    try {
      for (let k = 0; k < 2; k++) {
        const { body } = await post(`${one.url}api/ask`, {});
        expect(body.i).toBe(k);
        expect((await post(`${one.url}api/tell`, { id: body.id, value: k })).status).toBe(200);
      }
      expect((await post(`${one.url}api/ask`, {})).status).toBe(410);
    } finally {
      await one.close();
    }
  });

  it('refuses bad options before anything listens', async () => {
    const path = journal();
    await expect(serve({ space, journal: path, host: '0.0.0.0', token: undefined })).rejects.toThrow(expect.objectContaining({ option: 'token' }));
    await expect(serve({ space, journal: path, port: 70000 })).rejects.toThrow(ArgumentError);
    await expect(serve({ space, journal: path, askTimeout: -1 })).rejects.toThrow(expect.objectContaining({ option: 'askTimeout' }));
    await expect(serve({ space, journal: path, nope: 1 } as never)).rejects.toThrow(ArgumentError);
  });
});

describe('serve: the bearer token', () => {
  it('401 without or with a wrong token, 200 with it (header, or ?token= on GET for the page)', async () => {
    const token = 'correct horse battery staple';
    const server = await serve({ space, journal: journal(), port: 0, token });
    try {
      expect((await post(`${server.url}api/ask`, {})).status).toBe(401);
      expect((await post(`${server.url}api/ask`, {}, { authorization: 'Bearer wrong token here' })).status).toBe(401);
      expect((await get(`${server.url}api/trials`)).status).toBe(401);
      expect((await get(`${server.url}`)).status).toBe(401);
      const asked = await post(`${server.url}api/ask`, {}, { authorization: `Bearer ${token}` });
      expect(asked.status).toBe(200);
      expect((await post(`${server.url}api/tell`, { id: asked.body.id, value: 1 }, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await get(`${server.url}api/trials?token=${encodeURIComponent(token)}`)).body.count).toBe(1);
      // A token in the query is for the browser's GETs only.
      expect((await post(`${server.url}api/ask?token=${encodeURIComponent(token)}`, {})).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('a page opened at ?token= is sent to its address without it, with a session cookie of this server and port, never the token', async () => {
    const token = 'correct horse battery staple';
    const server = await serve({ space, journal: journal(), port: 0, token });
    // Raw requests: the path goes out exactly as written and a redirect is not followed.
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; location?: string; cookie?: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookie: res.headers['set-cookie']?.[0] });
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const page = await raw(`/?token=${encodeURIComponent(token)}&x=1`, { accept: 'text/html' });
      expect(page).toEqual(expect.objectContaining({ status: 303, location: '/?x=1' }));
      const [pair, ...attributes] = page.cookie!.split('; ');
      expect(attributes).toEqual(['HttpOnly', 'SameSite=Strict', 'Path=/']);
      const [name, value] = pair.split('=');
      expect(name).toBe(`hyperopt_rx_session_${server.port}`);
      expect(value).not.toContain(encodeURIComponent(token).slice(0, 8));
      expect((await get(`${server.url}api/trials`, { cookie: pair })).status).toBe(200);
      expect((await get(`${server.url}api/trials`, { cookie: `${name}=${value.slice(1)}x` })).status).toBe(401);
      expect((await post(`${server.url}api/ask`, {}, { cookie: pair })).status).toBe(401); // it only reads
      // However the path is written, the redirect stays on this server: never '//other.host'.
      expect(await raw(`//evil.example/?token=${encodeURIComponent(token)}`, { accept: 'text/html' })).toEqual(expect.objectContaining({ status: 303, location: '/' }));
      expect((await raw(`/.//evil.example/?token=${encodeURIComponent(token)}`, { accept: 'text/html' })).location).toBe('/evil.example/');
    } finally {
      await server.close();
    }
  });
});

describe('serve: concurrent clients', () => {
  it('8 clients asking and telling at once: no duplicate id, every tell recorded once', async () => {
    const path = journal();
    const server = await serve({ space, journal: path, port: 0, concurrency: 8 });
    const perClient = 25;
    try {
      const clients = Array.from({ length: 8 }, async () => {
        const mine: number[] = [];
        for (let k = 0; k < perClient; k++) {
          const { body } = await post(`${server.url}api/ask`, {});
          mine.push(body.id);
          expect((await post(`${server.url}api/tell`, { id: body.id, value: objective(body.params) })).status).toBe(200);
        }
        return mine;
      });
      const ids = (await Promise.all(clients)).flat();
      expect(new Set(ids).size).toBe(8 * perClient);
      const { body } = await get(`${server.url}api/trials`);
      expect(body.count).toBe(8 * perClient);
      expect(new Set(body.trials.map((t: { id: number }) => t.id))).toEqual(new Set(ids));
    } finally {
      await server.close();
    }
    const trialLines = lines(path).filter((l) => 'i' in l);
    expect(trialLines).toHaveLength(8 * perClient);
    expect(new Set(trialLines.map((l) => l.id)).size).toBe(8 * perClient);
  });
});

describe('serve: SIGKILL between tells, then resume', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  /** `hyperopt-rx serve` as a user runs it (a process of its own, through the package's bin); resolves with its address once it listens. */
  function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, ['bin/hyperopt-rx.js', 'serve', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    return new Promise((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /dashboard at (http:\/\/\S+\/) /.exec(stderr);
        if (m) resolve({ child, url: m[1] });
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
  }
  const killed = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));

  it('keeps every told trial, offers the outstanding ask again under its id, and goes on numbering', async () => {
    const spaceFile = join(dir, 'space.json');
    writeFileSync(spaceFile, JSON.stringify({ x: { linrange: [-2, 2, 401] }, kind: ['a', 'b', 'c'] }));
    const path = journal();
    const args = ['--space', spaceFile, '--journal', path, '--port', '0', '--seed', '5'];
    const first = await start(args);
    const asked = [];
    for (let k = 0; k < 4; k++) asked.push((await post(`${first.url}api/ask`, {})).body);
    for (const a of asked.slice(0, 3)) expect((await post(`${first.url}api/tell`, { id: a.id, value: objective(a.params) })).status).toBe(200);
    first.child.kill('SIGKILL');
    await killed(first.child);

    const second = await start(args);
    try {
      const { body } = await get(`${second.url}api/trials`);
      expect(body.trials.map((t: { id: number; value: number }) => [t.id, t.value])).toEqual(asked.slice(0, 3).map((a) => [a.id, objective(a.params)]));
      const again = (await post(`${second.url}api/ask`, {})).body;
      expect(again).toEqual(asked[3]); // the ask the killed server handed out, same id and params
      const fresh = (await post(`${second.url}api/ask`, {})).body;
      expect(fresh.id).toBeGreaterThan(Math.max(...asked.map((a) => a.id)));
      expect(fresh.i).toBeGreaterThan(Math.max(...asked.map((a) => a.i)));
      expect((await post(`${second.url}api/tell`, { id: again.id, value: 7 })).status).toBe(200);
      expect((await post(`${second.url}api/tell`, { id: asked[0].id, value: 7 })).status).toBe(409);
    } finally {
      second.child.kill('SIGTERM');
      await killed(second.child);
    }
    const ho = await loadJournal(path, { onWarning: () => undefined });
    expect(ho.trials).toHaveLength(4);
  });
});

/** A sampler that notes, at each proposal, how many results it had been given: the demand-driven rule, observed. */
function countingSampler(seen: number[]): Sampler {
  const inner = new RandomSampler({ seed: 9 });
  return {
    name: 'Counting',
    candidates(s: Space, context: SamplerContext): Observable<Candidate> {
      return new Observable<Candidate>((subscriber) => {
        let results = 0;
        const counted = context.results$.subscribe((_t: Trial) => results++);
        const drawn = inner
          .candidates(s, context)
          .pipe(
            map((c) => {
              seen.push(results);
              return c;
            }),
          )
          .subscribe(subscriber);
        return () => {
          counted.unsubscribe();
          drawn.unsubscribe();
        };
      });
    },
  };
}
