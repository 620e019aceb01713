"use client";
/**
 * Home: clusters with watcher health, and recent episodes with their verdicts. Filters live in the URL
 * (shareable); data comes from the read API through TanStack Query. By default the list follows the data,
 * not the browser's clock: the latest episodes of every cluster, live or stored, however old.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { clustersQuery, episodesQuery, healthQuery } from "@/components/common/api";
import { DeleteClusterButton } from "@/components/home/delete-cluster-button";
import { SeverityBadge, VerdictBadge } from "@/components/common/badges";
import { ClusterErrors } from "@/components/home/cluster-errors";
import { ImportUpload } from "@/components/home/import-upload";
import { watcherState, type EpisodeSummaryView, type HealthView, type StoredClusterView, type WatcherState } from "@/lib/view/api-types";
import { formatDateTime, formatDuration, plural } from "@/lib/view/format";
import { serializeViewState } from "@/lib/view/url-state";

/** "latest" (the default): each cluster's most recent episodes, whatever their age. */
const SINCE_OPTIONS = [
  ["latest", undefined],
  ["1h", 3_600_000],
  ["24h", 86_400_000],
  ["7d", 7 * 86_400_000],
  ["30d", 30 * 86_400_000],
  ["365d", 365 * 86_400_000],
] as const;

const SEVERITIES = ["critical", "high", "medium"] as const;

function Banner({ health }: { health: HealthView | undefined }) {
  if (!health) return null;
  const simulated = health.simulated === true || health.mode === "simulated";
  if (simulated) {
    return (
      <div role="status" data-testid="simulated-banner" className="rounded-md border-2 border-risk-high bg-risk-high/15 px-4 py-3 text-sm">
        <strong className="font-semibold">Simulated cluster.</strong> Everything below comes from Drainscope&apos;s built-in simulator, not from a real Kubernetes cluster.
        {health.notice ? <span className="text-fg-muted"> {health.notice}</span> : null}
      </div>
    );
  }
  if (health.notice) {
    return (
      <div role="status" className="rounded-md border border-line bg-surface-sunken px-4 py-2 text-sm text-fg-muted">
        <span className="font-medium text-fg">Mode: {health.mode ?? "unknown"}.</span> {health.notice}
      </div>
    );
  }
  return null;
}

const STATE_STYLE: Record<WatcherState, { cls: string; icon: string; text: string }> = {
  connected: { cls: "text-ok", icon: "●", text: "watching" },
  reconnecting: { cls: "text-risk-high", icon: "◐", text: "reconnecting" },
  stale: { cls: "text-risk-critical", icon: "✖", text: "stale — watcher disconnected" },
  "stored-only": { cls: "text-fg-muted", icon: "○", text: "stored history (not watched)" },
};

function lastActivityLink(c: StoredClusterView): string {
  const end = c.lastAt ?? c.firstAt;
  const qs = serializeViewState({
    cluster: c.name,
    ...(end !== null ? { range: { start: end - 10 * 60_000, end: end + 60_000 } } : {}),
    pinned: [],
    follow: false,
  });
  return `/timeline?${qs}`;
}

function ClusterCard({ c, health }: { c: StoredClusterView; health: HealthView | undefined }) {
  const live = health?.clusters?.find((h) => h.name === c.name);
  const state = watcherState(live?.resources);
  const st = STATE_STYLE[state];
  const problems = live?.resources.filter((r) => r.stale || !r.connected) ?? [];
  return (
    <li data-testid="cluster-card" data-state={state} className={`rounded-md border bg-surface p-3 ${state === "stale" ? "border-risk-critical" : "border-line"}`}>
      <div className="flex items-baseline justify-between gap-2">
        <Link href={lastActivityLink(c)} className="truncate font-semibold text-accent hover:underline">
          {c.name}
        </Link>
        <span className={`shrink-0 text-xs font-medium ${st.cls}`}>
          <span aria-hidden>{st.icon}</span> {st.text}
        </span>
      </div>
      <div className="mt-1 text-xs text-fg-muted">
        {plural(c.events, "event")} · {plural(c.namespaces.length, "namespace")}
        {c.simulated || live?.simulated ? " · simulated" : ""}
      </div>
      <div className="mt-0.5 text-xs text-fg-muted">last event {c.lastAt !== null ? formatDateTime(c.lastAt) : "—"}</div>
      {live ? null : <DeleteClusterButton cluster={c.name} events={c.events} />}
      {problems.length > 0 ? (
        <ul className="mt-1 text-xs text-risk-critical">
          {problems.map((r) => (
            <li key={`${r.resource}/${r.namespace ?? ""}`}>
              {r.resource}
              {r.namespace ? ` (${r.namespace})` : ""}: {r.stale ? "stale" : "disconnected"}
              {r.lastError ? ` — ${r.lastError}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function episodeHref(e: EpisodeSummaryView): string {
  return `/timeline?${serializeViewState({ cluster: e.cluster, namespace: e.namespace, episode: e.id, pinned: [], follow: false })}`;
}

function EpisodeRow({ e }: { e: EpisodeSummaryView }) {
  const start = Date.parse(e.start);
  const end = e.end === null ? undefined : Date.parse(e.end);
  return (
    <li data-testid="episode" className="grid grid-cols-[7rem_1fr_auto] items-center gap-3 border-b border-line px-3 py-2 last:border-b-0 hover:bg-surface-sunken">
      <VerdictBadge verdict={e.verdict} reason={e.verdictReason} />
      <div className="min-w-0">
        <Link href={episodeHref(e)} className="font-medium text-accent hover:underline">
          {e.kind} · {e.namespace}/{e.workload}
        </Link>
        <div className="truncate text-xs text-fg-muted">
          {e.cluster} · {formatDateTime(start)} · {end !== undefined ? formatDuration(end - start) : e.verdict === "in-progress" ? "in progress" : "unfinished when the data ends"} · {e.podCount} pod{e.podCount === 1 ? "" : "s"}
          {e.services.length > 0 ? ` · service ${e.services.join(", ")}` : ""}
        </div>
        <div className="truncate text-xs text-fg-muted">
          {e.verdictReason ? <span className="font-medium text-fg" data-testid="verdict-reason">{e.verdictReason}: </span> : null}
          {e.summary}
        </div>
      </div>
      <div className="flex gap-1">
        {SEVERITIES.filter((s) => e.counts[s] > 0).map((s) => (
          <SeverityBadge key={s} severity={s} count={e.counts[s]} />
        ))}
        {SEVERITIES.every((s) => e.counts[s] === 0) ? <span className="text-xs text-fg-muted">no risk windows</span> : null}
      </div>
    </li>
  );
}

/** `uploadLimit`: the server's upload cap (DRAINSCOPE_MAX_UPLOAD_BYTES), so the panel refuses what the server would. */
export function HomeView({ uploadLimit }: { readonly uploadLimit?: number }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const cluster = params.get("cluster") ?? "";
  const namespace = params.get("namespace") ?? "";
  const service = params.get("service") ?? "";
  const since = SINCE_OPTIONS.find(([k]) => k === params.get("since"))?.[0] ?? "latest";
  const [now] = useState(() => Date.now());
  const sinceMs = SINCE_OPTIONS.find(([k]) => k === since)?.[1];

  const health = useQuery(healthQuery());
  const clusters = useQuery(clustersQuery());
  const qs = useMemo(() => {
    const q = new URLSearchParams();
    if (cluster) q.set("cluster", cluster);
    if (namespace) q.set("namespace", namespace);
    if (service) q.set("service", service);
    // "latest" sends no range: the server takes each cluster's latest episodes by its own clock.
    if (sinceMs !== undefined) q.set("from", String(Math.floor((now - sinceMs) / 60_000) * 60_000));
    return q.toString();
  }, [cluster, namespace, service, now, sinceMs]);
  const episodes = useQuery(episodesQuery(qs));

  // Two filter changes in a row must not lose the first: the URL (and `params`) updates after a render,
  // so build each change on the last one asked for until the URL has caught up.
  const lastAsked = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (params.toString() === lastAsked.current) lastAsked.current = undefined;
  }, [params]);
  const setParam = (key: string, value: string) => {
    const current = params.toString();
    const q = new URLSearchParams(lastAsked.current ?? current);
    if (value) q.set(key, value);
    else q.delete(key);
    if (key === "cluster") q.delete("namespace");
    lastAsked.current = q.toString() === current ? undefined : q.toString();
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };

  const stored = clusters.data?.clusters ?? [];
  const namespaces = [...new Set(stored.filter((c) => !cluster || c.name === cluster).flatMap((c) => c.namespaces))].sort();
  const services = [...new Set((episodes.data?.episodes ?? []).flatMap((e) => e.services))].sort();
  if (service && !services.includes(service)) services.push(service);

  return (
    <main className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-6 py-6">
      <Banner health={health.data} />
      <ClusterErrors health={health.data} />
      <section aria-labelledby="clusters-h" className="space-y-2">
        <h2 id="clusters-h" className="text-lg font-semibold">
          Clusters
        </h2>
        {clusters.isError ? <p className="text-sm text-risk-critical">Could not load clusters: {clusters.error.message}</p> : null}
        {clusters.isPending ? <p className="text-sm text-fg-muted">Loading…</p> : null}
        {clusters.data && stored.length === 0 ? <p className="text-sm text-fg-muted">No cluster has recorded anything yet.</p> : null}
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {stored.map((c) => (
            <ClusterCard key={c.name} c={c} health={health.data} />
          ))}
        </ul>
      </section>

      <section aria-labelledby="episodes-h" className="space-y-2">
        <div className="flex flex-wrap items-end gap-3">
          <h2 id="episodes-h" className="mr-auto text-lg font-semibold">
            Recent episodes
          </h2>
          <FilterSelect label="Cluster" value={cluster} options={stored.map((c) => [c.name, c.name])} onChange={(v) => setParam("cluster", v)} />
          <FilterSelect label="Namespace" value={namespace} options={namespaces.map((n) => [n, n])} onChange={(v) => setParam("namespace", v)} />
          <FilterSelect label="Service" value={service} options={services.map((n) => [n, n])} onChange={(v) => setParam("service", v)} />
          <FilterSelect label="Since" value={since} all={false} options={SINCE_OPTIONS.map(([k]) => [k, k === "latest" ? "latest" : `last ${k}`])} onChange={(v) => setParam("since", v)} />
        </div>
        <div className="rounded-md border border-line bg-surface">
          {episodes.isError ? <p className="p-3 text-sm text-risk-critical">Could not load episodes: {episodes.error.message}</p> : null}
          {episodes.isPending ? <p className="p-3 text-sm text-fg-muted">Loading episodes…</p> : null}
          {episodes.data && episodes.data.episodes.length === 0 ? (
            <p className="p-3 text-sm text-fg-muted">
              {since === "latest" ? "No episode recorded yet: no pod has been deleted or restarted in the stored data." : `No episode in the last ${since}. Choose “latest”, or open a cluster above to browse its history.`}
            </p>
          ) : null}
          <ul aria-label="Episodes">
            {(episodes.data?.episodes ?? []).map((e) => (
              <EpisodeRow key={`${e.cluster}/${e.id}`} e={e} />
            ))}
          </ul>
        </div>
      </section>

      <ImportUpload {...(uploadLimit !== undefined ? { maxBytes: uploadLimit } : {})} />
    </main>
  );
}

/** One labelled filter; `all` adds the empty "all" choice first. */
function FilterSelect(props: { label: string; value: string; options: readonly (readonly [string, string])[]; onChange: (value: string) => void; all?: boolean }) {
  return (
    <label className="flex flex-col text-xs text-fg-muted">
      {props.label}
      <select className="rounded border border-line bg-surface px-2 py-1 text-sm text-fg" aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.all === false ? null : <option value="">all</option>}
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
