import { parseArgs } from 'node:util';
import { MAX_TIMEOUT_MS } from '../../base/check.js';
import type { Space } from '../../space/Space.js';
import { spaceFromFile } from '../internal/spaceFromFile.js';
import { checkKnownFlags, parseArgsOptions, type FlagSpec } from './FlagSpec.js';
import { UsageError } from './UsageError.js';
import type { Pruner } from '../../multifidelity/Pruner.js';
import { parseSamplerFlag, type SamplerChoice } from './samplerFlag.js';
import { DEFAULT_KILL_GRACE_MS, PRUNE_FLAGS, parseKillGrace, parsePruner } from './pruneFlags.js';

/** The flags of `hyperopt-rx run`, in the order the help lists them. */
export const RUN_FLAGS: readonly FlagSpec[] = [
  { name: 'space', type: 'string', value: 'FILE', meaning: 'the space file, JSON (required)' },
  { name: 'iterations', type: 'string', value: 'N', meaning: 'trials (under --hyperband: Hyperband iterations)', default: 'required; 1 under --hyperband' },
  {
    name: 'sampler',
    type: 'string',
    value: 'NAME',
    meaning: 'random, lhs, clhs, bohb or gp (a sampler name in any case: GPSampler), or a JSON description such as {"name":"GPSampler","seed":1}',
    default: 'random',
  },
  { name: 'hyperband', type: 'string', value: 'MAX[,eta]', meaning: 'Hyperband: budgets up to MAX, reduction factor eta', default: 'off; eta 3' },
  ...PRUNE_FLAGS,
  { name: 'maximize', type: 'boolean', meaning: 'the value is a score to maximize (an accuracy)', default: 'minimize' },
  { name: 'concurrency', type: 'string', value: 'N', meaning: 'programs running at once', default: '1' },
  { name: 'timeout', type: 'string', value: 'TIME', meaning: 'fail a trial after this long: 500ms, 60s, 2m, 1h', default: 'none' },
  { name: 'seed', type: 'string', value: 'S', meaning: "the sampler's seed", default: "random; a resume uses the journal's" },
  { name: 'journal', type: 'string', value: 'FILE', meaning: 'record each trial; the same command again resumes', default: 'none' },
  { name: 'force-resume', type: 'boolean', meaning: 'resume a journal of another program or sampler', default: 'refused' },
  { name: 'plot', type: 'string', value: 'FILE.svg', meaning: 'write the parameters plot at the end', default: 'none' },
  { name: 'progress', type: 'boolean', meaning: 'draw the progress bar on stderr', default: 'when stderr is a terminal' },
  { name: 'no-progress', type: 'boolean', meaning: 'no progress bar' },
  { name: 'verbose', type: 'boolean', meaning: 'print each failure (reason, stderr) as it happens', default: 'a summary at the end' },
  { name: 'fail-exit', type: 'boolean', meaning: 'exit 3 when any trial failed', default: 'exit 0 when one trial succeeded' },
  { name: 'help', type: 'boolean', short: 'h', meaning: 'this help' },
];

export interface RunFlags {
  readonly spaceFile: string;
  readonly space: Space;
  readonly iterations?: number;
  readonly concurrency: number;
  readonly timeoutMs?: number;
  /** The sampler `--sampler` names (under --hyperband, its inner sampler). */
  readonly sampler: SamplerChoice;
  readonly hyperband?: { readonly maxResource: number; readonly eta?: number };
  readonly pruner?: Pruner;
  readonly killGraceMs: number;
  readonly seed?: number | string;
  readonly journal?: string;
  readonly forceResume: boolean;
  readonly plot?: string;
  readonly progress?: boolean;
  readonly maximize: boolean;
  readonly verbose: boolean;
  readonly failExit: boolean;
  readonly command: readonly string[];
}

/** `run`'s flags, checked; a UsageError (or the space file's ArgumentError) names the problem. */
export function parseRunFlags(argv: readonly string[]): RunFlags {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  checkKnownFlags(own, RUN_FLAGS, 'run');
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...own], strict: true, allowPositionals: false, options: parseArgsOptions(RUN_FLAGS) }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(split < 0 && /positional/i.test(message) ? `${message} (put the program after --)` : message);
  }
  const text = (name: string) => values[name] as string | undefined;
  const spaceFile = text('space');
  if (spaceFile === undefined) throw new UsageError('--space is required (a JSON space file)');
  if (command.length === 0) throw new UsageError('no program to run: put it after --, e.g. -- python3 train.py --lr {lr}');
  const hyperband = text('hyperband') === undefined ? undefined : parseHyperband(text('hyperband')!);
  const iterations = text('iterations') === undefined ? undefined : positiveInteger('--iterations', text('iterations')!);
  if (iterations === undefined && hyperband === undefined) throw new UsageError('--iterations is required (a positive integer)');
  const sampler = parseSamplerFlag(text('sampler') ?? 'random');
  if (values.progress && values['no-progress']) throw new UsageError('--progress and --no-progress contradict each other');
  const seedText = text('seed');
  return {
    spaceFile,
    space: spaceFromFile(spaceFile),
    iterations,
    concurrency: text('concurrency') === undefined ? 1 : positiveInteger('--concurrency', text('concurrency')!),
    timeoutMs: text('timeout') === undefined ? undefined : parseDuration(text('timeout')!),
    sampler,
    hyperband,
    pruner: text('pruner') === undefined ? undefined : parsePruner(text('pruner')!),
    killGraceMs: text('kill-grace') === undefined ? DEFAULT_KILL_GRACE_MS : parseKillGrace(text('kill-grace')!),
    seed: seedText === undefined ? undefined : /^-?\d+$/.test(seedText) ? Number(seedText) : seedText,
    journal: text('journal'),
    forceResume: values['force-resume'] === true,
    plot: text('plot'),
    progress: values.progress ? true : values['no-progress'] ? false : undefined,
    maximize: values.maximize === true,
    verbose: values.verbose === true,
    failExit: values['fail-exit'] === true,
    command,
  };
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/** MAX[,eta]: Hyperband's maxResource and eta. */
function parseHyperband(text: string): { maxResource: number; eta?: number } {
  const parts = text.split(',');
  const nums = parts.map(Number);
  if (parts.length > 2 || nums.some((n) => !Number.isFinite(n)) || !(nums[0] >= 1) || (parts.length === 2 && !(nums[1] > 1))) {
    throw new UsageError(`--hyperband must be MAX or MAX,eta (the largest budget, maxResource) with MAX >= 1 and eta > 1, got ${JSON.stringify(text)}`);
  }
  return parts.length === 2 ? { maxResource: nums[0], eta: nums[1] } : { maxResource: nums[0] };
}

/** "60s", "500ms", "2m", "1h", or plain seconds. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--timeout must be a duration such as 60s, 500ms, 2m or 1h, got ${JSON.stringify(text)}`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(ms >= 1)) throw new UsageError(`--timeout must be at least 1ms, got ${JSON.stringify(text)}`);
  if (Math.round(ms) > MAX_TIMEOUT_MS) throw new UsageError(`--timeout must be at most ${MAX_TIMEOUT_MS}ms (about 596h, the longest timer delay), got ${JSON.stringify(text)}`);
  return Math.round(ms);
}
