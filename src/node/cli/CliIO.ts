import { Writable } from 'node:stream';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The process's own stdout and stderr. */
export const defaultIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** The stream a progress line is drawn on: the real stderr (a terminal, perhaps), else one that hands the text to `io.stderr`. */
export function stderrStream(io: CliIO): NodeJS.WritableStream {
  if (io === defaultIO) return process.stderr;
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      io.stderr(String(chunk));
      done();
    },
  });
}
