const NUMBER = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)$/i;
/** What a number line can start with and hold: decides whether an overlong line could have been the value. */
const NUMBER_LIKE = /^\s*[-+]?[\d.][\d.eE+-]*$/;

/** The longest line of stdout read whole (16 Mi characters); a longer line that may hold the value fails the trial. */
export const MAX_OUTPUT_LINE = 16 * 1024 * 1024;

/** A program's objective as read from its output; `error` when the line that holds it is unusable. */
export type ObjectiveOutput = number | { readonly value: number; readonly state?: unknown } | { readonly error: string } | undefined;

/** One intermediate value a program printed as `{"step": k, "value": v}` (with an optional `state`). */
export interface ProgramStep {
  /** The program's own step number (epoch, iteration), as printed. */
  readonly step: number;
  readonly value: number;
  readonly state?: unknown;
}

/** Reads stdout as it comes, in memory bounded by the longest line: the last value line wins. */
export interface ObjectiveOutputReader {
  write(chunk: string): void;
  /** The value of the last value line (after `end`), undefined when none. */
  result(): ObjectiveOutput;
  /** True when the last value line was a step line (`onStep` has already had it). */
  endedOnStep(): boolean;
  /** The start of the last non-empty line, for messages. */
  lastLine(): string;
}

/**
 * The objective in a program's output, read line by line: the last line that
 * is a number, a JSON `{"value": number}` line or a step line
 * `{"step": k, "value": number}`, whichever comes last. Each step line goes
 * to `onStep` as soon as its newline is read. A number that overflows to
 * ±Infinity (only `inf` means infinity) and a line longer than
 * MAX_OUTPUT_LINE that may hold the value give `{ error }`.
 */
export function readObjectiveOutput(maxLine = MAX_OUTPUT_LINE, onStep?: (step: ProgramStep) => void): ObjectiveOutputReader {
  let pieces: string[] = [];
  let length = 0;
  let overlong: { readonly head: string; readonly maybeValue: boolean } | undefined; // a line past maxLine: its rest is skipped
  let found: ObjectiveOutput;
  let last = '';
  let lines = 0;
  let onAStep = false;
  const endLine = () => {
    lines++;
    let step: ProgramStep | undefined;
    if (overlong !== undefined) {
      const { head, maybeValue } = overlong;
      if (maybeValue) {
        onAStep = false;
        found = { error: `line ${lines} of stdout is longer than ${maxLine} characters, the longest line read (it starts ${JSON.stringify(head.slice(0, 40))})` };
      }
      last = head;
      overlong = undefined;
    } else {
      const line = (pieces.length === 1 ? pieces[0] : pieces.join('')).trim();
      if (line !== '') {
        last = line.slice(0, 200);
        const parsed = parseLine(line);
        if (parsed !== undefined) {
          step = isStep(parsed) ? parsed : undefined;
          onAStep = step !== undefined;
          found = step === undefined ? parsed : stepResult(step);
        }
      }
    }
    pieces = [];
    length = 0;
    // Last: the listener may stop the program, or throw, with the reader consistent.
    if (step !== undefined) onStep?.(step);
  };
  const add = (text: string) => {
    if (overlong !== undefined || text === '') return;
    if (length + text.length > maxLine) {
      const line = (pieces.join('') + text).trimStart();
      overlong = { head: line.slice(0, 200), maybeValue: line.startsWith('{') || NUMBER_LIKE.test(line) };
      pieces = [];
      length = 0;
      return;
    }
    pieces.push(text);
    length += text.length;
  };
  return {
    write(chunk) {
      let from = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
        add(chunk.slice(from, nl));
        endLine();
        from = nl + 1;
      }
      add(chunk.slice(from));
    },
    result() {
      if (length > 0 || overlong !== undefined) endLine();
      return found;
    },
    endedOnStep: () => onAStep,
    lastLine: () => last,
  };
}

/** The objective in a whole output at once (see readObjectiveOutput). */
export function parseObjectiveOutput(stdout: string): ObjectiveOutput {
  const reader = readObjectiveOutput();
  reader.write(stdout);
  return reader.result();
}

function parseLine(line: string): ObjectiveOutput | ProgramStep {
  if (NUMBER.test(line)) return parseNumber(line);
  if (!line.startsWith('{')) return undefined;
  let json: { value?: unknown; state?: unknown; step?: unknown };
  try {
    json = JSON.parse(line) as typeof json;
  } catch {
    return undefined; // not JSON: a log line
  }
  if (json === null || typeof json !== 'object') return undefined;
  let value: number;
  if (json.value === null) value = NaN;
  else if (typeof json.value !== 'number') return undefined;
  else value = json.value;
  if (value === Infinity || value === -Infinity) return { error: `the JSON line's value overflows to ${value} (${JSON.stringify(line.slice(0, 80))})` };
  // A step line: `step` is what the program counts (an epoch), any finite number.
  if (typeof json.step === 'number' && Number.isFinite(json.step)) return json.state === undefined ? { step: json.step, value } : { step: json.step, value, state: json.state };
  return json.state === undefined ? value : { value, state: json.state };
}

function isStep(parsed: ObjectiveOutput | ProgramStep): parsed is ProgramStep {
  return typeof parsed === 'object' && 'step' in parsed;
}

/** A step line as the trial's result, should it be the last. */
function stepResult({ value, state }: ProgramStep): ObjectiveOutput {
  return state === undefined ? value : { value, state };
}

function parseNumber(text: string): ObjectiveOutput {
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t === 'nan' || t === '-nan') return NaN;
  if (/^-?inf/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const value = Number(t);
  // Digits too many or too large for a double: not the infinity the program meant (it would print "inf").
  if (!Number.isFinite(value))
    return { error: `the number ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)} (${text.length} characters) overflows to ${value}` };
  return value;
}
