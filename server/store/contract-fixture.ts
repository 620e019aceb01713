/**
 * The event log the store contract runs on: two clusters, two namespaces, two services, pods that live
 * before, across, inside and after the query window [0 s, 30 s], a pod alive throughout the window with no
 * event in it, LB members without a pod, a Kubernetes Event about a Deployment, ReplicaSet versions before,
 * inside and after the window, and watcher gaps before, inside and open after it.
 */
import type { LifecycleEvent } from "../../lib/model/events";
import { at, EventLog } from "../../lib/testing/event-builder";

export const WINDOW = { from: at(0), to: at(30) } as const;

export interface Fixture {
  readonly events: LifecycleEvent[];
  readonly prod: LifecycleEvent[];
  readonly staging: LifecycleEvent[];
  /** Ids of every event of these pods (by name) in cluster prod. */
  readonly podIds: (...names: string[]) => string[];
}

function replicaSet(log: EventLog, version: number, seconds: number, replicas: number): void {
  log.push({
    id: `rs:web-abc123:${version}`, namespace: "default", source: "replicaset", at: at(seconds), range: [at(seconds), at(seconds)],
    clock: "watcher", precision: "exact", type: "replicaset-seen", name: "web-abc123", uid: "rs-web-abc123", deployment: "web", revision: "1", replicas,
  });
}

export function buildFixture(): Fixture {
  const prod = new EventLog("prod");
  prod.service("web").service("api").deployment("web", 3);
  replicaSet(prod, 1, -100, 3);
  replicaSet(prod, 2, 20, 2);
  replicaSet(prod, 3, 500, 0);
  prod.pod("before", { createdAt: -60 }).endpoint(-59, true).delete(-20).exit(-15).removed(-10);
  prod.pod("old", { createdAt: -50 }).endpoint(-49.9, false).ready(-49).endpoint(-48.9, true).delete(5).killing(5)
    .endpoint(6, false, true, true).exit(20, 0).endpointRemoved(20.5).removed(21);
  prod.pod("quiet", { createdAt: -40 }).endpoint(-39.5, false).ready(-39).endpoint(-38.9, true);
  prod.pod("api-1", { createdAt: 2, workload: "api" }).ready(2.5).endpoint(2.6, true, true, false, "api");
  prod.pod("o1", { createdAt: 3, namespace: "other" }).ready(4);
  prod.pod("fresh", { createdAt: 10 }).endpoint(10.5, false).ready(11).endpoint(11.1, true);
  prod.pod("later", { createdAt: 40 }).ready(41).endpoint(41.1, true);
  prod.lb("10.0.0.9:8080", "active", 15, { service: "web" });
  prod.lb("10.0.0.9:8080", "removed", 100, { service: "web" });
  prod.push({
    id: "ev:web-scaled", namespace: "default", source: "event/ScalingReplicaSet", at: at(12), range: [at(12), at(12) + 999], clock: "controller",
    precision: "second", type: "k8s-event", reason: "ScalingReplicaSet", message: "Scaled down replica set web-abc123 to 2", eventType: "Normal",
    involvedKind: "Deployment", involvedName: "web", count: 1,
  });
  prod.gap(-30, -20).gap(25, 27).gap(200, undefined);

  const staging = new EventLog("staging");
  staging.service("web");
  staging.pod("x", { createdAt: 5 }).ready(6).endpoint(6.1, true);

  const podIds = (...names: string[]): string[] => {
    const uids = new Set(names.map((n) => `uid-${n}`));
    return prod.events.filter((e) => "podUid" in e && e.podUid !== undefined && uids.has(e.podUid)).map((e) => e.id);
  };
  return { events: [...prod.events, ...staging.events], prod: prod.events, staging: staging.events, podIds };
}

/** Fixed ids of the fixture's events that are about no pod. */
export const IDS = {
  svcWeb: "svc:web",
  svcApi: "svc:api",
  deploy: "deploy:web",
  rs1: "rs:web-abc123:1",
  rs2: "rs:web-abc123:2",
  rs3: "rs:web-abc123:3",
  lbActive: "lb:envoy-admin:gateway:10.0.0.9:8080:15:active",
  lbRemoved: "lb:envoy-admin:gateway:10.0.0.9:8080:100:removed",
  scaled: "ev:web-scaled",
  gapBefore: "gap:pods:-30",
  gapInside: "gap:pods:25",
  gapOpen: "gap:pods:200",
} as const;
