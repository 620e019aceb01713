/**
 * Data versions per cluster, for the read-side caches (engine-cache.ts, server/http/timeline-body.ts): a
 * write to one cluster must not throw away every other cluster's kept results (a live cluster is written
 * every second; a stored one viewed beside it would otherwise be recomputed on every request).
 *
 * The store gives one version for all its data (`Store.dataVersion`). When it moves, the clusters'
 * summaries (`Store.clusters()`: events, first and last time, origin, namespaces; kept up to date by every
 * append, import, prune and delete) show which clusters changed, and those take the new version; the
 * others keep theirs. This is as exact as the PostgreSQL store's own version, which detects other
 * processes' writes by the same counts and bounds. A view of no single cluster uses the store's version.
 */
import type { ClusterSummary, Store } from "../store/types";
import { processShared } from "./process-shared";

interface Versions {
  /** The store's version the summaries below were read at. */
  global: string;
  /** Each cluster's summary, as text, and the store version at which it last changed. */
  readonly clusters: Map<string, { summary: string; version: string }>;
}

// Per process, not per module graph (process-shared.ts).
const known = processShared("dataVersions", () => new WeakMap<Store, Versions>());
/** Summaries being read for a store version (concurrent readers share one read). */
const reading = processShared("dataVersionsReading", () => new WeakMap<Store, Promise<Versions>>());

const summaryText = (c: ClusterSummary) => JSON.stringify([c.events, c.firstAt, c.lastAt, c.origin, c.namespaces]);

async function refresh(store: Store, global: string): Promise<Versions> {
  const prev = known.get(store);
  if (prev?.global === global) return prev;
  const pending = reading.get(store);
  if (pending) {
    const v = await pending;
    if (v.global === global) return v;
  }
  const read = (async () => {
    const summaries = await store.clusters();
    // Started from the latest versions known (a read begun earlier may have finished meanwhile).
    const base = known.get(store);
    const clusters = new Map<string, { summary: string; version: string }>();
    for (const c of summaries) {
      const summary = summaryText(c);
      const was = base?.clusters.get(c.name);
      clusters.set(c.name, was && was.summary === summary ? was : { summary, version: global });
    }
    const v: Versions = { global, clusters };
    known.set(store, v);
    return v;
  })();
  reading.set(store, read);
  try {
    return await read;
  } finally {
    if (reading.get(store) === read) reading.delete(store);
  }
}

/**
 * A token that changes whenever the events of `cluster` may have changed (all clusters' when none is
 * named); undefined for a store without versions (never cached). The store's version is read before the
 * summaries, so a write in between gives a result newer than its key, never older.
 */
export async function scopedDataVersion(store: Store, cluster: string | undefined): Promise<string | undefined> {
  if (!store.dataVersion) return undefined;
  const global = await store.dataVersion();
  if (cluster === undefined) return `*${global}`;
  const v = await refresh(store, global);
  // A cluster without data yet: the store's version (its first write changes it).
  return `${cluster}@${v.clusters.get(cluster)?.version ?? global}`;
}
