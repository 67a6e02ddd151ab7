import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, ratio, table } from '../lib/markdown.js';
import type { SectionOptions } from '../lib/SectionOptions.js';

const CLIENTS = 8;

/** One POST on a kept-alive connection; resolves with the parsed answer. */
function postJson(agent: Agent, port: number, path: string, body: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${path}: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The server as a process of its own (so client and server do not share one event loop); resolves with its port. */
function startServer(mode: 'serve' | 'floor', journal: string): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('../fixtures/serveProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, journal], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** `CLIENTS` clients, each asking and telling `rounds` times in a row; round trips per second and latency percentiles (ms). */
async function load(port: number, rounds: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  const client = async () => {
    for (let k = 0; k < rounds; k++) {
      const t0 = performance.now();
      const asked = (await postJson(agent, port, '/api/ask', '{}')) as { id: number; params: { lr: number; depth: number } };
      await postJson(agent, port, '/api/tell', JSON.stringify({ id: asked.id, value: Math.log10(asked.params.lr) ** 2 + asked.params.depth }));
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

/**
 * (s) `hyperopt-rx serve` under load: ask+tell round trips per second with
 * 8 concurrent clients on loopback, and the latency of one round trip,
 * against the HTTP floor (fastify answering the same two requests at once)
 * measured in the same run.
 */
export async function run({ quick }: SectionOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-bench-serve-'));
  const rounds = quick ? 150 : 1500;
  const results: Record<'serve' | 'floor', { perSecond: number; p50: number; p99: number }> = {} as never;
  try {
    for (const mode of ['floor', 'serve'] as const) {
      const { child, port } = await startServer(mode, join(dir, 'serve.jsonl'));
      try {
        await load(port, quick ? 30 : 200); // JIT warm-up of both sides
        results[mode] = await load(port, rounds);
      } finally {
        child.kill('SIGTERM');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { serve, floor } = results;
  const rows = [
    ['HTTP floor: fastify, two routes answering at once (baseline)', fmt(floor.perSecond, 4), '1', fmt(floor.p50, 3), fmt(floor.p99, 3)],
    ['hyperopt-rx serve, RandomSampler, journal', fmt(serve.perSecond, 4), ratio(serve.perSecond, floor.perSecond), fmt(serve.p50, 3), fmt(serve.p99, 3)],
  ];
  return [
    '## (s) Ask/tell server load',
    '',
    `${CLIENTS} concurrent clients on loopback (node:http, kept-alive connections), each doing ${rounds} round trips of`,
    '`POST /api/ask` then `POST /api/tell`; the server is a process of its own. The serve row writes two journal lines',
    'per round trip (the ask and the trial, each on disk before its answer) and feeds the sampler every result before',
    'its next proposal. Target: at least 2,000 round trips per second with the random sampler.',
    '',
    table(['server', 'round trips/s', '÷ baseline', 'p50 ms', 'p99 ms'], rows),
  ].join('\n');
}
