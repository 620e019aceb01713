import { describe, expect, it } from "vitest";
import type { Store } from "../store/types";
import { newResourceHealth, type ClusterHealth } from "../watcher/health";
import { checkReadiness } from "./readiness";

const store = (stats: () => Promise<{ events: number }>): Store => ({ kind: "postgres", stats } as unknown as Store);
const cluster = (listed: boolean): ClusterHealth => {
  const pods = newResourceHealth("pods", undefined);
  const slices = newResourceHealth("endpointslices", "shop");
  pods.lastEventAt = 1;
  if (listed) slices.lastEventAt = 2;
  return { cluster: "prod", server: "https://k8s", simulated: false, startedAt: 0, resources: [pods, slices], eventsIngested: 0, objectsSkipped: 0 };
};

describe("readiness", () => {
  it("is ready when the store answers and every resource was listed once (a later disconnect does not matter)", async () => {
    expect(await checkReadiness({ store: store(async () => ({ events: 1 })), clusters: () => [cluster(true)] })).toEqual({ ready: true, reasons: [] });
  });
  it("is not ready before a resource's first list", async () => {
    expect(await checkReadiness({ store: store(async () => ({ events: 1 })), clusters: () => [cluster(false)] })).toEqual({ ready: false, reasons: ["prod: endpointslices in shop not listed yet"] });
  });
  it("is not ready while the store fails or does not answer in time", async () => {
    const down = await checkReadiness({ store: store(() => Promise.reject(new Error("connection refused"))), clusters: () => [] });
    expect(down).toEqual({ ready: false, reasons: ["store postgres down: connection refused"] });
    const hung = await checkReadiness({ store: store(() => new Promise(() => {})), clusters: () => [] }, 20);
    expect(hung).toEqual({ ready: false, reasons: ["store postgres down: no answer within 20 ms"] });
  });
});
