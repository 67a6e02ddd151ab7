// The command line on examples/cli: what `npx hyperopt-rx run ...` does, called in-process here.
// Shell equivalent:
//   npx hyperopt-rx run --space examples/cli/space.json --iterations 20 --concurrency 2 --journal run.jsonl \
//     -- node examples/cli/train.mjs --lr {lr} --layers {layers} --dropout {dropout} --activation {activation}
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/node/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hyperopt-rx-cli-'));
const program = ['node', 'examples/cli/train.mjs', '--lr', '{lr}', '--layers', '{layers}', '--dropout', '{dropout}', '--activation', '{activation}'];
const flags = ['--space', 'examples/cli/space.json', '--concurrency', '2', '--seed', '7', '--timeout', '30s', '--journal', join(dir, 'run.jsonl'), '--no-progress'];
let code = await main(['run', ...flags, '--iterations', '10', '--plot', join(dir, 'plot.svg'), '--', ...program]);
// Running it again with more iterations resumes from the journal: 10 more, not 20.
if (code === 0) code = await main(['run', ...flags, '--iterations', '20', '--', ...program]);
rmSync(dir, { recursive: true, force: true });
process.exitCode = code;
