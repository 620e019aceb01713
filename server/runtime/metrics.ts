/**
 * GET /metrics through prom-client: one Registry per runtime (no module-level singletons, so tests can
 * run several runtimes in one process), Node's default process metrics, and the watcher's and store's
 * own. Durations are in seconds, as Prometheus names them. The watcher keeps its counts in its health
 * objects (server/watcher/health.ts); the collectors read them when scraped rather than mirroring
 * every change. docs/operations.md explains each metric.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { LifecycleEvent } from "../../lib/model/events";
import type { ClusterHealth } from "../watcher/health";

/** What a scrape reads from the runtime at that moment. */
export interface MetricsSnapshot {
  readonly now: number;
  readonly clusters: readonly ClusterHealth[];
  readonly sseClients: number;
  readonly storeEvents?: number;
  /** False while store writes fail (ingest answers 503); events queued for the store meanwhile. */
  readonly storeWritable?: boolean;
  readonly storePending?: number;
  /** Per watched cluster: does this replica hold the watcher Lease? Absent without leader election. */
  readonly leaders?: ReadonlyMap<string, boolean>;
}

export interface RuntimeMetrics {
  readonly contentType: string;
  recordWrite(r: { events: number; inserted: number; duplicates: number; latencyMs: number }): void;
  recordWriteFailure(): void;
  /** Counts the watcher-gap observations the watcher emits (their length becomes gap seconds). */
  observeWatcherEvents(events: readonly LifecycleEvent[]): void;
  render(snapshot: MetricsSnapshot): Promise<string>;
}

const WRITE_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** How long a cluster has been out of sync: its longest-disconnected resource, 0 when all are connected. */
export function outOfSyncSeconds(c: ClusterHealth, now: number): number {
  let worst = 0;
  for (const r of c.resources) if (!r.connected) worst = Math.max(worst, now - (r.lastEventAt ?? c.startedAt));
  return worst / 1000;
}

export function createRuntimeMetrics(): RuntimeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let snap: MetricsSnapshot = { now: 0, clusters: [], sseClients: 0 };
  const perResource = (c: ClusterHealth) => c.resources.map((r) => ({ r, labels: { cluster: c.cluster, resource: r.resource, namespace: r.namespace ?? "" } }));

  // Counters the watcher already counts: set from its health on each scrape.
  const fromHealth = (name: string, help: string, labelNames: readonly string[], read: (s: MetricsSnapshot, put: (labels: Record<string, string>, value: number) => void) => void) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        read(snap, (labels, value) => this.inc(labels, value));
      },
    });
  fromHealth("drainscope_events_ingested_total", "Lifecycle events the watcher produced.", ["cluster"], (s, put) => {
    for (const c of s.clusters) put({ cluster: c.cluster }, c.eventsIngested);
  });
  fromHealth("drainscope_objects_skipped_total", "Kubernetes objects the watcher could not read and skipped.", ["cluster"], (s, put) => {
    for (const c of s.clusters) put({ cluster: c.cluster }, c.objectsSkipped);
  });
  const resourceLabels = ["cluster", "resource", "namespace"];
  fromHealth("drainscope_watch_reconnects_total", "Watch reconnects after an error (dropped connection, 5xx, stall, malformed line).", resourceLabels, (s, put) => {
    for (const c of s.clusters) for (const { r, labels } of perResource(c)) put(labels, r.reconnects);
  });
  fromHealth("drainscope_watch_relists_total", "Relists after the first list (410 Expired, or events that could not be read).", resourceLabels, (s, put) => {
    for (const c of s.clusters) for (const { r, labels } of perResource(c)) put(labels, r.relists);
  });
  fromHealth("drainscope_watch_gaps_total", "Periods the watch was out of sync, each recorded as a watcher-gap observation.", resourceLabels, (s, put) => {
    for (const c of s.clusters) for (const { r, labels } of perResource(c)) put(labels, r.gaps);
  });
  const gapSeconds = new Counter({
    name: "drainscope_watch_gap_seconds_total",
    help: "Total length of the recorded watcher gaps (time in which changes may have gone unseen).",
    labelNames: ["cluster", "resource"],
    registers: [registry],
  });
  new Gauge({
    name: "drainscope_watch_connected",
    help: "1 while the resource's watch stream is open.",
    labelNames: resourceLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snap.clusters) for (const { r, labels } of perResource(c)) this.set(labels, r.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: "drainscope_watch_in_sync",
    help: "1 while every watched resource of the cluster is listed and its watch open; 0 while any is out of sync.",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snap.clusters) this.set({ cluster: c.cluster }, c.resources.every((r) => r.connected) ? 1 : 0);
    },
  });
  new Gauge({
    name: "drainscope_watch_out_of_sync_seconds",
    help: "How long the cluster's watch has been out of sync (its longest-disconnected resource); 0 when in sync.",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snap.clusters) this.set({ cluster: c.cluster }, outOfSyncSeconds(c, snap.now));
    },
  });
  new Gauge({
    name: "drainscope_watch_leader",
    help: "1 when this replica holds the cluster's watcher Lease and watches it; 0 when another replica does (leader election only).",
    labelNames: ["cluster"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [cluster, leader] of snap.leaders ?? []) this.set({ cluster }, leader ? 1 : 0);
    },
  });
  const writeDuration = new Histogram({
    name: "drainscope_store_write_duration_seconds",
    help: "Time to commit one batch of observations to the store.",
    buckets: WRITE_BUCKETS_SECONDS,
    registers: [registry],
  });
  const written = new Counter({ name: "drainscope_store_events_written_total", help: "Observations committed to the store (new ones; replays are not counted).", registers: [registry] });
  const duplicates = new Counter({ name: "drainscope_store_duplicate_events_total", help: "Observations the store already held (relists, replays, re-imports).", registers: [registry] });
  const failures = new Counter({ name: "drainscope_store_write_failures_total", help: "Failed store writes (each is retried).", registers: [registry] });
  new Gauge({
    name: "drainscope_store_events",
    help: "Observations held in the store.",
    registers: [registry],
    collect() {
      this.reset();
      if (snap.storeEvents !== undefined) this.set(snap.storeEvents);
    },
  });
  new Gauge({
    name: "drainscope_store_writable",
    help: "1 while store writes succeed; 0 while they fail (health degraded, ingest answers 503).",
    registers: [registry],
    collect() {
      this.reset();
      if (snap.storeWritable !== undefined) this.set(snap.storeWritable ? 1 : 0);
    },
  });
  new Gauge({
    name: "drainscope_store_pending_events",
    help: "Observations queued for the store, not yet committed.",
    registers: [registry],
    collect() {
      this.reset();
      if (snap.storePending !== undefined) this.set(snap.storePending);
    },
  });
  new Gauge({
    name: "drainscope_stream_clients",
    help: "Open live streams (Server-Sent Events) on this replica.",
    registers: [registry],
    collect() {
      this.set(snap.sseClients);
    },
  });

  return {
    contentType: registry.contentType,
    recordWrite(r) {
      writeDuration.observe(r.latencyMs / 1000);
      written.inc(r.inserted);
      duplicates.inc(r.duplicates);
    },
    recordWriteFailure() {
      failures.inc();
    },
    observeWatcherEvents(events) {
      for (const e of events) if (e.type === "watcher-gap" && e.to !== undefined) gapSeconds.inc({ cluster: e.cluster, resource: e.resource }, Math.max(0, e.to - e.from) / 1000);
    },
    async render(snapshot) {
      snap = snapshot;
      return registry.metrics();
    },
  };
}
