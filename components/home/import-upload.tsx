"use client";
/**
 * Import panel for the home page: one file (a Drainscope bundle, a watch recording or a Kubernetes audit
 * log), POSTed raw to /api/import. It becomes its own cluster. Errors are the server's own text (file and
 * line), shown as text; the chosen file and cluster name stay put so the user can fix and retry.
 */
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";

/** The server's default limit (DRAINSCOPE_MAX_INPUT_BYTES); the client cannot see the configured value. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

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
  | { readonly kind: "busy"; readonly file: string }
  | { readonly kind: "done"; readonly file: string; readonly result: ImportResult }
  | { readonly kind: "error"; readonly message: string };

const MiB = 1024 * 1024;
const count = (n: number) => n.toLocaleString("en-US");

function formatMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** Why this file cannot be sent, or null. Pure, so the message is the same wherever it is checked. */
export function sizeProblem(file: { readonly name: string; readonly size: number }, maxBytes = DEFAULT_MAX_UPLOAD_BYTES): string | null {
  if (file.size === 0) return `${file.name}: the file is empty; nothing was sent.`;
  if (file.size > maxBytes) {
    return `${file.name} is ${count(file.size)} bytes (${formatMiB(file.size)}), over the ${formatMiB(maxBytes).replace(".0 ", " ")} upload limit; nothing was sent. Import it on the server with \`drainscope import\` and a larger DRAINSCOPE_MAX_INPUT_BYTES.`;
  }
  return null;
}

/** A same-origin app path only: the link target comes from the server, but never trust it to leave the app. */
function safeAppPath(url: string): string | null {
  return url.startsWith("/") && !url.startsWith("//") ? url : null;
}

async function errorText(res: Response, file: string): Promise<string> {
  try {
    const body: unknown = await res.json();
    if (body && typeof body === "object" && "error" in body && typeof body.error === "string") return body.error;
  } catch {
    // not JSON: fall back to the status line
  }
  return `${file}: upload failed (${res.status} ${res.statusText || "error"})`;
}

function isImportResult(v: unknown): v is ImportResult {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  return typeof r.cluster === "string" && typeof r.timelineUrl === "string" && typeof r.observations === "number" && typeof r.inserted === "number" && typeof r.duplicates === "number";
}

export function ImportUpload({ maxBytes = DEFAULT_MAX_UPLOAD_BYTES }: { maxBytes?: number }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [cluster, setCluster] = useState("");
  const [state, setState] = useState<UploadState>({ kind: "idle" });
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  const busy = state.kind === "busy";

  // onSubmit, not a form action: React resets a form after its action, which would drop the chosen file.
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    if (!file) {
      setState({ kind: "error", message: "Choose a file to import first." });
      return;
    }
    const problem = sizeProblem(file, maxBytes);
    if (problem) {
      setState({ kind: "error", message: problem });
      return;
    }
    const q = new URLSearchParams({ name: file.name });
    const name = cluster.trim();
    if (name) q.set("cluster", name);
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setState({ kind: "busy", file: file.name });
    try {
      const res = await fetch(`/api/import?${q.toString()}`, {
        method: "POST",
        body: file,
        headers: { "X-Drainscope-Import": "1", Accept: "application/json" },
        credentials: "same-origin",
        signal: ctrl.signal,
      });
      if (!res.ok) {
        setState({ kind: "error", message: await errorText(res, file.name) });
        return;
      }
      const body: unknown = await res.json();
      if (!isImportResult(body)) {
        setState({ kind: "error", message: `${file.name}: the server answered with something that is not an import result` });
        return;
      }
      setState({ kind: "done", file: file.name, result: body });
      await Promise.all([queryClient.invalidateQueries({ queryKey: ["clusters"] }), queryClient.invalidateQueries({ queryKey: ["episodes"] })]);
    } catch (err) {
      if (ctrl.signal.aborted) return;
      setState({ kind: "error", message: `${file.name}: upload failed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      if (abortRef.current === ctrl) abortRef.current = null;
    }
  }

  const fileId = `${id}-file`;
  const clusterId = `${id}-cluster`;
  const hintId = `${id}-hint`;
  const statusId = `${id}-status`;

  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2" data-testid="import-panel">
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        Import
      </h2>
      <form onSubmit={onSubmit} aria-describedby={hintId} className="rounded-md border border-line bg-surface p-3">
        <p id={hintId} className="mb-2 text-xs text-fg-muted">
          A Drainscope bundle, a watch recording (<code>drainscope analyze</code> line format) or a Kubernetes audit log, up to {formatMiB(maxBytes).replace(".0 ", " ")}. It becomes its own cluster; an import is all or nothing.
        </p>
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-0 flex-col text-xs text-fg-muted">
            <label htmlFor={fileId}>File</label>
            <input
              id={fileId}
              type="file"
              accept=".json,.jsonl,.log,.txt"
              disabled={busy}
              className="max-w-full text-sm text-fg file:mr-2 file:rounded file:border file:border-line file:bg-surface-sunken file:px-2 file:py-1 file:text-sm file:text-fg"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                if (state.kind !== "busy") setState({ kind: "idle" });
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
              placeholder="from the file name"
              disabled={busy}
              onChange={(e) => setCluster(e.target.value)}
              className="rounded border border-line bg-surface px-2 py-1 text-sm text-fg"
            />
          </div>
          <button
            type="submit"
            disabled={busy || !file}
            aria-describedby={statusId}
            className="rounded border border-line bg-surface-sunken px-3 py-1 text-sm font-medium text-fg hover:border-accent disabled:cursor-not-allowed disabled:opacity-50"
          >
            {busy ? "Importing…" : "Upload"}
          </button>
        </div>
        <div id={statusId} className="mt-2 text-sm" aria-live="polite">
          {state.kind === "busy" ? (
            <p role="status" data-testid="import-status" className="text-fg-muted">
              Importing {state.file}…
            </p>
          ) : null}
          {state.kind === "done" ? <ImportSuccess file={state.file} result={state.result} /> : null}
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

function ImportSuccess({ file, result }: { file: string; result: ImportResult }) {
  const href = safeAppPath(result.timelineUrl);
  return (
    <p role="status" data-testid="import-success" className="text-ok">
      Imported {file} into cluster <strong className="font-semibold">{result.cluster}</strong>: {count(result.observations)} observation{result.observations === 1 ? "" : "s"}, {count(result.inserted)} new, {count(result.duplicates)} already stored.{" "}
      {href ? (
        <Link href={href} className="font-medium text-accent hover:underline">
          Open its timeline
        </Link>
      ) : null}
    </p>
  );
}
