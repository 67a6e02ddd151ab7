import type { FastifyInstance, FastifyReply } from 'fastify';
import { convergencePlot } from '../../../plots/convergencePlot.js';
import { plot } from '../../../plots/plot.js';
import type { DashboardHub } from './DashboardHub.js';
import { parallelCoordinates } from './parallelCoordinates.js';
import type { Asset } from './pageAssets.js';

/** Keep-alive comments on idle event streams, so proxies do not drop them. */
const PING_MS = 15_000;

/**
 * The dashboard's routes: the page (`GET /`, `/assets/*`), the trials
 * (`GET /api/trials`), the plot specs (`GET /api/plots`, the Vega-Lite
 * specs of src/plots plus parallel coordinates) and the live stream
 * (`GET /api/events`: a `snapshot` event with every trial so far, then one
 * `trial` event per finished trial).
 */
export function dashboardRoutes(app: FastifyInstance, hub: DashboardHub, assets: ReadonlyMap<string, Asset>): void {
  const send = (name: string) => {
    const asset = assets.get(name)!;
    return async (_request: unknown, reply: FastifyReply) => reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  };
  app.get('/', send('index.html'));
  for (const name of assets.keys()) if (name !== 'index.html') app.get(`/assets/${name}`, send(name));

  app.get('/api/trials', async () => ({ ...hub.info, count: hub.trials.length, best: hub.ho.best?.i ?? null, trials: hub.trials }));

  app.get('/api/plots', async () => {
    const ho = hub.ho;
    return {
      count: ho.trials.length,
      convergence: convergencePlot(ho, { width: 520, height: 240 }),
      scatter: plot(ho, { width: 220, height: 170, columns: 3 }),
      parallel: parallelCoordinates(ho),
    };
  });

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // The snapshot and the subscription happen in one turn: no trial falls between them.
    res.write(`event: snapshot\ndata: ${JSON.stringify({ ...hub.info, trials: hub.trials })}\n\n`);
    const stop = hub.listen((trial) => res.write(`event: trial\ndata: ${JSON.stringify(trial)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    ping.unref();
    const end = () => {
      stop();
      clearInterval(ping);
    };
    request.raw.once('close', end);
    res.once('close', end);
  });
}
