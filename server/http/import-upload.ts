/**
 * The body of POST /api/import, streamed, in either of two shapes:
 *   - the raw file (any content type but multipart): one file, named by `?name=`;
 *   - `multipart/form-data`: one `file` part per file (its filename, which may carry a folder path such as
 *     `real-v1.24-rollout/pods.jsonl` from a folder upload, names it) and an optional `cluster` field.
 *     Several files in one request are ONE import: one cluster, ordered together, all or nothing.
 * Neither is buffered: the bytes flow into the import planner as they arrive (gzip or not). The whole
 * request counts against the upload limit (DRAINSCOPE_MAX_UPLOAD_BYTES): past it the answer is 413 and,
 * since nothing is written before the last byte has been read and checked, nothing is stored.
 */
import type { ImportSource } from "../import/stream";
import { MAX_UPLOAD_FILES } from "../../lib/import/upload-set";
import { boundaryOf, multipartParts } from "./multipart-stream";
import { HttpError } from "./respond";

/** More parts than this is not a recording set (the Import panel checks the same number before sending). */
export const MAX_IMPORT_FILES = MAX_UPLOAD_FILES;

/** The default cap of one upload; the CLI has none. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/**
 * The upload cap and the variable that set it, for the message: DRAINSCOPE_MAX_UPLOAD_BYTES, else (as before
 * issue 15, when one knob capped analyze, the CLI import and uploads) DRAINSCOPE_MAX_INPUT_BYTES, else 512 MiB.
 */
export function maxUploadBytes(env: Readonly<Record<string, string | undefined>>): { readonly max: number; readonly knob: string } {
  for (const knob of ["DRAINSCOPE_MAX_UPLOAD_BYTES", "DRAINSCOPE_MAX_INPUT_BYTES"]) {
    const n = Number(env[knob]);
    if (env[knob] !== undefined && Number.isFinite(n) && n > 0) return { max: n, knob };
  }
  return { max: DEFAULT_MAX_UPLOAD_BYTES, knob: "DRAINSCOPE_MAX_UPLOAD_BYTES" };
}

export interface ImportUpload {
  readonly sources: AsyncIterable<ImportSource> | Iterable<ImportSource>;
  /** From a multipart `cluster` field, known once the body has been read (the query's `cluster` wins). */
  readonly cluster: () => string | undefined;
}

function isMultipart(request: Request): boolean {
  return /^multipart\/form-data\s*;/i.test(request.headers.get("content-type") ?? "");
}

/** "C:\\x\\pods.jsonl" or "../x/pods.jsonl" → "x/pods.jsonl": a name for messages and naming, never a path to open. */
function safeName(raw: string): string {
  return raw
    .split(/[\\/]/)
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .join("/")
    .slice(-200);
}

/** The request body's chunks, refused with 413 as soon as they pass the cap. */
async function* capped(request: Request, cap: { max: number; knob: string }, label: string): AsyncGenerator<Uint8Array> {
  const over = (n: number) => new HttpError(413, `${label}: ${n} bytes is over the ${cap.max}-byte import limit (${cap.knob})`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > cap.max) throw over(declared);
  const reader = request.body?.getReader();
  if (!reader) return;
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > cap.max) throw over(size);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export function readImportUpload(request: Request, queryName: string, cap: { max: number; knob: string }): ImportUpload {
  if (!isMultipart(request)) {
    return { sources: [{ name: queryName, chunks: capped(request, cap, queryName) }], cluster: () => undefined };
  }
  const boundary = boundaryOf(request.headers.get("content-type") ?? "");
  if (!boundary) throw new HttpError(400, "the upload is not valid multipart/form-data: no boundary in Content-Type");
  let cluster: string | undefined;
  async function* sources(): AsyncGenerator<ImportSource> {
    let files = 0;
    let part = 0;
    for await (const p of multipartParts(capped(request, cap, "the upload"), boundary ?? "")) {
      part++;
      if (p.field === "cluster" && p.filename === undefined) {
        let text = "";
        for await (const c of p.body) {
          text += c.toString("utf8");
          if (text.length > 1024) throw new HttpError(400, 'the "cluster" field is longer than 1024 characters');
        }
        cluster = text.trim() || undefined;
        continue;
      }
      if (p.field === "cluster") throw new HttpError(400, 'the "cluster" part must be a text field');
      if (p.field !== "file") continue;
      if (p.filename === undefined) throw new HttpError(400, `part ${part} named "file" is a text field, not a file`);
      files++;
      if (files > MAX_IMPORT_FILES) throw new HttpError(400, `the upload holds more than ${MAX_IMPORT_FILES} files; at most ${MAX_IMPORT_FILES} are imported together`);
      yield { name: safeName(p.filename) || `file-${files}`, chunks: p.body };
    }
    if (files === 0) throw new HttpError(400, 'the upload holds no file: send each file as a part named "file"');
  }
  return { sources: sources(), cluster: () => cluster };
}
