/**
 * The runtime's `log` function for a process: plain lines on a terminal, one JSON object per line (pino)
 * otherwise, so a container's log collector gets time, level and message as fields. The runtime logs
 * plain sentences; failures (lines saying "failed", "dropped", "could not" or "error") go out at warn.
 * DRAINSCOPE_LOG_FORMAT=json|text overrides the terminal check.
 */
import { pino } from "pino";

export type LogFunction = (line: string) => void;

interface LogStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

const WARN = /\b(failed|dropped|could not|cannot|error)\b/i;

export function wantsJsonLogs(stream: LogStream, env: Readonly<Record<string, string | undefined>>): boolean {
  const format = env.DRAINSCOPE_LOG_FORMAT;
  if (format === "json") return true;
  if (format === "text") return false;
  return !stream.isTTY;
}

export function createLog(stream: LogStream, json: boolean): LogFunction {
  if (!json) return (line) => void stream.write(line.endsWith("\n") ? line : `${line}\n`);
  const logger = pino(
    {
      base: { service: "drainscope" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (chunk: string) => void stream.write(chunk) },
  );
  return (line) => {
    const msg = line.replace(/^drainscope: /, "").trimEnd();
    if (WARN.test(msg)) logger.warn(msg);
    else logger.info(msg);
  };
}

/** The log function for this process's stdout (the dashboard server) or stderr (CLI commands). */
export function processLog(stream: NodeJS.WriteStream = process.stdout, env: Readonly<Record<string, string | undefined>> = process.env): LogFunction {
  return createLog(stream, wantsJsonLogs(stream, env));
}
