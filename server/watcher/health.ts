import type { WatchFailure } from "./diagnose";

/** Per-resource watcher health, shown in the UI and exported as metrics. Mutated by the loop that owns it. */
export interface ResourceHealth {
  readonly resource: string;
  readonly namespace?: string;
  connected: boolean;
  lastEventAt?: number;
  reconnects: number;
  relists: number;
  gaps: number;
  lastError?: string;
  /** Out of sync since `from`: the gap that is recorded (closed) when the resource is in sync again. */
  openGap?: { readonly from: number; readonly reason: string };
  /** What is failing now, diagnosed (cleared when the resource is in sync again). */
  failure?: WatchFailure & { readonly since: number; readonly attempts: number; readonly retryAt: number };
}

export function newResourceHealth(resource: string, namespace: string | undefined): ResourceHealth {
  return { resource, ...(namespace ? { namespace } : {}), connected: false, reconnects: 0, relists: 0, gaps: 0 };
}

export interface ClusterHealth {
  readonly cluster: string;
  readonly server: string;
  readonly simulated: boolean;
  readonly startedAt: number;
  readonly resources: readonly ResourceHealth[];
  eventsIngested: number;
  objectsSkipped: number;
}

/** The JSON one resource's health is served as (/api/health): times as ISO strings, null when unknown. */
export function resourceHealthJson(r: ResourceHealth, clusterStartedAt: number, now: number, staleMs: number) {
  const { openGap, failure, lastEventAt, ...rest } = r;
  return {
    ...rest,
    lastEventAt: lastEventAt === undefined ? null : new Date(lastEventAt).toISOString(),
    stale: !r.connected && now - (lastEventAt ?? clusterStartedAt) > staleMs,
    /** Not in sync since then: the open gap /api/timeline shows. */
    openGapSince: openGap ? new Date(openGap.from).toISOString() : null,
    failure: failure ? { ...failure, since: new Date(failure.since).toISOString(), retryAt: new Date(failure.retryAt).toISOString() } : null,
  };
}
