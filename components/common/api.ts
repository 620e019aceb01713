/**
 * Query options for the read API: one object per resource serves every hook that needs it (TanStack Query).
 * Errors carry the API's message so the UI can show it.
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { ClustersView, EpisodeSummaryView, HealthView } from "@/lib/view/api-types";
import { timelineViewModelFromCompact, type TimelineDoc } from "@/lib/view/timeline-doc";
import type { PodLane, RiskWindow, LintFinding } from "@/lib/engine/types";
import type { LifecycleEvent } from "@/lib/model/events";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { Accept: "application/json" } });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body: unknown = await res.json();
      if (body && typeof body === "object" && "error" in body && typeof body.error === "string") message = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

export const healthQuery = () =>
  queryOptions({ queryKey: ["health"], queryFn: ({ signal }) => getJson<HealthView>("/api/health", signal), refetchInterval: 10_000 });

export const clustersQuery = () =>
  queryOptions({ queryKey: ["clusters"], queryFn: ({ signal }) => getJson<ClustersView>("/api/clusters", signal), refetchInterval: 30_000 });

export const episodesQuery = (qs: string) =>
  queryOptions({
    queryKey: ["episodes", qs],
    queryFn: ({ signal }) => getJson<{ episodes: EpisodeSummaryView[] }>(`/api/episodes?${qs}`, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });

/**
 * How long a fetched window is reused without asking again: a live cluster's for 5 s; a stored cluster's
 * (its data ends) for a minute, so panning back over a window seen before costs no refetch and no decode
 * (10,000 pods: about a second of main thread).
 */
export const LIVE_TIMELINE_STALE_MS = 5_000;
export const STORED_TIMELINE_STALE_MS = 60_000;

/** The compact wire format (less to encode, gzip and send), decoded into the same document as `?format=json`. */
export const timelineQuery = (qs: string) =>
  queryOptions({
    queryKey: ["timeline", qs],
    queryFn: async ({ signal }): Promise<TimelineDoc> => timelineViewModelFromCompact(await getJson<unknown>(`/api/timeline?${qs ? `${qs}&` : ""}format=compact`, signal)),
    placeholderData: keepPreviousData,
    staleTime: (q) => (q.state.data?.live === false ? STORED_TIMELINE_STALE_MS : LIVE_TIMELINE_STALE_MS),
  });

export interface PodDetail {
  readonly cluster: string;
  readonly lane?: PodLane;
  readonly riskWindows: readonly RiskWindow[];
  readonly lint: readonly LintFinding[];
  readonly events: readonly LifecycleEvent[];
}

export const podQuery = (uid: string, cluster: string | undefined) =>
  queryOptions({
    queryKey: ["pod", uid, cluster ?? ""],
    queryFn: ({ signal }) => getJson<PodDetail>(`/api/pods/${encodeURIComponent(uid)}${cluster ? `?cluster=${encodeURIComponent(cluster)}` : ""}`, signal),
  });
