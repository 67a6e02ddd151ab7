import { basename } from 'node:path';
import { ArgumentError } from '../../base/ArgumentError.js';
import { checkFunction, checkOptions, checkPositiveInteger, show } from '../../base/check.js';
import type { Sampler } from '../../samplers/Sampler.js';
import { checkSampler } from '../../samplers/internal/checkSampler.js';
import { RandomSampler } from '../../samplers/RandomSampler.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { Space } from '../../space/Space.js';
import { checkDirection } from '../../trial/internal/lossView.js';
import { checkListenOptions } from '../dashboard/internal/createServer.js';
import { DashboardHub } from '../dashboard/internal/DashboardHub.js';
import type { RunningServer } from '../dashboard/RunningServer.js';
import { startServer } from '../dashboard/internal/startServer.js';
import { recordedSampler } from '../internal/journalFile.js';
import { checkJournal } from '../internal/journalOptions.js';
import { samplerFromJSON } from '../internal/samplerFromJSON.js';
import { AskTell } from './internal/AskTell.js';
import { askTellRoutes } from './internal/askTellRoutes.js';
import type { ServeOptions } from './ServeOptions.js';

/** A running ask/tell server. */
export interface AskTellServer extends RunningServer {
  /** The sampler handing out candidates (given, or rebuilt from the journal). */
  readonly samplerName: string;
}

const KNOWN = ['space', 'journal', 'sampler', 'iterations', 'direction', 'askTimeout', 'concurrency', 'askWait', 'title', 'onWarning', 'host', 'port', 'token', 'bodyLimit'];

/**
 * An HTTP ask/tell service over a journal, for clients in any language and
 * event-driven backends: `POST /api/ask` hands out a candidate
 * (`{ id, i, params, resources? }`), `POST /api/tell` records its result
 * (`{ id, value }`, `{ id, status: 'failed', error }`, or a step report
 * `{ id, step, value }` answered with whether to prune), `GET /api/trials`
 * lists the trials and `GET /api/events` streams them (Server-Sent Events);
 * `GET /` is the live dashboard. The sampler is demand-driven as in the
 * loop: each told result reaches it before its next proposal, and several
 * asks may be outstanding. Each ask and each told trial is on disk in the
 * journal before the answer, so a restart (even after SIGKILL) keeps every
 * told trial, re-offers what was asked and not told, and goes on numbering.
 * The journal stays locked while the server runs. Binds 127.0.0.1:8350 by
 * default; another host needs a bearer `token`. Needs fastify, vega,
 * vega-lite and vega-embed (optional peers).
 *
 * ## Example
 * ```ts
 * import { linrange } from 'hyperopt-rx';
 * import { serve } from 'hyperopt-rx/node';
 * const server = await serve({ space: { x: linrange(-2, 2, 101) }, journal: 'serve.jsonl', port: 0 });
 * const ask = async () => (await fetch(`${server.url}api/ask`, { method: 'POST' })).json() as Promise<{ id: number; params: { x: number } }>;
 * for (let k = 0; k < 10; k++) {
 *   const { id, params } = await ask();
 *   await fetch(`${server.url}api/tell`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, value: params.x ** 2 }) });
 * }
 * await server.close();
 * ```
 */
export async function serve(options: ServeOptions): Promise<AskTellServer> {
  checkOptions('serve', options, KNOWN);
  const space = checkSpace(options.space);
  const { path, fsync } = checkJournal(options.journal);
  const listen = checkListenOptions(options);
  const given = options.sampler === undefined ? undefined : checkSampler('sampler', options.sampler);
  const iterations = options.iterations === undefined ? undefined : checkPositiveInteger('iterations', options.iterations);
  const askTimeoutMs = options.askTimeout === undefined ? undefined : milliseconds('askTimeout', options.askTimeout);
  const direction = checkDirection(options.direction ?? 'minimize');
  const concurrency = checkPositiveInteger('concurrency', options.concurrency ?? 1);
  const askWait = milliseconds('askWait', options.askWait ?? 30_000);
  if (options.title !== undefined && typeof options.title !== 'string') throw new ArgumentError('title', `must be a string, got ${show(options.title)}`);
  const onWarning = options.onWarning === undefined ? console.warn : checkFunction<(message: string) => void>('onWarning', options.onWarning);
  const state = new AskTell({
    journal: { path, space, fsync, onWarning, direction },
    sampler: (contents) => {
      const sampler: Sampler = given ?? (contents ? samplerFromJSON(recordedSampler(contents)) : undefined) ?? new RandomSampler();
      if (sampler.requiresIterations && iterations === undefined)
        throw new ArgumentError('iterations', `is required by ${sampler.name}, which plans a fixed number of configurations`);
      // Here `iterations` counts configurations across restarts; Hyperband's count whole Hyperband iterations, and a
      // restarted Hyperband opens a new one, so no count of its own would keep that promise.
      if (iterations !== undefined && !countsConfigurations(sampler, space)) {
        throw new ArgumentError(
          'iterations',
          `cannot bound ${sampler.name}: its iterations are not configurations (Hyperband's are whole Hyperband iterations); leave iterations out and close the server when you have the trials you want`,
        );
      }
      return sampler;
    },
    iterations,
    askTimeoutMs,
    concurrency,
    direction,
    hub: (sampler) => new DashboardHub(space, { sampler, direction, title: options.title ?? basename(path) }),
  });
  let server: RunningServer;
  try {
    server = await startServer('serve', listen, state.hub, (app) => askTellRoutes(app, state, askWait));
  } catch (error) {
    state.close();
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    samplerName: state.sampler.name,
    close: async () => {
      try {
        await server.close();
      } finally {
        state.close();
      }
    },
  };
}

/** Whether one of the sampler's iterations is one configuration, evaluated once (Hyperband's evaluations() says otherwise). */
function countsConfigurations(sampler: Sampler, space: Space): boolean {
  return (sampler.evaluations?.(space, 1) ?? 1) === 1;
}

function milliseconds(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new ArgumentError(option, `must be a whole number of milliseconds from 1 to 2147483647, got ${show(value)}`);
  }
  return value;
}
