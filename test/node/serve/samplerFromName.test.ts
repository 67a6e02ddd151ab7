import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplerFromName } from '../../../src/node/internal/samplerFromName.js';
import { serve } from '../../../src/node/serve/serve.js';
import { registerSampler } from '../../../src/sinks/samplerRegistry.js';
import { RandomSampler } from '../../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../../src/base/ArgumentError.js';
import { uniform } from '../../../src/space/uniform.js';
import { get, post } from './http.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-sampler-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--sampler: names resolved through the sampler registry', () => {
  it('takes a registry name in any case, with or without "Sampler", and the usual abbreviations', () => {
    expect(samplerFromName('random', 1).name).toBe('RandomSampler');
    expect(samplerFromName('RandomSampler', 1).name).toBe('RandomSampler');
    expect(samplerFromName('lhs', 1).name).toBe('LHSampler');
    expect(samplerFromName('clhs', 1).name).toBe('CLHSampler');
    expect(samplerFromName('bohb', 1).name).toBe('BOHB');
    expect(samplerFromName('gp', 1).name).toBe('GPSampler');
    expect((samplerFromName('random', 42).toJSON?.() as { seed: number }).seed).toBe(42);
  });

  it('takes a JSON description, and a sampler registered by the application', () => {
    const hyperband = samplerFromName('{"name":"Hyperband","maxResource":9,"inner":{"name":"RandomSampler","seed":3}}', undefined);
    expect(hyperband.name).toContain('Hyperband');
    registerSampler('TemperedSampler', ({ seed }) => Object.assign(new RandomSampler({ seed: seed as number }), { name: 'TemperedSampler' }));
    expect(samplerFromName('tempered', 5).name).toBe('TemperedSampler');
  });

  it('refuses unknown names, bad JSON and options the sampler refuses, naming the flag', () => {
    expect(() => samplerFromName('simulated-annealing', undefined, '--sampler')).toThrow(expect.objectContaining({ option: '--sampler' }));
    expect(() => samplerFromName('{"name":', undefined, '--sampler')).toThrow(/not valid JSON/);
    // Hyperband without maxResource: the sampler's own complaint, not "no such name".
    expect(() => samplerFromName('hyperband', undefined, '--sampler')).toThrow(ArgumentError);
    expect(() => samplerFromName('hyperband', undefined, '--sampler')).not.toThrow(/names no known sampler/);
  });

  it('serves a GPSampler (--sampler gp) through ask and tell', async () => {
    const server = await serve({ space: { x: uniform(-2, 2), y: uniform(-2, 2) }, journal: join(dir, 'gp.jsonl'), port: 0, sampler: samplerFromName('gp', 1) });
    try {
      for (let k = 0; k < 8; k++) {
        const { status, body } = await post(`${server.url}api/ask`, {});
        expect(status).toBe(200);
        await post(`${server.url}api/tell`, { id: body.id, value: (body.params.x - 0.3) ** 2 + (body.params.y + 0.2) ** 2 });
      }
      const { body } = await get(`${server.url}api/trials`);
      expect(body.sampler).toBe('GPSampler');
      expect(body.count).toBe(8);
    } finally {
      await server.close();
    }
  });
});
