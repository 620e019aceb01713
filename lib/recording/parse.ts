/**
 * Watch recordings: one JSON object per line, as `kubectl get … -w -o json --output-watch-events`
 * prints them (`{"type":"ADDED|MODIFIED|DELETED","object":{…}}`), optionally with an `observedAt`
 * (RFC 3339 string or epoch ms) per line. BOOKMARK lines are accepted and skipped; ERROR lines (a
 * watch that broke) are kept so the gap they mark is not lost. Any bad line fails the whole file with
 * its file name and line number.
 */
import { parseKubeObject, type ParseResult } from "../k8s/parse";
import type { KubeObject } from "../k8s/objects";
import { parseTimestamp, type EpochMs } from "../model/time";

export type WatchType = "ADDED" | "MODIFIED" | "DELETED";

export interface RecordedLine {
  readonly file: string;
  readonly line: number;
  readonly watchType: WatchType | "ERROR";
  /** Undefined only for ERROR lines. */
  readonly object?: KubeObject;
  readonly resourceVersion?: string;
  readonly observedAt?: EpochMs;
  readonly errorMessage?: string;
}

export class RecordingError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = "RecordingError";
  }
}

/** Lines longer than this are refused rather than parsed (a corrupt file, not a Kubernetes object). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const WATCH_TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Module-level rather than a closure per line (parseRecordingLine runs for every line of a recording). */
function failLine(file: string, lineNo: number, detail: string): never {
  throw new RecordingError(file, lineNo, detail);
}

/**
 * One line. `read` turns the "object" into a KubeObject: zod's stripped copy by default (for callers that
 * keep the lines); `readKubeObject` (the object itself when it passes the check-only Pod validator, with
 * zod's verdict and message otherwise) for callers that drop the line once it is normalized.
 */
export function parseRecordingLine(file: string, lineNo: number, text: string, isLast: boolean, read: (raw: unknown) => ParseResult<KubeObject> = parseKubeObject): RecordedLine | undefined {
  if (text.length > MAX_LINE_BYTES) failLine(file, lineNo, `line is longer than ${MAX_LINE_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const truncated = isLast && text.trimStart().startsWith("{");
    const expected = 'Expected one JSON watch event per line: {"type":"ADDED|MODIFIED|DELETED","object":{…}}';
    failLine(file, lineNo, truncated ? `truncated line: the file ends mid-object after ${text.length} characters. ${expected}` : `not valid JSON: ${why}. ${expected}`);
  }
  if (!isRecord(raw)) return failLine(file, lineNo, 'expected a JSON object {"type":…,"object":…}');
  const type = raw.type;
  if (typeof type !== "string") {
    const hint = typeof raw.kind === "string" ? ` (this looks like a bare ${raw.kind} object: record with --output-watch-events)` : "";
    return failLine(file, lineNo, `missing field "type" (ADDED, MODIFIED, DELETED, BOOKMARK or ERROR)${hint}`);
  }
  if (!WATCH_TYPES.has(type)) return failLine(file, lineNo, `unknown watch event type "${type}" (expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR)`);
  if (type === "BOOKMARK") return undefined;
  const observedAt = parseObservedAt(raw.observedAt, file, lineNo);
  if (type === "ERROR") {
    const status = isRecord(raw.object) ? raw.object : {};
    const message = typeof status.message === "string" ? status.message : "watch error";
    const code = typeof status.code === "number" ? ` (${status.code})` : "";
    return { file, line: lineNo, watchType: "ERROR", errorMessage: `${message}${code}`, ...(observedAt !== undefined ? { observedAt } : {}) };
  }
  if (!("object" in raw)) return failLine(file, lineNo, 'missing field "object"');
  const parsed = read(raw.object);
  if (!parsed.ok) return failLine(file, lineNo, parsed.error);
  const obj = parsed.value;
  const rv = obj.value.metadata.resourceVersion ?? undefined;
  // The optional keys set in place, not spread from literals: one object per line, not three.
  const rec: { -readonly [K in keyof RecordedLine]: RecordedLine[K] } = { file, line: lineNo, watchType: type as WatchType, object: obj };
  if (rv) rec.resourceVersion = rv;
  if (observedAt !== undefined) rec.observedAt = observedAt;
  return rec;
}

function parseObservedAt(value: unknown, file: string, lineNo: number): EpochMs | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const ms = parseTimestamp(value);
    if (ms !== undefined) return ms;
  }
  return failLine(file, lineNo, `"observedAt" must be an RFC 3339 time or epoch milliseconds, got ${JSON.stringify(value).slice(0, 60)}`);
}

/** Each recorded line of a whole file's text, in file order. Throws RecordingError naming the first bad line. */
export function eachRecordedLine(file: string, text: string, onLine: (l: RecordedLine) => void, read?: (raw: unknown) => ParseResult<KubeObject>): void {
  const lines = text.split("\n");
  // A final newline leaves one empty string: the real last line is the one before it.
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] ?? "").trim() === "") last--;
  for (let i = 0; i <= last; i++) {
    let line = lines[i] ?? "";
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1); // a CRLF file's \r
    // A line that starts with "{" is not blank: trim() only for the others.
    if (line.charCodeAt(0) !== 123 && line.trim() === "") continue;
    const rec = parseRecordingLine(file, i + 1, line, i === last, read);
    if (rec) onLine(rec);
  }
}

/** Parse a whole file's text. Throws RecordingError naming the first bad line. */
export function parseRecording(file: string, text: string): RecordedLine[] {
  const out: RecordedLine[] = [];
  eachRecordedLine(file, text, (l) => out.push(l));
  return out;
}
