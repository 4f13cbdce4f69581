/**
 * Terminal helpers of the `rivulet cluster` commands: a progress indicator (an ora spinner on
 * stderr when it is a terminal; otherwise one plain line on stdout per change, so logs and CI
 * show what happened), a y/N confirmation on a terminal, and usage errors (exit 2).
 */
import readline from 'node:readline/promises';
import ora, { type Ora } from 'ora';
import { CommanderError, type Command } from 'commander';

export interface Progress {
  update(text: string): void;
  /** Stop the indicator (the caller prints the result line). */
  stop(): void;
}

export function progress(first: string, out: (line: string) => void): Progress {
  // A terminal of unknown width (columns 0, e.g. a pty without a size) gets plain lines: a spinner
  // cannot count the lines it must clear there.
  if (process.stderr.isTTY && (process.stderr.columns ?? 0) > 0) {
    const spinner: Ora = ora({ text: first, stream: process.stderr, discardStdin: false }).start();
    return {
      update: (text) => void (spinner.text = text),
      stop: () => void spinner.stop(),
    };
  }
  let last = first;
  out(first);
  return {
    update: (text) => {
      if (text !== last) out(text);
      last = text;
    },
    stop: () => undefined,
  };
}

/** Can we ask the user? (stdin and stderr are terminals) */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Ask a y/N question on the terminal; anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** A usage error found by the action: one line on stderr, exit 2 (through commander's exitOverride). */
export function usageError(cmd: Command, message: string): never {
  cmd.error(`error: ${message}`, { exitCode: 2, code: 'rivulet.usage' });
  throw new Error(message); // not reached: cmd.error throws
}

/**
 * Wrap an action: a failure becomes one line on stderr, `error: …` (the format of every rivulet
 * command), exit 1; commander's own exits (usage errors, exit 2) pass through.
 */
export function guarded<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof CommanderError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`error: ${msg.split('\n')[0]!.replace(/^error:\s*/i, '')}\n`);
      process.exitCode = 1;
    }
  };
}

/** "1, 2, 3" / "none" */
export function ids(list: readonly number[]): string {
  return list.length === 0 ? 'none' : list.join(', ');
}
