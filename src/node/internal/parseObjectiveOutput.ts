const NUMBER = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)$/i;
/** What a number line can start with and hold: decides whether an overlong line could have been the value. */
const NUMBER_LIKE = /^\s*[-+]?[\d.][\d.eE+-]*$/;

/** The longest line of stdout read whole (16 Mi characters); a longer line that may hold the value fails the trial. */
export const MAX_OUTPUT_LINE = 16 * 1024 * 1024;

/** A program's objective as read from its output; `error` when the line that holds it is unusable. */
export type ObjectiveOutput = number | { readonly value: number; readonly state?: unknown } | { readonly error: string } | undefined;

/** Reads stdout as it comes, in memory bounded by the longest line: the last value line wins. */
export interface ObjectiveOutputReader {
  write(chunk: string): void;
  /** The value of the last value line (after `end`), undefined when none. */
  result(): ObjectiveOutput;
  /** The start of the last non-empty line, for messages. */
  lastLine(): string;
}

/**
 * The objective in a program's output, read line by line: the last line that
 * is a number, or a JSON `{"value": number}` line, whichever comes last. A
 * number that overflows to ±Infinity (only `inf` means infinity) and a line
 * longer than MAX_OUTPUT_LINE that may hold the value give `{ error }`.
 */
export function readObjectiveOutput(maxLine = MAX_OUTPUT_LINE): ObjectiveOutputReader {
  let pieces: string[] = [];
  let length = 0;
  let overlong: { readonly head: string; readonly maybeValue: boolean } | undefined; // a line past maxLine: its rest is skipped
  let found: ObjectiveOutput;
  let last = '';
  let lines = 0;
  const endLine = () => {
    lines++;
    if (overlong !== undefined) {
      const { head, maybeValue } = overlong;
      if (maybeValue) found = { error: `line ${lines} of stdout is longer than ${maxLine} characters, the longest line read (it starts ${JSON.stringify(head.slice(0, 40))})` };
      last = head;
      overlong = undefined;
    } else {
      const line = (pieces.length === 1 ? pieces[0] : pieces.join('')).trim();
      if (line !== '') {
        last = line.slice(0, 200);
        found = parseLine(line) ?? found;
      }
    }
    pieces = [];
    length = 0;
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
    lastLine: () => last,
  };
}

/** The objective in a whole output at once (see readObjectiveOutput). */
export function parseObjectiveOutput(stdout: string): ObjectiveOutput {
  const reader = readObjectiveOutput();
  reader.write(stdout);
  return reader.result();
}

function parseLine(line: string): ObjectiveOutput {
  if (NUMBER.test(line)) return parseNumber(line);
  if (!line.startsWith('{')) return undefined;
  let json: { value?: unknown; state?: unknown };
  try {
    json = JSON.parse(line) as typeof json;
  } catch {
    return undefined; // not JSON: a log line
  }
  if (json === null || typeof json !== 'object') return undefined;
  if (json.value === null) return NaN;
  if (typeof json.value !== 'number') return undefined;
  if (!Number.isFinite(json.value)) return { error: `the JSON line's value overflows to ${json.value} (${JSON.stringify(line.slice(0, 80))})` };
  return json.state === undefined ? json.value : { value: json.value, state: json.state };
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
