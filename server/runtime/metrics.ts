/** Prometheus text exposition of the runtime's counters (GET /metrics). */
import type { ClusterHealth } from "../watcher/health";

export interface WriteStats {
  batches: number;
  events: number;
  inserted: number;
  duplicates: number;
  failures: number;
  latencySumMs: number;
  lastLatencyMs: number;
  /** Cumulative counts per latency bucket upper bound (ms). */
  readonly buckets: Map<number, number>;
}

export const LATENCY_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000] as const;

export function newWriteStats(): WriteStats {
  return { batches: 0, events: 0, inserted: 0, duplicates: 0, failures: 0, latencySumMs: 0, lastLatencyMs: 0, buckets: new Map(LATENCY_BUCKETS_MS.map((b) => [b, 0])) };
}

export function recordWrite(s: WriteStats, r: { events: number; inserted: number; duplicates: number; latencyMs: number }): void {
  s.batches++;
  s.events += r.events;
  s.inserted += r.inserted;
  s.duplicates += r.duplicates;
  s.latencySumMs += r.latencyMs;
  s.lastLatencyMs = r.latencyMs;
  for (const b of LATENCY_BUCKETS_MS) if (r.latencyMs <= b) s.buckets.set(b, (s.buckets.get(b) ?? 0) + 1);
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function renderMetrics(clusters: readonly ClusterHealth[], writes: WriteStats, extra: { sseClients: number; storeEvents?: number }): string {
  const lines: string[] = [];
  const metric = (name: string, type: "counter" | "gauge" | "histogram", help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  metric("drainscope_events_ingested_total", "counter", "Lifecycle events produced by the watcher.");
  for (const c of clusters) lines.push(`drainscope_events_ingested_total{cluster="${esc(c.cluster)}"} ${c.eventsIngested}`);
  metric("drainscope_objects_skipped_total", "counter", "Kubernetes objects the watcher could not read and skipped.");
  for (const c of clusters) lines.push(`drainscope_objects_skipped_total{cluster="${esc(c.cluster)}"} ${c.objectsSkipped}`);
  const perResource = (name: string, type: "counter" | "gauge", help: string, value: (r: ClusterHealth["resources"][number]) => number) => {
    metric(name, type, help);
    for (const c of clusters)
      for (const r of c.resources) lines.push(`${name}{cluster="${esc(c.cluster)}",resource="${r.resource}",namespace="${esc(r.namespace ?? "")}"} ${value(r)}`);
  };
  perResource("drainscope_watch_restarts_total", "counter", "Watch reconnects after an error.", (r) => r.reconnects);
  perResource("drainscope_watch_relists_total", "counter", "Relists (410 Expired or lost events).", (r) => r.relists);
  perResource("drainscope_watch_gaps_total", "counter", "Periods the watcher was out of sync, recorded as watcher-gap observations.", (r) => r.gaps);
  perResource("drainscope_watch_connected", "gauge", "1 while the watch stream is open.", (r) => (r.connected ? 1 : 0));
  metric("drainscope_store_write_latency_ms", "histogram", "Time to commit one batch of observations.");
  for (const b of LATENCY_BUCKETS_MS) lines.push(`drainscope_store_write_latency_ms_bucket{le="${b}"} ${writes.buckets.get(b) ?? 0}`);
  lines.push(`drainscope_store_write_latency_ms_bucket{le="+Inf"} ${writes.batches}`);
  lines.push(`drainscope_store_write_latency_ms_sum ${writes.latencySumMs.toFixed(3)}`, `drainscope_store_write_latency_ms_count ${writes.batches}`);
  metric("drainscope_store_events_written_total", "counter", "Observations committed to the store (new ones).");
  lines.push(`drainscope_store_events_written_total ${writes.inserted}`);
  metric("drainscope_store_write_failures_total", "counter", "Failed store writes (retried).");
  lines.push(`drainscope_store_write_failures_total ${writes.failures}`);
  if (extra.storeEvents !== undefined) {
    metric("drainscope_store_events", "gauge", "Observations held in the store.");
    lines.push(`drainscope_store_events ${extra.storeEvents}`);
  }
  metric("drainscope_stream_clients", "gauge", "Open live streams (SSE).");
  lines.push(`drainscope_stream_clients ${extra.sseClients}`);
  return lines.join("\n") + "\n";
}
