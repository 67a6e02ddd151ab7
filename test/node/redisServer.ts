// A real Redis for the queue tests: REDIS_URL when set (.ci/run starts one on
// 127.0.0.1:6390), otherwise a redis-server child on a free loopback port,
// stopped by its pid at the end. Never a mock.
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** redis-server on PATH: needed for a server of the test's own (a password, a restart). */
export const redisServerOnPath = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
/** A real Redis can be had: REDIS_URL, or redis-server on PATH. */
export const redisAvailable = Boolean(process.env.REDIS_URL) || redisServerOnPath;

export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/** `password` (started with --requirepass) or `own`: always a server of our own, even with REDIS_URL. */
export async function startRedis({ password, own = false }: { password?: string; own?: boolean } = {}): Promise<TestRedis> {
  if (process.env.REDIS_URL && password === undefined && !own) return { url: process.env.REDIS_URL, stop: async () => {} };
  const port = await freePort();
  const auth = password === undefined ? [] : ['--requirepass', password];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start (install it, or set REDIS_URL): ${e.message}`))));
  const url = `redis://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}127.0.0.1:${port}`;
  await Promise.race([failed, waitForPing(url)]);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls with a raw PING over TCP (a refused ioredis client lingers for seconds and keeps jest alive). */
async function waitForPing(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  for (let attempt = 0; ; attempt++) {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      let data = '';
      socket.once('error', () => resolve(''));
      socket.on('data', (chunk) => {
        data += chunk.toString();
        socket.destroy();
        resolve(data);
      });
      socket.once('connect', () => socket.write('PING\r\n'));
    });
    // A password-protected server answers NOAUTH: it is up all the same.
    if (answer.startsWith('+PONG') || answer.startsWith('-NOAUTH')) return;
    if (attempt > 200) throw new Error(`redis-server at ${url} did not answer`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
