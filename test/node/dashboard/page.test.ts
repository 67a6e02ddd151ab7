import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { serve, type AskTellServer } from '../../../src/node/serve/serve.js';
import { RandomSampler } from '../../../src/samplers/RandomSampler.js';
import { explinrange } from '../../../src/space/explinrange.js';
import { linrange } from '../../../src/space/linrange.js';
import { get, post } from '../serve/http.js';
import { launchChromium } from './browser.js';
import { describeIf } from '../../helpers/requires.js';
import { chromiumAvailable } from '../../helpers/externals.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-page-'));
const space = { lr: explinrange(-4, -1, 61), depth: linrange(1, 12, 12), optimizer: ['sgd', 'adam', 'rmsprop'] };
type P = { lr: number; depth: number; optimizer: string };
const loss = ({ lr, depth, optimizer }: P) => (Math.log10(lr) + 2.5) ** 2 + 0.02 * (depth - 7) ** 2 + (optimizer === 'adam' ? 0 : 0.3);

let server: AskTellServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
const requests: string[] = [];

beforeAll(async () => {
  if (!chromiumAvailable) return;
  server = await serve({ space, journal: join(dir, 'run.jsonl'), port: 0, sampler: new RandomSampler({ seed: 11 }), title: 'lr, depth and optimizer' });
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tell(n: number): Promise<void> {
  for (let k = 0; k < n; k++) {
    const { body } = await post(`${server.url}api/ask`, {});
    await post(`${server.url}api/tell`, { id: body.id, value: loss(body.params) });
  }
}

/** Waits (with a deadline, not a sleep) until the page shows `n` trials in its count and its charts. */
async function shows(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => document.body.dataset.count === String(k) && document.body.dataset.charted === String(k), n, { timeout: 60_000, polling: 50 });
}

const marks = (page: Page, selector: string) => page.locator(selector).count();

describeIf(
  chromiumAvailable,
  'Chromium',
  'apt-get install chromium',
)('the dashboard page in headless Chromium', () => {
  let page: Page;
  let browser: BrowserContext;

  it('shows the trial count, the best so far, the charts and the table of the trials told', async () => {
    await tell(40);
    browser = chromium.browser;
    page = await browser.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(server.url);
    await shows(page, 40);
    const { body } = await get(`${server.url}api/trials`);
    const best = Math.min(...body.trials.map((t: { value: number }) => t.value));
    expect(await page.textContent('#count')).toBe('40');
    expect(Number(await page.textContent('#best'))).toBeCloseTo(best, 4);
    // One point per trial in the convergence plot, one per trial and parameter in the scatter, one line per trial.
    expect(await marks(page, '#convergence g.mark-symbol path')).toBe(40);
    expect(await marks(page, '#scatter g.mark-symbol path')).toBeGreaterThanOrEqual(40 * 3);
    expect(await marks(page, '#parallel g.mark-line path')).toBe(40);
    expect(await page.locator('#trials tbody tr').count()).toBe(40);
  });

  it('updates live as more trials are told, without a reload', async () => {
    await tell(5);
    await shows(page, 45);
    expect(await marks(page, '#convergence g.mark-symbol path')).toBe(45);
    expect(await page.locator('#trials tbody tr').count()).toBe(45);
  });

  it('sorts the table by a column when its header is clicked', async () => {
    await page.click('#trials th[data-key="value"]');
    const values = (await page.locator('#trials tbody tr td:nth-child(4)').allTextContents()).map(Number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    await page.click('#trials th[data-key="value"]');
    const descending = (await page.locator('#trials tbody tr td:nth-child(4)').allTextContents()).map(Number);
    expect(descending).toEqual([...values].reverse());
  });

  it('loads every script from the server itself (no CDN) and renders a non-blank screenshot', async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(server.url))).toEqual([]);
    await page.click('#trials th[data-key="i"]');
    const png = await page.screenshot({ fullPage: true });
    // Chromium decodes the PNG it took: the share of pixels that are not the background, and how many colours.
    const decoder = await browser.newPage();
    const stats = await decoder.evaluate(
      async (src) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const data = context.getImageData(0, 0, image.width, image.height).data;
        const colours = new Set<number>();
        let ink = 0;
        for (let k = 0; k < data.length; k += 4) {
          const [r, g, b] = [data[k], data[k + 1], data[k + 2]];
          colours.add((r << 16) | (g << 8) | b);
          if (r + g + b < 600) ink++;
        }
        return { width: image.width, height: image.height, colours: colours.size, ink: ink / (data.length / 4) };
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
    await decoder.close();
    expect(stats.width).toBeGreaterThan(800);
    expect(stats.colours).toBeGreaterThan(50);
    expect(stats.ink).toBeGreaterThan(0.02);
    // The README's picture: written when missing, or when asked for (HYPEROPT_RX_SCREENSHOT=1).
    const target = join(process.cwd(), 'docs', 'dashboard.png');
    if (!existsSync(target) || process.env.HYPEROPT_RX_SCREENSHOT === '1') writeFileSync(target, png);
  });

  it('with a token: opened once at ?token=, it takes the token out of the address and draws everything (scripts, events, plots)', async () => {
    const token = 'a token of the dashboard';
    const guarded = await serve({ space, journal: join(dir, 'guarded.jsonl'), port: 0, sampler: new RandomSampler({ seed: 12 }), token });
    const tab = await browser.newPage();
    const refused: string[] = [];
    tab.on('response', (response) => void (response.status() === 401 && refused.push(response.url())));
    try {
      for (let k = 0; k < 6; k++) {
        const { body } = await post(`${guarded.url}api/ask`, {}, { authorization: `Bearer ${token}` });
        await post(`${guarded.url}api/tell`, { id: body.id, value: loss(body.params) }, { authorization: `Bearer ${token}` });
      }
      await tab.goto(`${guarded.url}?token=${encodeURIComponent(token)}`);
      await shows(tab, 6);
      expect(tab.url()).toBe(guarded.url); // out of the history, the logs and any Referer
      expect(await marks(tab, '#convergence g.mark-symbol path')).toBe(6);
      expect(refused).toEqual([]);
      // The cookie it left is for reading: it does not let the page's origin ask or tell.
      const cookies = await browser.cookies(guarded.url);
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([[`hyperopt_rx_session_${guarded.port}`, true, 'Strict']]);
      expect(decodeURIComponent(cookies[0].value)).not.toBe(token); // a session of this server's, not the token
      const cookie = `${cookies[0].name}=${cookies[0].value}`;
      expect((await get(`${guarded.url}api/trials`, { cookie })).status).toBe(200);
      expect((await post(`${guarded.url}api/ask`, {}, { cookie })).status).toBe(401);
      // A wrong token in the address is a 401, with no cookie.
      const wrong = await tab.goto(`${guarded.url}?token=wrong-token-here`);
      expect(wrong?.status()).toBe(401);
    } finally {
      await tab.close();
      await guarded.close();
    }
  });
});
