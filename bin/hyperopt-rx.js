#!/usr/bin/env node
// The `hyperopt-rx` command. An installed package runs the compiled dist/;
// a development checkout (src/ present) runs the TypeScript source through
// tsx, so `npx hyperopt-rx` works right after `npm install`, without a build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const source = new URL('src/node/cli.ts', root);
let cli;
if (existsSync(fileURLToPath(source))) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    cli = await import(source.href);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
}
cli ??= await import(new URL('dist/node/cli.js', root).href);
// A closed pipe (`hyperopt-rx run ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await cli.main(process.argv.slice(2));
