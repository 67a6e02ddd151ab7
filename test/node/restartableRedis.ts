// A redis-server of our own, without persistence, that a test can SIGKILL and
// start again on the same port: it comes back empty, as after a crash of a
// Redis that keeps no RDB or AOF file. Stopped by its pid, never by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './redisServer.js';

export interface RestartableRedis {
  readonly url: string;
  /** SIGKILL, then the same port again, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRestartableRedis(): Promise<RestartableRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child = await launch(port);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    restart: async () => {
      await kill();
      child = await launch(port);
    },
    stop: kill,
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start: ${e.message}`))));
  await Promise.race([failed, waitForPing(port)]);
  return child;
}

/** A raw PING over TCP until +PONG (a refused ioredis client lingers for seconds). */
async function waitForPing(port: number): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', () => resolve(''));
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(String(chunk));
      });
      socket.once('connect', () => socket.write('PING\r\n'));
    });
    if (answer.startsWith('+PONG')) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}
