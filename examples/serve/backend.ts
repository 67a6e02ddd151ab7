// An event-driven backend feeding hyperopt-rx serve: training jobs run somewhere else (here a
// simulated cluster that emits 'finished' and 'crashed' events after a while), and each event
// becomes a tell, after which the freed slot asks for the next configuration. Nothing waits on
// a job: the backend only reacts to events. The server runs in this process for the example;
// set HYPEROPT_RX_URL to use a running `hyperopt-rx serve --space examples/serve/space.json ...`.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromEvent, lastValueFrom, map, merge, mergeMap, take, type Observable } from 'rxjs';
// In your project: from 'hyperopt-rx' and 'hyperopt-rx/node'.
import { RandomSampler, logUniform } from '../../src/index.js';
import { serve } from '../../src/node.js';

interface Params {
  readonly C: number;
  readonly gamma: number;
  readonly kernel: string;
}
interface Asked {
  readonly id: number;
  readonly params: Params;
}
type Outcome = { readonly id: number; readonly value: number } | { readonly id: number; readonly status: 'failed'; readonly error: string };

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-backend-'));
const server = process.env.HYPEROPT_RX_URL
  ? undefined
  : await serve({
      space: { C: logUniform(0.01, 1000), gamma: logUniform(1e-5, 0.1), kernel: ['rbf', 'sigmoid'] },
      journal: join(dir, 'backend.jsonl'),
      port: 0,
      sampler: new RandomSampler({ seed: 7 }),
      concurrency: 3,
    });
const url = server?.url ?? process.env.HYPEROPT_RX_URL!;

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

// The stand-in cluster: a job ends with an event after a few milliseconds; a huge C "crashes" it.
const cluster = new EventEmitter();
function submit({ id, params }: Asked): void {
  setTimeout(
    () => {
      if (params.C > 500) cluster.emit('crashed', { id, reason: 'diverged' });
      else cluster.emit('finished', { id, loss: (Math.log10(params.C) - 1) ** 2 / 10 + (Math.log10(params.gamma) + 3) ** 2 / 10 + (params.kernel === 'rbf' ? 0 : 0.2) });
    },
    5 + Math.random() * 20,
  );
}

const slots = 3;
const jobs = 30;
let asked = 0;
async function startJob(): Promise<void> {
  if (asked >= jobs) return;
  asked++;
  submit(await post<Asked>('api/ask', {}));
}

// Each event is one tell; once it is recorded, the slot it freed asks for the next job.
const outcomes$: Observable<Outcome> = merge(
  fromEvent(cluster, 'finished').pipe(map((e) => ({ id: (e as { id: number }).id, value: (e as { loss: number }).loss }))),
  fromEvent(cluster, 'crashed').pipe(map((e) => ({ id: (e as { id: number }).id, status: 'failed' as const, error: (e as { reason: string }).reason }))),
);
const done = lastValueFrom(
  outcomes$.pipe(
    take(jobs),
    mergeMap(async (outcome) => {
      await post('api/tell', outcome);
      await startJob();
    }),
  ),
);
for (let k = 0; k < slots; k++) await startJob();
await done;

const { trials } = (await (await fetch(`${url}api/trials`)).json()) as { trials: { id: number; status: string; value: number | null; params: Params }[] };
const ok = trials.filter((t) => t.status === 'ok');
const best = ok.reduce((a, b) => (b.value! < a.value! ? b : a));
console.log(`${trials.length} trials (${ok.length} ok, ${trials.length - ok.length} failed)`);
console.log(`best: ${best.value!.toFixed(4)} at C = ${best.params.C.toPrecision(3)}, gamma = ${best.params.gamma.toPrecision(3)}, ${best.params.kernel}`);
await server?.close();
rmSync(dir, { recursive: true, force: true });
