import { spawn } from 'node:child_process';
import { basename } from 'node:path';

/**
 * Runs a Python script of the suite with `input` as JSON on stdin and
 * resolves with the JSON object it prints: the last stdout line that starts
 * with `{` (libraries such as scipy may print on the same stdout). Rejects
 * with the script's stderr when it fails.
 */
export function runPython<T>(python: string, script: string, input: unknown, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const name = basename(script);
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name} exited with ${code}: ${err.trim()}`));
      try {
        resolve(lastJsonLine<T>(out));
      } catch (e) {
        reject(new Error(`${name} printed no JSON: ${(e as Error).message}\n${err}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/** The JSON object a suite script printed: its last stdout line that starts with `{` (the whole text if none does). */
export function lastJsonLine<T>(out: string): T {
  const line = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return JSON.parse(line ?? out) as T;
}
