import { terminalSafe } from "../../lib/text/terminal-safe";

/** What a CLI command may touch of its process: output streams and environment. Tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal: a long command may draw a progress line there (never into a pipe or a log). */
  readonly errIsTTY?: boolean;
}

export function processIo(): CliIo {
  // `drainscope … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
  }
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    env: process.env,
    errIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * The same streams with cluster text made terminal-safe (no escape sequences, no control characters but
 * newline and tab): for tables, Markdown and messages. JSON and exported file bodies use the raw `io`.
 */
export function humanIo(io: CliIo): CliIo {
  return { out: (t) => io.out(terminalSafe(t)), err: (t) => io.err(terminalSafe(t)), env: io.env, ...(io.errIsTTY ? { errIsTTY: true } : {}) };
}
