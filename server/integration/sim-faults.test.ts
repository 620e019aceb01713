// The simulator's outage faults (forbid, huge-line; empty-watches is on the stand-in server in
// outages.test.ts, where the requests per resource are under the test's control) seen by the real watcher:
// exact gaps per resource, and the failure cleared once the fault has passed.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { startSimulatedCluster, type SimulatedCluster } from "../sim";
import { systemEffects } from "../runtime/runtime";
import { startClusterWatcher, type ClusterWatcher } from "../watcher/cluster-watcher";
import { findClusters } from "../watcher/kubeconfig";
import { waitFor } from "./harness";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function watched(): Promise<{ sim: SimulatedCluster; w: ClusterWatcher; gaps: () => WatcherGap[]; logs: string[] }> {
  const sim = await startSimulatedCluster({ speed: 20, bookmarkIntervalMs: 1000 });
  cleanup.push(() => sim.stop());
  const found = findClusters([], sim.kubeconfigPath);
  if (!found.ok || !found.targets[0]) throw new Error("no simulated target");
  const sunk: LifecycleEvent[] = [];
  const logs: string[] = [];
  const w = startClusterWatcher({
    cluster: "sim",
    transport: found.targets[0].transport,
    sink: (events) => sunk.push(...events),
    effects: { ...systemEffects, now: () => sim.now() },
    tuning: { backoffInitialMs: 20, backoffMaxMs: 100, stallMs: 5000 },
    simulated: true,
    log: (l) => logs.push(l),
  });
  cleanup.push(() => w.stop());
  await waitFor(() => w.health.resources.every((r) => r.connected), 10_000, "every resource to watch");
  return { sim, w, gaps: () => sunk.filter((e): e is WatcherGap => e.type === "watcher-gap"), logs };
}

describe("simulator outage faults", () => {
  it("forbid: endpointslices alone is refused for 3 requests, then one gap for it and the failure cleared", async () => {
    const { sim, w, gaps, logs } = await watched();
    expect(await sim.faults.apply({ fault: "forbid", resource: "endpointslices", count: 3 })).toEqual({ fault: "forbid", affected: 1 });
    const slices = w.health.resources.find((r) => r.resource === "endpointslices")!;
    await waitFor(() => gaps().length === 1 && slices.connected && slices.failure === undefined, 10_000, "endpointslices to come back");
    expect(gaps().map((g) => g.resource)).toEqual(["endpointslices"]);
    expect(sim.faults.state().forbidden).toEqual({});
    expect(logs.some((l) => l.includes("forbidden (403)") && l.includes("endpointslices"))).toBe(true);
  });

  it("huge-line: every open stream gets a line over the cap; each drops, relists and records one gap", async () => {
    vi.stubEnv("DRAINSCOPE_MAX_WATCH_LINE_BYTES", String(64 * 1024));
    const { sim, w, gaps, logs } = await watched();
    const open = sim.faults.state().openWatches;
    expect(open).toBe(6);
    expect(await sim.faults.apply({ fault: "huge-line", bytes: 256 * 1024 })).toEqual({ fault: "huge-line", affected: 6 });
    await waitFor(() => gaps().length === 6 && w.health.resources.every((r) => r.connected && r.relists === 1), 10_000, "every resource to relist");
    expect(gaps().map((g) => g.reason)).toEqual(Array.from({ length: 6 }, () => `watch line over ${64 * 1024} bytes (DRAINSCOPE_MAX_WATCH_LINE_BYTES)`));
    expect(logs.filter((l) => l.includes("dropped the stream, relisting"))).toHaveLength(6);
  });
});
