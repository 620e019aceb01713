/**
 * The data's own time. A view's "now" is the live clock only for a cluster a watcher is recording; a
 * stored or imported cluster's "now" is its last observation, so open intervals end where the data ends
 * instead of stretching to today. Default ranges follow the data too (see `defaultRange` in timeline.ts).
 */
import type { EpochMs } from "../../lib/model/time";
import type { DataSpan, Store } from "../store/types";

/** Whether a watcher is recording this cluster now (the runtime knows; the CLI records nothing). */
export type IsLive = (cluster: string) => boolean;
export const NOTHING_LIVE: IsLive = () => false;

export interface ViewClock {
  /** The view's "now": the wall clock when live, else the last observation (the wall clock without data). */
  readonly now: EpochMs;
  readonly live: boolean;
  /** First and last event time of the data in scope, undefined when there is none. */
  readonly span?: DataSpan;
}

/** The span of one cluster (or namespace), or of every cluster when none is named. */
export async function dataSpanOf(store: Store, cluster: string | undefined, namespace: string | undefined): Promise<DataSpan | undefined> {
  const names = cluster !== undefined ? [cluster] : (await store.clusters()).map((c) => c.name);
  let span: DataSpan | undefined;
  for (const name of names) {
    const s = await store.dataSpan({ cluster: name, ...(namespace !== undefined ? { namespace } : {}) });
    if (s) span = span ? { from: Math.min(span.from, s.from), to: Math.max(span.to, s.to) } : s;
  }
  return span;
}

export async function viewClock(store: Store, q: { readonly cluster?: string | undefined; readonly namespace?: string | undefined }, wallNow: EpochMs, isLive: IsLive): Promise<ViewClock> {
  const span = await dataSpanOf(store, q.cluster, q.namespace);
  const live = q.cluster !== undefined ? isLive(q.cluster) : (await store.clusters()).some((c) => isLive(c.name));
  // Live: the wall clock, unless the data runs ahead of it (a simulated cluster at speed N).
  const now = !span ? wallNow : live ? Math.max(wallNow, span.to) : span.to;
  return { now, live, ...(span ? { span } : {}) };
}

/** "no data in this range: the cluster's data spans A → B" (or: holds no data at all). */
export function noDataMessage(
  q: { readonly cluster?: string | undefined; readonly namespace?: string | undefined; readonly service?: string | undefined; readonly workload?: string | undefined },
  span: DataSpan | undefined,
): string {
  const whose = q.cluster === undefined ? "the store" : q.namespace !== undefined ? `namespace ${q.namespace} of cluster ${q.cluster}` : `cluster ${q.cluster}`;
  const what = q.service !== undefined ? ` for service ${q.service}` : q.workload !== undefined ? ` for workload ${q.workload}` : "";
  if (!span) return `no data in this range${what}: ${whose} holds no data`;
  return `no data in this range${what}: the data of ${whose} spans ${new Date(span.from).toISOString()} → ${new Date(span.to).toISOString()}`;
}
