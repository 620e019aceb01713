/** Response shapes of the read API as the UI uses them (mirrors server/http/handlers.ts, which the UI may not import). */
import type { WatchFailure } from "../api/watch-failure";
import type { Episode } from "../engine/types";

export interface ResourceHealthView {
  readonly resource: string;
  readonly namespace?: string;
  readonly connected: boolean;
  readonly stale: boolean;
  readonly lastEventAt: string | null;
  readonly reconnects: number;
  readonly relists: number;
  readonly gaps: number;
  readonly lastError?: string;
  /** Out of sync since (ISO): the open gap the timeline hatches up to now. */
  readonly openGapSince?: string | null;
  /** What fails now, diagnosed by the watcher (null when in sync). */
  readonly failure?: WatchFailureView | null;
}

/** A failing list or watch as /api/health serves it (server/watcher/diagnose.ts), with its times as ISO strings. */
export interface WatchFailureView extends WatchFailure {
  readonly since: string;
  readonly attempts: number;
  readonly retryAt: string;
}

export interface HealthView {
  readonly status: "ok" | "degraded";
  readonly mode?: string;
  readonly notice?: string;
  readonly simulated?: boolean;
  readonly startedAt?: string;
  readonly store?: {
    readonly kind: string;
    readonly location: string;
    /** False while writes fail (health `degraded`); the cause and since when. */
    readonly writable?: boolean;
    readonly cause?: string | null;
    readonly failingSince?: string | null;
  };
  readonly clusters?: readonly {
    readonly name: string;
    readonly server: string;
    readonly simulated: boolean;
    readonly eventsIngested: number;
    readonly objectsSkipped: number;
    readonly resources: readonly ResourceHealthView[];
  }[];
}

export interface StoredClusterView {
  readonly name: string;
  readonly events: number;
  readonly firstAt: number | null;
  readonly lastAt: number | null;
  readonly namespaces: readonly string[];
  readonly live: boolean;
  readonly simulated: boolean;
}

export interface ClustersView {
  readonly clusters: readonly StoredClusterView[];
  readonly watching: readonly string[];
}

export interface EpisodeSummaryView extends Omit<Episode, "start" | "end"> {
  readonly cluster: string;
  readonly start: string;
  readonly end: string | null;
  readonly podCount: number;
}

export type WatcherState = "connected" | "reconnecting" | "stale" | "stored-only";

/** One word for a cluster's watcher, worst resource first. */
export function watcherState(resources: readonly ResourceHealthView[] | undefined): WatcherState {
  if (!resources) return "stored-only";
  if (resources.some((r) => r.stale)) return "stale";
  if (resources.some((r) => !r.connected)) return "reconnecting";
  return "connected";
}
