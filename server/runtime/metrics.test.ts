// /metrics: prom-client's output read back by a strict Prometheus text parser, with exact values.
import { describe, expect, it } from "vitest";
import type { WatcherGap } from "../../lib/model/events";
import { exactTime } from "../../lib/model/time";
import type { ClusterHealth } from "../watcher/health";
import { newResourceHealth } from "../watcher/health";
import { renderLbSourceMetrics } from "./lb-sources";
import { createRuntimeMetrics } from "./metrics";
import { parsePrometheusText, PrometheusTextError, type Family } from "./prometheus-text";

const NOW = 1_800_000_000_000;

function cluster(): ClusterHealth {
  const pods = newResourceHealth("pods", undefined);
  pods.connected = true;
  pods.lastEventAt = NOW - 1000;
  pods.reconnects = 2;
  const slices = newResourceHealth("endpointslices", "shop");
  slices.connected = false;
  slices.lastEventAt = NOW - 400_000; // out of sync for 400 s
  slices.relists = 1;
  slices.gaps = 3;
  return { cluster: "prod", server: "https://k8s", simulated: false, startedAt: NOW - 3_600_000, resources: [pods, slices], eventsIngested: 1234, objectsSkipped: 1 };
}

function gap(from: number, to: number | undefined): WatcherGap {
  return { id: `gap:${from}`, type: "watcher-gap", cluster: "prod", namespace: "shop", source: "watcher", ...exactTime(from, "watcher"), range: [from, to ?? from], seq: 0, resource: "endpointslices", from, ...(to !== undefined ? { to } : {}), reason: "410" };
}

/** The value of the family's sample with these labels (`__name` picks a histogram's _bucket/_sum series). */
function value(f: Family | undefined, labels: Record<string, string> = {}): number | undefined {
  const { __name: name, ...want } = labels;
  return f?.samples.find((s) => s.name === (name ?? f.name) && Object.entries(want).every(([k, v]) => s.labels[k] === v))?.value;
}

describe("runtime metrics", () => {
  it("renders valid Prometheus text with the watcher's, store's and process's metrics", async () => {
    const m = createRuntimeMetrics();
    m.recordWrite({ events: 10, inserted: 8, duplicates: 2, latencyMs: 12 });
    m.recordWrite({ events: 5, inserted: 5, duplicates: 0, latencyMs: 700 });
    m.recordWriteFailure();
    m.observeWatcherEvents([gap(NOW - 10_000, NOW - 2_500), gap(NOW - 1000, undefined)]);
    const text = await m.render({ now: NOW, clusters: [cluster()], sseClients: 3, storeEvents: 99, leaders: new Map([["prod", true]]) });
    expect(m.contentType).toContain("text/plain; version=0.0.4");
    const f = parsePrometheusText(text);

    expect(f.get("drainscope_events_ingested_total")?.type).toBe("counter");
    expect(value(f.get("drainscope_events_ingested_total"), { cluster: "prod" })).toBe(1234);
    expect(value(f.get("drainscope_watch_reconnects_total"), { resource: "pods", namespace: "" })).toBe(2);
    expect(value(f.get("drainscope_watch_relists_total"), { resource: "endpointslices", namespace: "shop" })).toBe(1);
    expect(value(f.get("drainscope_watch_gaps_total"), { resource: "endpointslices" })).toBe(3);
    expect(value(f.get("drainscope_watch_gap_seconds_total"), { cluster: "prod", resource: "endpointslices" })).toBe(7.5); // the open gap is not counted yet
    expect(value(f.get("drainscope_watch_connected"), { resource: "endpointslices" })).toBe(0);
    expect(value(f.get("drainscope_watch_in_sync"), { cluster: "prod" })).toBe(0);
    expect(value(f.get("drainscope_watch_out_of_sync_seconds"), { cluster: "prod" })).toBe(400);
    expect(value(f.get("drainscope_watch_leader"), { cluster: "prod" })).toBe(1);
    expect(value(f.get("drainscope_store_events_written_total"))).toBe(13);
    expect(value(f.get("drainscope_store_duplicate_events_total"))).toBe(2);
    expect(value(f.get("drainscope_store_write_failures_total"))).toBe(1);
    expect(value(f.get("drainscope_store_events"))).toBe(99);
    expect(value(f.get("drainscope_stream_clients"))).toBe(3);

    const writes = f.get("drainscope_store_write_duration_seconds");
    expect(writes?.type).toBe("histogram");
    expect(value(writes, { __name: "drainscope_store_write_duration_seconds_bucket", le: "0.01" })).toBe(0);
    expect(value(writes, { __name: "drainscope_store_write_duration_seconds_bucket", le: "0.025" })).toBe(1);
    expect(value(writes, { __name: "drainscope_store_write_duration_seconds_bucket", le: "1" })).toBe(2);
    expect(value(writes, { __name: "drainscope_store_write_duration_seconds_sum" })).toBeCloseTo(0.712, 6);

    // Node's default process metrics come along.
    expect(value(f.get("process_resident_memory_bytes"))).toBeGreaterThan(0);
    expect(f.has("nodejs_eventloop_lag_seconds")).toBe(true);
    // Seconds, not milliseconds; counters end in _total.
    for (const name of f.keys()) expect(name).not.toMatch(/_ms($|_)/);
    for (const fam of f.values()) if (fam.type === "counter") expect(fam.name).toMatch(/_total$/);
  });

  it("is in sync with 0 s out of sync when every watch is open", async () => {
    const c = cluster();
    for (const r of c.resources) r.connected = true;
    const f = parsePrometheusText(await createRuntimeMetrics().render({ now: NOW, clusters: [c], sseClients: 0 }));
    expect(value(f.get("drainscope_watch_in_sync"), { cluster: "prod" })).toBe(1);
    expect(value(f.get("drainscope_watch_out_of_sync_seconds"), { cluster: "prod" })).toBe(0);
    expect(f.get("drainscope_watch_leader")?.samples).toEqual([]);
  });
});

describe("runtime metrics with LB sources", () => {
  it("stays valid text with lb-sources.ts's lines appended", async () => {
    const text = (await createRuntimeMetrics().render({ now: NOW, clusters: [cluster()], sseClients: 0 })) + renderLbSourceMetrics([{ name: "gw", kind: "envoy", polls: 4, errors: 1, members: 3, gaps: 0, lastSuccessAt: NOW }]);
    const f = parsePrometheusText(text);
    expect(value(f.get("drainscope_lb_members"), { source: "gw", kind: "envoy" })).toBe(3);
    expect(value(f.get("drainscope_events_ingested_total"), { cluster: "prod" })).toBe(1234);
  });
});

describe("Prometheus text parser", () => {
  it("reads labels with escapes, and histograms", () => {
    const f = parsePrometheusText(
      '# HELP a_total A.\n# TYPE a_total counter\na_total{x="q\\"uote",y="new\\nline"} 3\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1.5\nh_count 2\n',
    );
    expect(f.get("a_total")?.samples).toEqual([{ name: "a_total", labels: { x: 'q"uote', y: "new\nline" }, value: 3 }]);
    expect(f.get("h")?.samples).toHaveLength(4);
  });
  it.each([
    ["a sample before its TYPE", "a 1\n"],
    ["an unquoted label value", "# TYPE a gauge\na{x=1} 1\n"],
    ["a value that is not a number", "# TYPE a gauge\na one\n"],
    ["a bad metric name", "# TYPE 1a gauge\n"],
    ["a missing final line feed", "# TYPE a gauge\na 1"],
    ["non-cumulative buckets", '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ["a count that differs from +Inf", '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
  ])("rejects %s", (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow(PrometheusTextError);
  });
});
