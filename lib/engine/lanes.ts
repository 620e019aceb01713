/** Assemble each pod's lane: workload → revision grouping, key times, phases, membership, restarts. */
import type { Collected, PodEvents } from "./collect";
import { nsKey } from "./collect";
import { computeKeyTimes } from "./key-times";
import { buildEndpointLanes, buildLbLanes } from "./membership";
import { buildPhases } from "./phases";
import type { PodLane, RestartInfo } from "./types";

export interface WorkloadRef {
  readonly workload: string;
  readonly workloadKind: string;
  readonly replicaSet?: string;
  readonly revision?: string;
}

/** Pod → ReplicaSet → Deployment; without the ReplicaSet object, strip the pod-template-hash suffix. */
export function resolveWorkload(p: PodEvents, c: Collected): WorkloadRef {
  const owner = p.seen?.spec.owner;
  if (!owner) return { workload: p.name, workloadKind: "Pod" };
  if (owner.kind !== "ReplicaSet") return { workload: owner.name, workloadKind: owner.kind };
  const rs = c.replicaSets.get(nsKey(p.namespace, owner.name));
  const hash = p.seen?.spec.labels["pod-template-hash"];
  if (rs?.deployment) {
    return { workload: rs.deployment, workloadKind: "Deployment", replicaSet: owner.name, revision: rs.revision ?? hash ?? owner.name };
  }
  if (hash && owner.name.endsWith(`-${hash}`)) {
    return { workload: owner.name.slice(0, -hash.length - 1), workloadKind: "Deployment", replicaSet: owner.name, revision: hash };
  }
  return { workload: owner.name, workloadKind: "ReplicaSet", replicaSet: owner.name, ...(rs?.revision ? { revision: rs.revision } : {}) };
}

function restarts(p: PodEvents): RestartInfo[] {
  return p.killings
    .filter((k) => k.cause !== "stop")
    .map((k) => {
      const back = p.started.find((s) => s.container === k.container && s.range[1] >= k.range[0] && s.restartCount > 0);
      return {
        killing: { at: k.at, range: k.range, clock: k.clock, precision: k.precision, eventId: k.id, cause: k.cause },
        ...(back ? { restartedAt: Math.max(back.at, k.at) } : {}),
      };
    });
}

export function buildLane(p: PodEvents, c: Collected): PodLane {
  const keyTimes = computeKeyTimes(p);
  const endpoints = buildEndpointLanes(p.endpoints);
  const lbMembers = buildLbLanes(p.lb);
  const named = new Set<string>();
  for (const e of endpoints) if (e.service) named.add(e.service);
  for (const l of lbMembers) if (l.service) named.add(l.service);
  const spec = p.seen?.spec;
  // Built by assignment, not spreads (once per pod); the key order is the API's.
  const lane: Record<string, unknown> = { uid: p.uid, name: p.name, namespace: p.namespace };
  if (p.node) lane.node = p.node;
  const w = resolveWorkload(p, c);
  lane.workload = w.workload;
  lane.workloadKind = w.workloadKind;
  if ("replicaSet" in w) lane.replicaSet = w.replicaSet;
  if ("revision" in w) lane.revision = w.revision;
  if (spec) lane.spec = spec;
  lane.phases = buildPhases(p, keyTimes);
  lane.keyTimes = keyTimes;
  lane.endpoints = endpoints;
  lane.lbMembers = lbMembers;
  lane.restarts = restarts(p);
  lane.services = [...named];
  return lane as unknown as PodLane;
}
