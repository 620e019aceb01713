/**
 * Deletion, eviction and termination semantics on a cluster stepped by a manual clock (no sockets).
 */
import { describe, expect, it } from "vitest";
import { createManualClock } from "../core/clock";
import { SimCluster } from "../cluster/sim-cluster";
import type { WorkloadSpec } from "../k8s/builders";
import type { Pod } from "../k8s/types";
import type { StoreChange } from "../api/store";

const START = Date.UTC(2026, 10, 22, 6, 0, 0);

function cluster(w: Partial<WorkloadSpec> = {}): { c: SimCluster; clock: ReturnType<typeof createManualClock>; changes: StoreChange[] } {
  const clock = createManualClock(START);
  const c = new SimCluster({ clock, seed: 3, freeze: true });
  const changes: StoreChange[] = [];
  c.store.subscribe((ch) => changes.push(ch));
  c.createService({ name: "web", namespace: "t" });
  c.createDeployment({ name: "web", namespace: "t", replicas: 2, graceSeconds: 30, onSigterm: { kind: "drain", seconds: 2 }, readyAfterSeconds: 1, ...w });
  clock.advance(5000);
  return { c, clock, changes };
}

const podEvents = (changes: readonly StoreChange[], name: string): { type: string; pod: Pod }[] =>
  changes.flatMap((ch) => (ch.resource === "pods" && ch.object.metadata.name === name ? [{ type: ch.type, pod: ch.object as Pod }] : []));

describe("pod deletion", () => {
  it("stamps deletionTimestamp = floor(request + grace), keeps dT − grace on a shorter delete, ends with grace 0 then DELETED", () => {
    const { c, clock, changes } = cluster({ onSigterm: { kind: "ignore" } });
    const [pod] = c.pods("t");
    if (!pod) throw new Error("no pod");
    clock.advance(400); // request at 06:00:05.400
    expect(c.deletePod("t", pod.metadata.name)).toBe("terminating");
    const first = c.store.get("pods", "t", pod.metadata.name);
    expect(first?.metadata.deletionTimestamp).toBe("2026-11-22T06:00:35Z");
    expect(first?.metadata.deletionGracePeriodSeconds).toBe(30);
    clock.advance(2000);
    c.deletePod("t", pod.metadata.name, 10);
    const shorter = c.store.get("pods", "t", pod.metadata.name);
    expect(shorter?.metadata.deletionTimestamp).toBe("2026-11-22T06:00:15Z");
    clock.advance(40_000);
    const seq = podEvents(changes, pod.metadata.name);
    const last = seq.slice(-2);
    expect(last.map((e) => e.type)).toEqual(["MODIFIED", "DELETED"]);
    expect(last[0]?.pod.metadata).toMatchObject({ deletionTimestamp: "2026-11-22T06:00:05Z", deletionGracePeriodSeconds: 0 });
  });

  it("a force delete removes the object at once while the process runs its preStop and drain unseen", () => {
    const { c, clock, changes } = cluster({ preStop: { kind: "exec-sleep", seconds: 5 } });
    const [pod] = c.pods("t");
    if (!pod) throw new Error("no pod");
    expect(c.forceDeletePod("t", pod.metadata.name)).toBe("deleted");
    expect(podEvents(changes, pod.metadata.name).slice(-2).map((e) => [e.type, e.pod.metadata.deletionGracePeriodSeconds])).toEqual([["MODIFIED", 0], ["DELETED", 0]]);
    clock.advance(1000);
    const runtime = c.runtimes.get(pod.metadata.uid);
    expect(runtime?.state).toBe("serving"); // still in preStop
    clock.advance(7000);
    expect(c.runtimes.get(pod.metadata.uid)).toMatchObject({ state: "exited", exitCode: 0, removedFromApi: true });
    const killing = changes.find((ch) => ch.resource === "events" && "reason" in ch.object && ch.object.reason === "Killing");
    expect(killing).toBeDefined();
  });

  it("SIGKILLs an app that ignores SIGTERM at max(grace − preStop, 2) s and reports 137 Error", () => {
    const { c, clock } = cluster({ onSigterm: { kind: "ignore" }, preStop: { kind: "sleep", seconds: 29 }, graceSeconds: 30 });
    const [pod] = c.pods("t");
    if (!pod) throw new Error("no pod");
    c.deletePod("t", pod.metadata.name);
    clock.advance(30_500);
    expect(c.runtimes.get(pod.metadata.uid)?.state).not.toBe("exited");
    clock.advance(1000); // 29 s preStop + 2 s minimum window
    const exited = c.runtimes.get(pod.metadata.uid);
    expect(exited).toMatchObject({ state: "exited", exitCode: 137 });
  });
});

describe("eviction", () => {
  it("adds DisruptionTarget before deleting, and a budget refusal changes nothing", () => {
    const { c } = cluster();
    c.addDisruptionBudget({ name: "web", namespace: "t", selector: { app: "web" }, minAvailable: 2 });
    const [a] = c.pods("t");
    if (!a) throw new Error("no pod");
    const before = c.store.get("pods", "t", a.metadata.name);
    const refused = c.evictPod("t", a.metadata.name);
    expect(refused).toMatchObject({ allowed: false, code: 429 });
    expect(c.store.get("pods", "t", a.metadata.name)).toBe(before);
    c.addDisruptionBudget({ name: "web", namespace: "t", selector: { app: "web" }, maxUnavailable: 1 });
    expect(c.evictPod("t", a.metadata.name)).toMatchObject({ allowed: true, code: 201 });
    const evicted = c.store.get("pods", "t", a.metadata.name);
    expect(evicted?.status.conditions?.find((x) => x.type === "DisruptionTarget")).toMatchObject({ status: "True", reason: "EvictionByEvictionAPI" });
    expect(evicted?.metadata.deletionGracePeriodSeconds).toBe(30);
  });
});

describe("EndpointSlice controller", () => {
  it("moves an endpoint (T,T,F) → (F,T,T) → (F,F,T) → removed, and keeps an empty slice as a placeholder", () => {
    const { c, clock, changes } = cluster();
    const [pod] = c.pods("t");
    if (!pod) throw new Error("no pod");
    c.scale("t", "web", 0);
    clock.advance(10_000);
    const seen: string[] = [];
    for (const ch of changes) {
      if (ch.resource !== "endpointslices" || !("endpoints" in ch.object)) continue;
      const eps = ch.object.endpoints;
      const ep = Array.isArray(eps) ? eps.find((e: { targetRef: { uid: string } }) => e.targetRef.uid === pod.metadata.uid) : undefined;
      const state = ep ? `${+ep.conditions.ready}${+ep.conditions.serving}${+ep.conditions.terminating}` : "gone";
      if (seen[seen.length - 1] !== state && (seen.length > 0 || state !== "gone")) seen.push(state);
    }
    expect(seen).toEqual(["000", "110", "011", "001", "gone"]);
    const slices = c.store.list("endpointslices", "t");
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ endpoints: null, ports: null });
  });
});
