import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** tmux from the system, if there is one: the terminal tests need a real pseudo-terminal. */
export const tmuxAvailable = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let sessions = 0;

/**
 * A command in a detached tmux session of its own server (its own socket),
 * `cols` × `rows`: a real terminal, as a user's. The command runs under
 * bash, which then prints `EXIT=<code>` and stays, so the screen can be read
 * after the command is over.
 */
export class TmuxSession {
  private readonly socket: string;

  /** The server's socket is made in `cwd` (a test's own folder): removing the folder leaves nothing behind. */
  constructor(command: string, options: { readonly cwd: string; readonly cols: number; readonly rows: number }) {
    this.socket = join(options.cwd, `tmux-${++sessions}`);
    this.tmux('new-session', '-d', '-s', 't', '-x', String(options.cols), '-y', String(options.rows), '-c', options.cwd, this.shell(command));
  }

  /** Runs another command in the same pane (its screen cleared): what a user does next in the same terminal. */
  respawn(command: string): void {
    this.tmux('respawn-pane', '-k', '-t', 't', this.shell(command));
  }

  /** The screen as shown, each row as the terminal shows it (wrapped rows stay apart). */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 't');
  }

  /** Polls the screen until `pattern` shows (no clock decides: the deadline only guards a hang). */
  async waitFor(pattern: RegExp, deadlineMs = 90_000): Promise<string> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Types keys as tmux names them (`C-c`). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 't', ...keys);
  }

  /** Whether the terminal shows a cursor (none after an `ESC [?25l` never undone). */
  cursorVisible(): boolean {
    return this.tmux('display-message', '-p', '-t', 't', '#{cursor_flag}').trim() === '1';
  }

  /** Whether long lines wrap (off after an `ESC [?7l` never undone). */
  wraps(): boolean {
    return this.tmux('display-message', '-p', '-t', 't', '#{wrap_flag}').trim() === '1';
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }

  private shell(command: string): string {
    return `bash --norc --noprofile -c ${quote(`${command}; echo EXIT=$?; exec sleep 3600`)}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
}

/** One word for sh. */
export function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
