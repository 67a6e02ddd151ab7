import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { ArgumentError } from '../../base/ArgumentError.js';
import { loadJournal } from '../loadJournal.js';
import { importOptional } from '../internal/importOptional.js';
import type { CliIO } from '../cli/CliIO.js';
import { checkKnownFlags, flagTable, parseArgsOptions, type FlagSpec } from '../cli/FlagSpec.js';
import { UsageError } from '../cli/UsageError.js';
import { didYouMean } from '../cli/didYouMean.js';
import { showSummary } from './showSummary.js';
import { trialRows } from './trialRows.js';
import { trialsCsv } from './trialsCsv.js';
import { trialsJson } from './trialsJson.js';
import { PLOT_KINDS, type PlotKind } from './plotKinds.js';
import { renderSvg } from '../renderSvg.js';
import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import type { VegaLiteSpec } from '../../plots/VegaLiteSpec.js';

/** The flags of `hyperopt-rx show`, in the order the help lists them. */
export const SHOW_FLAGS: readonly FlagSpec[] = [
  { name: 'top', type: 'string', value: 'K', meaning: 'rows of the table of best trials', default: '10' },
  { name: 'csv', type: 'boolean', meaning: 'print every trial as CSV instead (one row per trial: parameters, value, status, resources, steps, duration, error)' },
  { name: 'json', type: 'boolean', meaning: 'print every trial as a JSON array instead, one trial per line' },
  { name: 'plot', type: 'string', value: 'FILE.svg', meaning: 'also draw a plot to FILE.svg (needs vega and vega-lite)', default: 'none' },
  { name: 'kind', type: 'string', value: 'KIND', meaning: 'the plot: params, convergence, resources (Hyperband) or curves (the step values)', default: 'params' },
  { name: 'help', type: 'boolean', short: 'h', meaning: 'this help' },
];

/** `hyperopt-rx show --help`. */
export function showHelp(): string {
  return `Usage: hyperopt-rx show JOURNAL [--top K] [--csv | --json] [--plot FILE.svg [--kind params|convergence|resources|curves]]

Shows what a journal holds, without running anything: the number of trials
(ok, failed, pruned), the direction, the best value and its parameters as
name = value lines, and a table of the best trials. A journal that is still
being written can be shown: a last line cut short is left out.

${flagTable(SHOW_FLAGS)}

Exit codes: 0 shown, 1 the journal holds no trial with a value, 2 bad flags or no readable journal.
`;
}

/** `hyperopt-rx show JOURNAL ...`; resolves with the exit code. */
export async function showCommand(argv: readonly string[], io: CliIO): Promise<number> {
  checkKnownFlags(argv, SHOW_FLAGS, 'show');
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: parseArgsOptions(SHOW_FLAGS) }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) {
    io.stdout(showHelp());
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`show takes one journal file, got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  const [path] = positionals;
  if (values.csv === true && values.json === true) throw new UsageError('--csv and --json contradict each other: one export at a time');
  const top = values.top === undefined ? 10 : positiveInteger('--top', values.top as string);
  const kindText = values.kind as string | undefined;
  if (kindText !== undefined && values.plot === undefined) throw new UsageError('--kind chooses the plot of --plot FILE.svg, which is missing');
  const kind = (kindText ?? 'params') as PlotKind;
  if (!Object.hasOwn(PLOT_KINDS, kind))
    throw new UsageError(`--kind must be ${Object.keys(PLOT_KINDS).join(', ')}, got ${JSON.stringify(kindText)}${didYouMean(kind, Object.keys(PLOT_KINDS))}`);
  const plotFile = values.plot as string | undefined;
  // Say so before reading a large journal, not after.
  if (plotFile !== undefined) await importOptional('--plot', ['vega', 'vega-lite'], () => import('vega-lite'));

  // A run still writing the journal may be in the middle of its last line: that line is left out, quietly.
  const ho = await loadJournal(path, { onWarning: (message) => (/truncated last line/.test(message) ? undefined : io.stderr(`${message}\n`)) });
  // The plot's spec first: a kind the journal cannot draw (resources without Hyperband) is refused before any output.
  const spec = plotFile === undefined ? undefined : plotSpec(ho, kind);
  if (values.csv === true) io.stdout(trialsCsv(trialRows(ho), ho.params));
  else if (values.json === true) io.stdout(trialsJson(trialRows(ho)));
  else io.stdout(showSummary(ho, top, path));
  if (plotFile !== undefined && spec !== undefined) {
    writeFileSync(plotFile, await renderSvg(spec));
    io.stderr(`hyperopt-rx: wrote ${plotFile}\n`);
  }
  return ho.best === undefined ? 1 : 0;
}

function plotSpec(ho: Hyperoptimizer, kind: PlotKind): VegaLiteSpec {
  try {
    return PLOT_KINDS[kind](ho);
  } catch (error) {
    if (error instanceof ArgumentError && error.option === 'ho') throw new UsageError(`--kind ${kind}: the journal ${error.message.replace(/^`ho` /, '')}`);
    throw error;
  }
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}
