import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ArgumentError } from '../../../base/ArgumentError.js';
import { show } from '../../../base/check.js';
import { importOptional } from '../../internal/importOptional.js';
import type { ListenOptions } from '../ListenOptions.js';

export interface CheckedListenOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  readonly bodyLimit: number;
}

/** The listen options, checked before anything starts: a non-loopback host without a token is an ArgumentError('token'). */
export function checkListenOptions(options: ListenOptions): CheckedListenOptions {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new ArgumentError('host', `must be a host name or address, got ${show(host)}`);
  const port = options.port ?? 8350;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgumentError('port', `must be an integer from 0 to 65535, got ${show(port)}`);
  const token = options.token ?? (process.env.HYPEROPT_RX_TOKEN || undefined);
  if (token !== undefined && (typeof token !== 'string' || token.length < 8)) throw new ArgumentError('token', 'must be a string of at least 8 characters');
  if (token === undefined && !isLoopback(host)) {
    throw new ArgumentError('token', `is required to listen on ${host}, which is not a loopback address: pass --token or set HYPEROPT_RX_TOKEN`);
  }
  const bodyLimit = options.bodyLimit ?? 65536;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 64) throw new ArgumentError('bodyLimit', `must be an integer of at least 64 (bytes), got ${show(bodyLimit)}`);
  return { host, port, token, bodyLimit };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A fastify instance with the rules every route shares: the bearer token,
 * the body limit, strict JSON-schema validation (no type coercion: "3" is
 * not a number), and errors answered as `{ "error": message }`.
 */
export async function createServer(feature: string, options: CheckedListenOptions): Promise<FastifyInstance> {
  const { default: fastify } = await importOptional(feature, ['fastify'], () => import('fastify'));
  const app = fastify({
    bodyLimit: options.bodyLimit,
    forceCloseConnections: true, // an open SSE stream must not keep close() waiting
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  const expected = options.token === undefined ? undefined : digest(options.token);
  if (expected !== undefined) {
    // The cookie holds a random value of this server's, never the token: a browser sends a host's cookies to each of
    // its ports, so another service there sees it. It only reads (GET/HEAD), and only until this server stops.
    const session = randomBytes(32).toString('base64url');
    const expectedSession = digest(session);
    app.addHook('onRequest', async (request, reply) => {
      const header = request.headers.authorization;
      const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
      // A browser cannot send a header with a page, its scripts or an EventSource: its GETs may carry the token in
      // the address or the session cookie set below. Asks and tells (POST) need the header, so no other site can make one.
      const reading = request.method === 'GET' || request.method === 'HEAD';
      const fromQuery = reading ? (request.query as Record<string, unknown> | undefined)?.token : undefined;
      const token = bearer ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
      const cookies = token === undefined && reading ? cookieValues(request.headers.cookie, sessionCookie(request.socket.localPort)) : [];
      // Digests of equal length, compared in constant time: the answer's timing tells nothing about the token.
      const ok = token !== undefined ? timingSafeEqual(digest(token), expected) : cookies.some((c) => timingSafeEqual(digest(c), expectedSession));
      if (!ok) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: token === undefined && cookies.length === 0 ? 'a bearer token is required (Authorization: Bearer <token>)' : 'wrong bearer token' });
      }
      // A page opened at ?token=: the address loses the token (history, logs, Referer) and the browser gets the session.
      if (bearer === undefined && token !== undefined && request.headers.accept?.includes('text/html')) {
        const url = new URL(request.url, 'http://localhost');
        url.searchParams.delete('token');
        return reply
          .code(303)
          .header('set-cookie', `${sessionCookie(request.socket.localPort)}=${session}; HttpOnly; SameSite=Strict; Path=/`)
          .header('location', `/${url.pathname.replace(/^\/+/, '')}${url.search}`) // never '//host': always this server
          .send();
      }
    });
  }
  app.setErrorHandler((error: { statusCode?: number; message: string; validation?: unknown; validationContext?: string }, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: error.message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));
  return app;
}

/** The cookie a browser keeps a server's session in once it opened the page at ?token=: one per port, so two servers on a host keep theirs. */
function sessionCookie(port: number | undefined): string {
  return `hyperopt_rx_session_${port}`;
}

/** Every value the Cookie header gives `name` (a stale one from an earlier server may sit beside the current one). */
function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of header?.split(';') ?? []) {
    const k = part.indexOf('=');
    if (k >= 0 && part.slice(0, k).trim() === name) values.push(part.slice(k + 1).trim());
  }
  return values;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
