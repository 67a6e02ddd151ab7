// Builds the live-training page (liveTraining.html + its script bundled with esbuild: the core, TF.js's
// CPU backend and the iris data) and serves it on loopback. Used by serve.ts and by the browser test.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface LiveTrainingPage {
  readonly html: string;
  readonly script: string;
}

export async function buildLiveTrainingPage(): Promise<LiveTrainingPage> {
  const entry = fileURLToPath(new URL('./liveTraining.ts', import.meta.url));
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, logLevel: 'warning' });
  return { html: readFileSync(new URL('./liveTraining.html', import.meta.url), 'utf8'), script: result.outputFiles[0].text };
}

/** Serves the page at `url` (127.0.0.1, a free port) until `close()`. */
export async function serveLiveTrainingPage(page: LiveTrainingPage, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file =
      path === '/' || path === '/liveTraining.html'
        ? { type: 'text/html', body: page.html }
        : path === '/liveTraining.js'
          ? { type: 'text/javascript', body: page.script }
          : undefined;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${file.type}; charset=utf-8` }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}/`, close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))) };
}
