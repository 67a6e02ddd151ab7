import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ArgumentError } from '../../../base/ArgumentError.js';
import type { ListenOptions } from '../ListenOptions.js';

/** Where a server command writes; the CLI passes its own. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The flags every server command takes. */
export const LISTEN_FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  'body-limit': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** parseArgs, strict, with its errors as ArgumentErrors naming the flags. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  positionals: boolean,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new ArgumentError('flags', (error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export function integerFlag(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new ArgumentError(flag, `must be an integer of at least ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** "30s", "500ms", "10m", "1h", or plain seconds, in ms. */
export function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']) : NaN;
  if (!(ms >= 1 && ms <= 2_147_483_647)) throw new ArgumentError(flag, `must be a duration such as 30s, 500ms, 10m or 1h (at most about 596h), got ${JSON.stringify(text)}`);
  return ms;
}

export function listenOptions(values: { host?: string; port?: string; token?: string; 'body-limit'?: string }): ListenOptions {
  return {
    host: values.host,
    port: integerFlag('--port', values.port, 0),
    token: values.token,
    bodyLimit: integerFlag('--body-limit', values['body-limit'], 64),
  };
}

/** Resolves when the process is asked to stop (SIGINT, SIGTERM, SIGHUP) or `signal` aborts. */
export function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const done = () => {
      for (const s of signals) process.off(s, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    for (const s of signals) process.once(s, done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done);
  });
}
