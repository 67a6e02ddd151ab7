import { describe, it, expect, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisAvailable, startRedis } from './redisServer.js';
import { describeWithRedis } from './withRedis.js';

const script = fileURLToPath(new URL('../fixtures/node/runAndExit.ts', import.meta.url));
const lostRedis = fileURLToPath(new URL('../fixtures/node/lostRedis.ts', import.meta.url));
const redis = redisAvailable ? await startRedis() : { url: '', stop: async () => {} };
afterAll(() => redis.stop());

/** Runs the script in a fresh Node (jest itself keeps its event loop alive, so this cannot be seen in-process). */
function runScript(...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return runFile(script, ...args);
}

function runFile(file: string, ...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', file, ...args], { env: { ...process.env, REDIS_URL: redis.url }, timeout: 60_000 }, (_error, stdout) =>
      resolve({ code: child.exitCode, stdout }),
    );
  });
}

describe('executors and the Node event loop', () => {
  it.each([
    ['threads', 'close'],
    ['threads', 'no-close'],
    ['processes', 'close'],
    ['processes', 'no-close'],
  ])('should let Node exit once the run is over (%s, %s)', async (kind, close) => {
    expect(await runScript(kind, close)).toEqual({ code: 0, stdout: 'done 20\n' });
  });
});

describeWithRedis('the queue executor and the Node event loop', () => {
  it('should let Node exit once the run is over (queue, close)', async () => {
    expect(await runScript('queue', 'close')).toEqual({ code: 0, stdout: 'done 20\n' });
  });
});

describeWithRedis('queue: Redis lost mid-run (in a fresh process)', () => {
  it('should fail the trials in flight after lostTimeoutMs, keep the finished ones, and close', async () => {
    const { code, stdout } = await runFile(lostRedis);
    expect(code).toBe(0);
    const outcome = JSON.parse(stdout) as { message: string; history: number; closeMs: number };
    expect(outcome.closeMs).toBeLessThan(30_000); // gives up on the dead Redis after connectTimeoutMs (1 s) instead of waiting for it
    expect(outcome.message).toMatch(/lost Redis at redis:\/\/127\.0\.0\.1:\d+ for \d+ ms \(option `lostTimeoutMs`\)/);
    expect(outcome.history).toBe(4);
  });
});
