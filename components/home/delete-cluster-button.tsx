"use client";
/**
 * "Delete…" on a home-page cluster card: asks first (inline, naming the cluster and what goes), then
 * DELETE /api/clusters/:name with the write header, and refreshes every query. Imported clusters are kept
 * until someone does this; the server refuses a cluster this dashboard is watching and says why.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

type State = { readonly kind: "idle" } | { readonly kind: "confirm" } | { readonly kind: "busy" } | { readonly kind: "error"; readonly message: string };

async function deleteCluster(name: string): Promise<void> {
  const res = await fetch(`/api/clusters/${encodeURIComponent(name)}`, { method: "DELETE", headers: { Accept: "application/json", "X-Drainscope-Write": "1" } });
  if (res.ok) return;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body: unknown = await res.json();
    if (body && typeof body === "object" && "error" in body && typeof body.error === "string") message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  throw new Error(message);
}

export function DeleteClusterButton({ cluster, events }: { readonly cluster: string; readonly events: number }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const queryClient = useQueryClient();
  const confirm = async () => {
    setState({ kind: "busy" });
    try {
      await deleteCluster(cluster);
      setState({ kind: "idle" });
      await queryClient.invalidateQueries();
    } catch (e) {
      setState({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    }
  };
  if (state.kind === "idle") {
    return (
      <button type="button" className="text-xs text-fg-muted underline hover:text-risk-critical" onClick={() => setState({ kind: "confirm" })}>
        Delete…
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Delete cluster ${cluster}`} data-testid="delete-cluster-confirm" className="mt-1 text-xs">
      {state.kind === "error" ? (
        <p role="alert" className="text-risk-critical">
          Not deleted: {state.message}
        </p>
      ) : (
        <p>
          Delete all {events.toLocaleString("en-US")} stored events of <strong>{cluster}</strong>? This cannot be undone.
        </p>
      )}
      <div className="mt-1 flex gap-2">
        {state.kind !== "error" ? (
          <button type="button" disabled={state.kind === "busy"} className="rounded border border-risk-critical px-2 py-0.5 font-medium text-risk-critical disabled:opacity-50" onClick={() => void confirm()}>
            {state.kind === "busy" ? "Deleting…" : `Delete ${cluster}`}
          </button>
        ) : null}
        <button type="button" className="rounded border border-line px-2 py-0.5" onClick={() => setState({ kind: "idle" })}>
          {state.kind === "error" ? "Close" : "Cancel"}
        </button>
      </div>
    </div>
  );
}
