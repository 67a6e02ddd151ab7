import type { FastifyInstance } from 'fastify';
import type { RunningServer } from '../RunningServer.js';
import type { DashboardHub } from './DashboardHub.js';
import { createServer, type CheckedListenOptions } from './createServer.js';
import { dashboardRoutes } from './dashboardRoutes.js';
import { pageAssets } from './pageAssets.js';

/**
 * Starts a server with the dashboard's routes over `hub`, plus what
 * `extend` adds (the ask/tell API), and listens. The assets are read before
 * listening, so a missing vega package fails here, not on the first page load.
 */
export async function startServer(feature: string, options: CheckedListenOptions, hub: DashboardHub, extend?: (app: FastifyInstance) => void): Promise<RunningServer> {
  const assets = pageAssets(feature);
  const app = await createServer(feature, options);
  dashboardRoutes(app, hub, assets);
  extend?.(app);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return { url: `http://${host}:${port}/`, port, close: () => (closing ??= app.close()) };
}
