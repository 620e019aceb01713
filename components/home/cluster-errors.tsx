/**
 * The home page's account of clusters that are configured but failing: per cluster, each distinct
 * error (as the watcher diagnosed it) with the resources it hits, the real message, how to fix it and
 * the kubectl line to check it, and since when the time is recorded as a gap. A failing cluster may
 * have recorded nothing yet, so this reads /api/health, not the stored clusters. Props only.
 *
 * Also shown: resources not in sync without a diagnosed failure (a gap restored after a restart or
 * crash, a stream being re-established), and a store that cannot write.
 */
import Link from "next/link";
import type { HealthView, ResourceHealthView, WatchFailureView } from "@/lib/view/api-types";
import { formatDateTime } from "@/lib/view/format";
import { serializeViewState } from "@/lib/view/url-state";

interface Problem {
  readonly failure: WatchFailureView;
  readonly resources: string[];
  readonly gapSince?: number;
}

function label(r: ResourceHealthView): string {
  return r.namespace ? `${r.resource} (${r.namespace})` : r.resource;
}

/** One entry per distinct failure (six resources refused by one server are one problem). */
export function clusterProblems(resources: readonly ResourceHealthView[]): Problem[] {
  const byKey = new Map<string, Problem>();
  for (const r of resources) {
    const f = r.failure;
    if (!f) continue;
    const key = `${f.kind}|${f.summary}`;
    const gap = r.openGapSince ? Date.parse(r.openGapSince) : undefined;
    const p = byKey.get(key);
    if (!p) {
      byKey.set(key, { failure: f, resources: [label(r)], ...(gap !== undefined ? { gapSince: gap } : {}) });
      continue;
    }
    p.resources.push(label(r));
    if (gap !== undefined && (p.gapSince === undefined || gap < p.gapSince)) byKey.set(key, { ...p, gapSince: gap });
  }
  return [...byKey.values()];
}

/** Resources out of sync (an open gap) with no failure diagnosed, and the earliest gap start. */
export function notInSync(resources: readonly ResourceHealthView[]): { resources: string[]; since: number } | undefined {
  const out = resources.filter((r) => !r.failure && r.openGapSince);
  if (out.length === 0) return undefined;
  return { resources: out.map(label), since: Math.min(...out.map((r) => Date.parse(r.openGapSince ?? ""))) };
}

export function ClusterErrors({ health }: { health: HealthView | undefined }) {
  const failing = (health?.clusters ?? []).map((c) => ({ c, problems: clusterProblems(c.resources), behind: notInSync(c.resources) })).filter((x) => x.problems.length > 0 || x.behind);
  const store = health?.store && health.store.writable === false ? health.store : undefined;
  if (failing.length === 0 && !store) return null;
  return (
    <section aria-labelledby="cluster-errors-h" data-testid="cluster-errors" className="space-y-2 rounded-md border-2 border-risk-critical bg-surface p-4">
      <h2 id="cluster-errors-h" className="text-lg font-semibold text-risk-critical">
        Cluster errors
      </h2>
      <p className="text-sm text-fg-muted">Drainscope keeps retrying with backoff. Until a resource is watched again, the time is recorded as a gap (hatched on the timeline); nothing is filled in.</p>
      {store ? (
        <div data-testid="store-error" className="rounded border border-line bg-surface-sunken p-2 text-sm">
          <div className="font-medium text-risk-critical">
            The store cannot write ({store.kind} at {store.location})
          </div>
          <div className="text-xs text-fg-muted">
            {store.failingSince ? `failing since ${formatDateTime(Date.parse(store.failingSince))} · ` : ""}ingest answers 503 until it recovers; watched events wait in memory and are retried
          </div>
          {store.cause ? <div className="mt-1 break-words font-mono text-xs">{store.cause}</div> : null}
        </div>
      ) : null}
      {failing.map(({ c, problems, behind }) => (
        <div key={c.name} data-testid="cluster-error" className="space-y-2">
          <h3 className="font-semibold">
            {c.name}
            {c.server ? <span className="ml-2 font-mono text-xs font-normal text-fg-muted">{c.server}</span> : null}
            <Link href={`/timeline?${serializeViewState({ cluster: c.name, pinned: [], follow: false })}`} className="ml-3 text-xs font-normal text-accent hover:underline">
              timeline (the gap is hatched)
            </Link>
          </h3>
          {behind ? (
            <p data-testid="not-in-sync" className="text-sm">
              <span className="font-medium text-risk-critical">Not in sync</span> since {formatDateTime(behind.since)}: {behind.resources.join(", ")} (gap open; Drainscope was not watching, or is reconnecting)
            </p>
          ) : null}
          <ul className="space-y-2">
            {problems.map((p) => (
              <li key={`${p.failure.kind}|${p.failure.summary}`} className="rounded border border-line bg-surface-sunken p-2 text-sm">
                <div className="font-medium text-risk-critical">{p.failure.summary}</div>
                <div className="text-xs text-fg-muted">
                  {p.resources.join(", ")} · failing since {formatDateTime(Date.parse(p.failure.since))} · {p.failure.attempts} attempt{p.failure.attempts === 1 ? "" : "s"}
                  {p.gapSince !== undefined ? ` · gap open since ${formatDateTime(p.gapSince)}` : ""}
                </div>
                <div className="mt-1 break-words font-mono text-xs">{p.failure.message}</div>
                <div className="mt-1">
                  <span className="font-medium">Fix:</span> {p.failure.hint}
                </div>
                {p.failure.check ? (
                  <div className="mt-1">
                    <span className="font-medium">Check:</span> <code className="break-all rounded bg-surface px-1 font-mono text-xs">{p.failure.check}</code>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
