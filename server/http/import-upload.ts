/**
 * The body of POST /api/import, in either of two shapes:
 *   - the raw file (any content type but multipart): one file, named by `?name=`;
 *   - `multipart/form-data`: one `file` part per file (its filename, which may carry a folder path such as
 *     `real-v1.24-rollout/pods.jsonl` from a folder upload, names it) and an optional `cluster` field.
 *     Several files in one request are ONE import: one cluster, ordered together, all or nothing.
 * The whole request counts against the import limit, so several files together carry at most that much.
 */
import type { ImportFile } from "../../lib/import";
import { MAX_UPLOAD_FILES } from "../../lib/import/upload-set";
import { tooLarge } from "../import/apply";
import { HttpError, readBodyCapped } from "./respond";

/** More parts than this is not a recording set (the Import panel checks the same number before sending). */
export const MAX_IMPORT_FILES = MAX_UPLOAD_FILES;

export interface ImportUpload {
  readonly files: ImportFile[];
  /** From a multipart `cluster` field (the query's `cluster` wins when both are given). */
  readonly cluster?: string;
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

export async function readImportUpload(request: Request, queryName: string, maxBytes: number): Promise<ImportUpload> {
  const over = (label: string) => (n: number) => new HttpError(413, tooLarge(label, n, maxBytes).message);
  if (!isMultipart(request)) {
    const body = await readBodyCapped(request, maxBytes, queryName, over(queryName));
    return { files: [{ name: queryName, text: body.toString("utf8") }] };
  }
  const body = await readBodyCapped(request, maxBytes, "upload", over("the upload"));
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch (e) {
    throw new HttpError(400, `the upload is not valid multipart/form-data: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parts = form.getAll("file");
  if (parts.length === 0) throw new HttpError(400, 'the upload holds no file: send each file as a part named "file"');
  if (parts.length > MAX_IMPORT_FILES) throw new HttpError(400, `the upload holds ${parts.length} files; at most ${MAX_IMPORT_FILES} are imported together`);
  const files: ImportFile[] = [];
  for (const [i, part] of parts.entries()) {
    if (typeof part === "string") throw new HttpError(400, `part ${i + 1} named "file" is a text field, not a file`);
    const name = safeName(part.name) || `file-${i + 1}`;
    files.push({ name, text: await part.text() });
  }
  const cluster = form.get("cluster");
  if (cluster !== null && typeof cluster !== "string") throw new HttpError(400, 'the "cluster" part must be a text field');
  const trimmed = cluster?.trim();
  return { files, ...(trimmed ? { cluster: trimmed } : {}) };
}
