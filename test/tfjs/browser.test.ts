// The live-training page in headless Chromium: the core, TF.js's CPU backend and the iris data bundled
// with esbuild, served on loopback; the page tunes real fits and reports through its DOM.
import { afterAll, beforeAll, expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { Hyperband } from '../../src/index.js';
import { space } from '../../examples/live-training/model.js';
import { buildLiveTrainingPage, serveLiveTrainingPage } from '../../examples/browser/page.js';
import { itIf } from '../helpers/requires.js';

const executablePath = '/usr/bin/chromium';
const available = existsSync(executablePath);
let browser: Browser | undefined;
let server: { url: string; close: () => Promise<void> } | undefined;

beforeAll(async () => {
  if (!available) return;
  server = await serveLiveTrainingPage(await buildLiveTrainingPage());
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // No --user-data-dir: Playwright gives each launch a fresh profile of its own.
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

itIf(available, 'Chromium', 'apt-get install chromium')(
  'tunes the iris network live in the page: every Hyperband evaluation is drawn, and the best loss is the smallest one',
  async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server!.url}?maxEpochs=9&seed=2`);
    await page.waitForSelector('#status[data-state="done"], #status[data-state="failed"]', { timeout: 110_000 });
    expect(await page.textContent('#status')).toBe('done');
    expect(errors).toEqual([]);
    const trials = Number(await page.textContent('#trials'));
    const best = Number(await page.textContent('#best'));
    const values = JSON.parse((await page.textContent('#trial-values')) ?? '[]') as number[];
    // Hyperband with maxResource 9, eta 3: its whole schedule, one dot per trial on the plot.
    expect(trials).toBe(new Hyperband({ maxResource: 9, eta: 3 }).evaluations(space, 1));
    expect(values).toHaveLength(trials);
    expect(await page.locator('#plot circle').count()).toBe(trials);
    expect(best).toBeCloseTo(Math.min(...values), 4);
    // Well below chance (ln 3 = 1.10 for three balanced classes): the page really trained.
    expect(best).toBeLessThan(0.8 * Math.log(3));
    expect(Number(await page.textContent('#epochs'))).toBeGreaterThan(0);
    await page.close();
  },
  120_000,
);
