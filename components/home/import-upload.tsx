"use client";
/**
 * Import panel for the home page: one or several files (Drainscope bundles, watch recordings, Kubernetes
 * audit logs), or a whole folder of per-kind recordings (pods.jsonl, endpointslices.jsonl, events.jsonl),
 * sent together as multipart/form-data to /api/import. The set becomes ONE cluster and is analysed as one
 * recording, exactly as `drainscope analyze` reads the same files. Errors are the server's own text (file
 * and line), shown as text; the chosen files and cluster name stay put so the user can fix and retry.
 * XMLHttpRequest, not fetch: only it reports upload progress (bytes sent of the total), shown as a bar,
 * then "importing…" while the server checks and writes, then the result.
 */
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { DEFAULT_MAX_UPLOAD_BYTES, formatMiB, pickFromFolder, uploadName, uploadProblem } from "@/lib/import/upload-set";

export { DEFAULT_MAX_UPLOAD_BYTES } from "@/lib/import/upload-set";

interface ImportResult {
  readonly cluster: string;
  readonly files: readonly { readonly name: string; readonly format: string; readonly records: number }[];
  readonly observations: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly timelineUrl: string;
}

type UploadState =
  | { readonly kind: "idle" }
  | { readonly kind: "busy"; readonly what: string; readonly sent: number; readonly total: number; readonly phase: "uploading" | "importing" }
  | { readonly kind: "done"; readonly what: string; readonly result: ImportResult }
  | { readonly kind: "error"; readonly message: string };

const FOLDER_PICKER_ATTRS = { webkitdirectory: "" } as Record<string, string>;

/** What the user picked: loose files, or the importable files of one folder. */
interface Selection {
  readonly files: readonly File[];
  readonly folder?: string;
  readonly skipped: readonly string[];
}

const count = (n: number) => n.toLocaleString("en-US");

const picked = (f: File) => ({ name: f.name, size: f.size, relativePath: f.webkitRelativePath });

/** "pods.jsonl" / "3 files" / "folder real-v1.24-rollout (3 files)": how messages name the selection. */
function describe(sel: Selection): string {
  const n = sel.files.length;
  if (sel.folder) return `folder ${sel.folder} (${n} file${n === 1 ? "" : "s"})`;
  return n === 1 ? (sel.files[0]?.name ?? "1 file") : `${n} files`;
}

/** A same-origin app path only: the link target comes from the server, but never trust it to leave the app. */
function safeAppPath(url: string): string | null {
  return url.startsWith("/") && !url.startsWith("//") ? url : null;
}

function errorText(status: number, statusText: string, body: string, what: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "error" in parsed && typeof parsed.error === "string") return parsed.error;
  } catch {
    /* not JSON: fall through */
  }
  return `${what}: upload failed (${status} ${statusText || "error"})`;
}

/** One POST with upload progress; resolves with the answer's status and text, rejects on a network failure. */
function postWithProgress(url: string, body: FormData, onProgress: (sent: number, total: number) => void, onSent: () => void, signal: AbortSignal): Promise<{ status: number; statusText: string; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-Drainscope-Import", "1");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.upload.onload = () => onSent();
    xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText });
    xhr.onerror = () => reject(new Error("the connection failed"));
    xhr.onabort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

function isImportResult(v: unknown): v is ImportResult {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  return typeof r.cluster === "string" && typeof r.timelineUrl === "string" && typeof r.observations === "number" && typeof r.inserted === "number" && typeof r.duplicates === "number";
}

export function ImportUpload({ maxBytes = DEFAULT_MAX_UPLOAD_BYTES }: { maxBytes?: number }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [selection, setSelection] = useState<Selection | null>(null);
  const [cluster, setCluster] = useState("");
  const [state, setState] = useState<UploadState>({ kind: "idle" });
  const abortRef = useRef<AbortController | null>(null);
  const filesInput = useRef<HTMLInputElement | null>(null);
  const folderInput = useRef<HTMLInputElement | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  const busy = state.kind === "busy";

  function choose(sel: Selection | null) {
    setSelection(sel);
    if (state.kind !== "busy") setState({ kind: "idle" });
  }

  // onSubmit, not a form action: React resets a form after its action, which would drop the chosen files.
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const files = selection?.files ?? [];
    const problem = uploadProblem(files.map(picked), maxBytes);
    if (!selection || problem) {
      setState({ kind: "error", message: problem ?? "Choose a file or a folder to import first." });
      return;
    }
    const what = describe(selection);
    // One request, one import: the server orders the files together and writes all of them or none.
    const form = new FormData();
    for (const f of files) form.append("file", f, uploadName(picked(f)));
    const q = new URLSearchParams();
    const name = cluster.trim();
    if (name) q.set("cluster", name);
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    const total = files.reduce((n, f) => n + f.size, 0);
    setState({ kind: "busy", what, sent: 0, total, phase: "uploading" });
    try {
      const res = await postWithProgress(
        `/api/import${q.size > 0 ? `?${q.toString()}` : ""}`,
        form,
        (sent, all) => setState((s) => (s.kind === "busy" && s.phase === "uploading" ? { ...s, sent, total: all } : s)),
        () => setState((s) => (s.kind === "busy" ? { ...s, sent: s.total, phase: "importing" } : s)),
        ctrl.signal,
      );
      if (res.status < 200 || res.status >= 300) {
        setState({ kind: "error", message: errorText(res.status, res.statusText, res.text, what) });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        body = undefined;
      }
      if (!isImportResult(body)) {
        setState({ kind: "error", message: `${what}: the server answered with something that is not an import result` });
        return;
      }
      setState({ kind: "done", what, result: body });
      await Promise.all([queryClient.invalidateQueries({ queryKey: ["clusters"] }), queryClient.invalidateQueries({ queryKey: ["episodes"] })]);
    } catch (err) {
      if (ctrl.signal.aborted) return;
      setState({ kind: "error", message: `${what}: upload failed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      if (abortRef.current === ctrl) abortRef.current = null;
    }
  }

  const fileId = `${id}-file`;
  const folderId = `${id}-folder`;
  const clusterId = `${id}-cluster`;
  const hintId = `${id}-hint`;
  const statusId = `${id}-status`;
  const pickerClass =
    "max-w-full text-sm text-fg file:mr-2 file:rounded file:border file:border-line file:bg-surface-sunken file:px-2 file:py-1 file:text-sm file:text-fg";

  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2" data-testid="import-panel">
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        Import
      </h2>
      <form onSubmit={onSubmit} aria-describedby={hintId} className="rounded-md border border-line bg-surface p-3">
        <p id={hintId} className="mb-2 text-xs text-fg-muted">
          Drainscope bundles, watch recordings (<code>drainscope analyze</code> line format) or Kubernetes audit logs, up to {formatMiB(maxBytes).replace(".0 ", " ")} in all. Pick several files
          or a folder (e.g. <code>pods.jsonl</code>, <code>endpointslices.jsonl</code>, <code>events.jsonl</code>): they become one cluster, named after the folder unless you name it, and
          give the same timeline as <code>drainscope analyze</code> on the same files. An import is all or nothing.
        </p>
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-0 flex-col text-xs text-fg-muted">
            <label htmlFor={fileId}>Files</label>
            <input
              id={fileId}
              ref={filesInput}
              type="file"
              multiple
              accept=".json,.jsonl,.ndjson,.log,.txt,.gz"
              disabled={busy}
              className={pickerClass}
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                if (folderInput.current) folderInput.current.value = ""; // one selection at a time: these files replace a folder
                choose(files.length > 0 ? { files, skipped: [] } : null);
              }}
            />
          </div>
          <div className="flex min-w-0 flex-col text-xs text-fg-muted">
            <label htmlFor={folderId}>or a folder</label>
            <input
              id={folderId}
              type="file"
              // A folder picker, whose files carry webkitRelativePath. React has no typed prop for it; passed as a
              // plain attribute so it is in the server-rendered HTML too (set only after hydration, a folder chosen
              // before then arrived as a plain file input).
              {...FOLDER_PICKER_ATTRS}
              ref={folderInput}
              disabled={busy}
              className={pickerClass}
              onChange={(e) => {
                const all = [...(e.target.files ?? [])];
                const { chosen, skipped } = pickFromFolder(all.map((f) => Object.assign(picked(f), { file: f })));
                const folder = all[0]?.webkitRelativePath.split("/")[0];
                if (filesInput.current) filesInput.current.value = "";
                choose(all.length > 0 ? { files: chosen.map((c) => c.file), skipped, ...(folder ? { folder } : {}) } : null);
              }}
            />
          </div>
          <div className="flex flex-col text-xs text-fg-muted">
            <label htmlFor={clusterId}>Cluster name (optional)</label>
            <input
              id={clusterId}
              type="text"
              value={cluster}
              maxLength={253}
              spellCheck={false}
              autoComplete="off"
              placeholder="from the folder or file name"
              disabled={busy}
              onChange={(e) => setCluster(e.target.value)}
              className="rounded border border-line bg-surface px-2 py-1 text-sm text-fg"
            />
          </div>
          <button
            type="submit"
            disabled={busy || !selection}
            aria-describedby={statusId}
            className="rounded border border-line bg-surface-sunken px-3 py-1 text-sm font-medium text-fg hover:border-accent disabled:cursor-not-allowed disabled:opacity-50"
          >
            {busy ? "Importing…" : "Upload"}
          </button>
        </div>
        {selection ? <ChosenFiles selection={selection} /> : null}
        <div id={statusId} className="mt-2 text-sm" aria-live="polite">
          {state.kind === "busy" ? <UploadProgress what={state.what} sent={state.sent} total={state.total} phase={state.phase} /> : null}
          {state.kind === "done" ? <ImportSuccess what={state.what} result={state.result} /> : null}
        </div>
        {state.kind === "error" ? (
          <p role="alert" data-testid="import-error" className="mt-2 whitespace-pre-wrap break-words text-sm text-risk-critical">
            {state.message}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function UploadProgress({ what, sent, total, phase }: { what: string; sent: number; total: number; phase: "uploading" | "importing" }) {
  const pct = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
  return (
    <div className="space-y-1">
      <progress data-testid="import-progress" max={100} value={pct} aria-label={`Upload of ${what}`} className="h-2 w-full max-w-md accent-accent" />
      <p role="status" data-testid="import-status" className="text-fg-muted">
        {phase === "uploading" ? `Uploading ${what}: ${formatMiB(sent)} of ${formatMiB(total)} (${pct} %)…` : `Uploaded ${formatMiB(total)} (100 %); importing ${what}…`}
      </p>
    </div>
  );
}

function ChosenFiles({ selection }: { selection: Selection }) {
  const names = selection.files.map((f) => f.name);
  return (
    <p data-testid="import-chosen" className="mt-2 break-words text-xs text-fg-muted">
      {names.length === 0 ? "No importable file (.json, .jsonl, .ndjson, .log, .txt) in this folder." : `To import as one cluster: ${names.join(", ")}.`}
      {selection.skipped.length > 0 ? ` Left out: ${selection.skipped.join(", ")}.` : ""}
    </p>
  );
}

function ImportSuccess({ what, result }: { what: string; result: ImportResult }) {
  const href = safeAppPath(result.timelineUrl);
  return (
    <p role="status" data-testid="import-success" className="text-ok">
      Imported {what} into cluster <strong className="font-semibold">{result.cluster}</strong>: {count(result.observations)} observation{result.observations === 1 ? "" : "s"}, {count(result.inserted)} new, {count(result.duplicates)} already stored.{" "}
      {href ? (
        <Link href={href} className="font-medium text-accent hover:underline">
          Open its timeline
        </Link>
      ) : null}
    </p>
  );
}
