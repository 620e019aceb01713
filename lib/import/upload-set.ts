/**
 * What the Import panel sends: the files the user picked (several at once, or a whole folder) checked
 * before anything leaves the browser. Pure, so the panel and its tests say the same thing.
 */

/** The server's default limit (DRAINSCOPE_MAX_INPUT_BYTES) for one request; the browser cannot see the configured one. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** The most files one import takes; POST /api/import refuses more (server/http/import-upload.ts). */
export const MAX_UPLOAD_FILES = 64;

export interface PickedFile {
  readonly name: string;
  readonly size: number;
  /** `folder/pods.jsonl` for a folder upload (File.webkitRelativePath), else "". */
  readonly relativePath: string;
}

/** Extensions an import can hold; in a folder everything else (manifest.yaml, .DS_Store…) is left out. */
const IMPORTABLE = /\.(jsonl|json|ndjson|log|txt)(\.gz)?$/i;

const MiB = 1024 * 1024;
const count = (n: number) => n.toLocaleString("en-US");

export function formatMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** The name a file travels under: its folder path when the user picked a folder (it names the cluster). */
export function uploadName(f: PickedFile): string {
  return f.relativePath || f.name;
}

/** From a folder: the files an import can read, in name order; the rest is reported, not sent. */
export function pickFromFolder<F extends PickedFile>(files: readonly F[]): { readonly chosen: F[]; readonly skipped: string[] } {
  const visible = files.filter((f) => !f.name.startsWith("."));
  const chosen = visible.filter((f) => IMPORTABLE.test(f.name)).sort((a, b) => uploadName(a).localeCompare(uploadName(b)));
  const skipped = visible.filter((f) => !IMPORTABLE.test(f.name)).map((f) => f.name);
  return { chosen, skipped };
}

/** Why this set cannot be sent, or null. */
export function uploadProblem(files: readonly PickedFile[], maxBytes = DEFAULT_MAX_UPLOAD_BYTES): string | null {
  if (files.length === 0) return "Choose a file or a folder to import first.";
  if (files.length > MAX_UPLOAD_FILES) return `${count(files.length)} files chosen; at most ${MAX_UPLOAD_FILES} are imported together.`;
  const empty = files.find((f) => f.size === 0);
  if (empty) return `${uploadName(empty)}: the file is empty; nothing was sent.`;
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > maxBytes) {
    const only = files.length === 1 ? files[0] : undefined;
    const what = only ? `${uploadName(only)} is` : `These ${files.length} files are`;
    return `${what} ${count(total)} bytes (${formatMiB(total)}), over the ${formatMiB(maxBytes).replace(".0 ", " ")} upload limit; nothing was sent. Import ${only ? "it" : "them"} on the server with \`drainscope import\` (no size limit) or raise DRAINSCOPE_MAX_UPLOAD_BYTES.`;
  }
  return null;
}
