/**
 * A synthetic rolling update at scale, for the store benchmark and the large-query test: half the pods
 * are old ones taken out of service during the rollout, half are their replacements. Each pod carries
 * the events a real watcher would record (pod updates, EndpointSlice changes, kubelet Events, LB member
 * changes), about 15 per pod, with realistic payload sizes. Deterministic: same input, same events.
 */
import type { EpochMs, LifecycleEvent, PodSpecSummary } from "../../lib/model/events";

export interface RolloutOptions {
  readonly pods: number;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly service?: string;
  /** When the rollout starts; old pods were created an hour before. */
  readonly start?: EpochMs;
  /** Gap between two consecutive pod replacements. */
  readonly stepMs?: number;
}

type Draft = LifecycleEvent extends infer E ? (E extends LifecycleEvent ? Omit<E, "cluster" | "namespace" | "source" | "seq" | "range" | "clock" | "precision"> : never) : never;

export function syntheticRollout(opts: RolloutOptions): LifecycleEvent[] {
  const cluster = opts.cluster ?? "bench";
  const namespace = opts.namespace ?? "shop";
  const service = opts.service ?? "web";
  const start = opts.start ?? Date.UTC(2026, 0, 5, 12, 0, 0);
  const step = opts.stepMs ?? 50;
  const out: LifecycleEvent[] = [];
  let seq = 0;
  const push = (d: Draft, source: string, precision: "exact" | "second" = "exact"): void => {
    const hi = precision === "second" ? d.at + 999 : d.at;
    out.push({ ...d, cluster, namespace, source, seq: seq++, range: [d.at, hi], clock: precision === "second" ? "node" : "watcher", precision });
  };
  const rsOld = "web-5d8f7c9b6";
  const rsNew = "web-7f6b9d4c8";
  push({ id: `deploy:${service}:1`, at: start - 3_600_000, type: "deployment-seen", name: service, uid: "d-web", replicas: opts.pods / 2, strategy: "RollingUpdate", maxSurge: "25%", maxUnavailable: "0" }, "deployment");
  push({ id: `svc:${service}:1`, at: start - 3_600_000, type: "service-seen", name: service, uid: "s-web", hasSelector: true, serviceType: "ClusterIP", publishNotReadyAddresses: false, deleted: false }, "service");
  for (let i = 0; i < opts.pods; i++) {
    const old = i < opts.pods / 2;
    const k = old ? i : i - opts.pods / 2;
    const rs = old ? rsOld : rsNew;
    const uid = `${old ? "0ld" : "n3w"}-${k.toString(16).padStart(8, "0")}-4c1e-9a7b-${(i * 7919).toString(16).padStart(12, "0")}`;
    const pod = `${rs}-${k.toString(36).padStart(5, "x")}`;
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const created = old ? start - 3_600_000 + k * 10 : start + k * step;
    const spec: PodSpecSummary = {
      owner: { kind: "ReplicaSet", name: rs, uid: `rs-${rs}` },
      node: `node-${i % 200}`,
      podIPs: [ip],
      terminationGracePeriodSeconds: 30,
      containers: [{ name: "app", ports: [8080], preStop: { kind: "sleep", sleepSeconds: 5, sleepOnly: true }, readinessProbe: true, livenessProbe: true, startupProbe: false }],
      readinessGates: [],
      labels: { app: service, "pod-template-hash": rs.slice(4) },
      createdAt: created,
    };
    const p = { pod, podUid: uid };
    const slice = `${service}-${(i % 100).toString(36)}`;
    push({ ...p, id: `${uid}:seen:1`, at: created, type: "pod-seen", spec }, "pod", "second");
    push({ ...p, id: `${uid}:sched`, at: created + 5, type: "pod-scheduled", node: spec.node ?? "" }, "pod", "second");
    push({ ...p, id: `${uid}:ev:Scheduled`, at: created + 5, type: "k8s-event", reason: "Scheduled", message: `Successfully assigned ${namespace}/${pod} to ${spec.node ?? ""}`, eventType: "Normal", involvedKind: "Pod", involvedName: pod, involvedUid: uid, count: 1 }, "event/Scheduled", "second");
    push({ ...p, id: `${uid}:ep:notready`, at: created + 50, type: "endpoint-changed", service, slice, addresses: [ip], ready: false, serving: false, terminating: false }, "endpointslice");
    push({ ...p, id: `${uid}:started`, at: created + 1500, type: "container-started", container: "app", restartCount: 0 }, "pod", "second");
    push({ ...p, id: `${uid}:phase:Running`, at: created + 1500, type: "pod-phase-changed", phase: "Running" }, "pod", "second");
    push({ ...p, id: `${uid}:ev:Started`, at: created + 1500, type: "k8s-event", reason: "Started", message: "Started container app", eventType: "Normal", involvedKind: "Pod", involvedName: pod, involvedUid: uid, count: 1 }, "event/Started", "second");
    push({ ...p, id: `${uid}:ready:1`, at: created + 3000, type: "pod-ready-changed", ready: true }, "pod", "second");
    push({ ...p, id: `${uid}:ep:ready`, at: created + 3040, type: "endpoint-changed", service, slice, addresses: [ip], ready: true, serving: true, terminating: false }, "endpointslice");
    push({ id: `lb:${ip}:active`, at: created + 4000, type: "lb-member-changed", lbSource: "envoy-admin", lb: "gateway", member: `${ip}:8080`, state: "active", weight: 1, connections: 3, service, ...p }, "envoy-admin");
    if (!old) continue;
    const del = start + k * step;
    push({ ...p, id: `${uid}:delete`, at: del, type: "delete-requested", graceSeconds: 30, deadline: del + 30_000, force: false, specGraceSeconds: 30 }, "pod", "second");
    push({ ...p, id: `${uid}:killing`, at: del + 20, type: "container-killing", container: "app", cause: "stop", message: "Stopping container app" }, "event/Killing", "second");
    push({ ...p, id: `${uid}:ep:term`, at: del + 60, type: "endpoint-changed", service, slice, addresses: [ip], ready: false, serving: true, terminating: true }, "endpointslice");
    push({ id: `lb:${ip}:draining`, at: del + 900, type: "lb-member-changed", lbSource: "envoy-admin", lb: "gateway", member: `${ip}:8080`, state: "draining", weight: 0, connections: 2, service, ...p }, "envoy-admin");
    push({ ...p, id: `${uid}:exit`, at: del + 6000, type: "container-terminated", container: "app", exitCode: 0, reason: "Completed", exitKind: "completed", restartCount: 0 }, "pod", "second");
    push({ ...p, id: `${uid}:ep:gone`, at: del + 6100, type: "endpoint-removed", service, slice, reason: "endpoint-gone" }, "endpointslice");
    push({ ...p, id: `${uid}:removed`, at: del + 6200, type: "pod-removed", via: "watch" }, "pod");
    if (k % 10 === 0) {
      const replicas = opts.pods / 2 - k;
      push({ id: `rs:${rsOld}:${k}`, at: del + 1, type: "replicaset-seen", name: rsOld, uid: `rs-${rsOld}`, deployment: service, revision: "1", replicas }, "replicaset");
      push({ id: `rs:${rsNew}:${k}`, at: del + 2, type: "replicaset-seen", name: rsNew, uid: `rs-${rsNew}`, deployment: service, revision: "2", replicas: k + 1 }, "replicaset");
    }
  }
  return out;
}
