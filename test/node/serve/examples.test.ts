import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../../src/node/serve/serve.js';
import { spaceFromFile } from '../../../src/node/internal/spaceFromFile.js';
import { RandomSampler } from '../../../src/samplers/RandomSampler.js';
import { get } from './http.js';
import { itIf } from '../../helpers/requires.js';
import { PYTHON, sklearnAvailable } from '../../helpers/externals.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-serve-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('examples/serve', () => {
  itIf(
    sklearnAvailable,
    'scikit-learn',
    'apt-get install python3-sklearn',
  )('the Python client (urllib) asks, trains a scikit-learn SVM and tells its validation error', async () => {
    const server = await serve({ space: spaceFromFile('examples/serve/space.json'), journal: join(dir, 'svm.jsonl'), port: 0, sampler: new RandomSampler({ seed: 2 }) });
    try {
      const result = await run(PYTHON, ['examples/serve/client.py', '6'], { HYPEROPT_RX_URL: server.url });
      expect(result).toEqual(expect.objectContaining({ code: 0 }));
      const { body } = await get(`${server.url}api/trials`);
      expect(body.count).toBe(6);
      for (const t of body.trials) {
        expect(t.status).toBe('ok');
        expect(t.value).toBeGreaterThanOrEqual(0);
        expect(t.value).toBeLessThanOrEqual(1);
      }
      // The client printed what it told.
      expect(result.stdout.trim().split('\n')).toHaveLength(6);
    } finally {
      await server.close();
    }
  });

  it('the TypeScript event-driven backend tells each job event and asks for the next', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'examples/serve/backend.ts']);
    expect(result).toEqual(expect.objectContaining({ code: 0 })); // on failure, the message shows its stderr
    const m = /^30 trials \((\d+) ok, (\d+) failed\)\nbest: [\d.]+ at C = /.exec(result.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + Number(m![2])).toBe(30);
  });
});
