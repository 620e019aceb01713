/**
 * The Kubernetes → lifecycle-event normalizer. Pure: no I/O, no clock. The caller supplies each
 * object's receive time (the watcher's clock, a recording's observedAt, or an estimate) and keeps the
 * state between calls. Same input stream → same events with the same ids.
 */
import type { LifecycleEvent } from "../model/events";
import type { KubeObject } from "../k8s/objects";
import { rangeTime, type EpochMs, type TimeEstimate } from "../model/time";
import { normalizeEndpointSlice } from "./endpointslice";
import { fromCoreEvent, fromEventsV1, normalizeKubeEvent } from "./kube-event";
import { normalizePod } from "./pod";
import type { NormalizerContext, NormalizerState } from "./state";
import { normalizeDeployment, normalizeLbMember, normalizeReplicaSet, normalizeService } from "./workloads";

export { createNormalizerState, type NormalizerState } from "./state";

export interface WatchNotification {
  readonly watchType: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: KubeObject;
  readonly receivedAt: TimeEstimate;
  readonly seq: number;
}

export function normalize(state: NormalizerState, n: WatchNotification): LifecycleEvent[] {
  const ctx: NormalizerContext = { state, watchType: n.watchType, receivedAt: n.receivedAt, seq: n.seq };
  const o = n.object;
  switch (o.kind) {
    case "Pod":
      return normalizePod(ctx, o.value);
    case "EndpointSlice":
      return normalizeEndpointSlice(ctx, o.value);
    case "Event":
      return normalizeKubeEvent(ctx, fromCoreEvent(o.value));
    case "EventV1":
      return normalizeKubeEvent(ctx, fromEventsV1(o.value));
    case "ReplicaSet":
      return normalizeReplicaSet(ctx, o.value);
    case "Deployment":
      return normalizeDeployment(ctx, o.value);
    case "Service":
      return normalizeService(ctx, o.value);
    case "LoadBalancerMember":
      return normalizeLbMember(ctx, o.value);
  }
}

/**
 * After a relist, objects missing from the new list were removed while we were not watching: their
 * removal time is unknown beyond "between the last time we saw the stream and the relist".
 */
export function inferRemovalsAfterRelist(
  state: NormalizerState,
  resource: "pods" | "endpointslices",
  presentUids: ReadonlySet<string>,
  gapFrom: EpochMs,
  relistAt: EpochMs,
  seq: number,
  /** A namespaced relist only speaks for its namespace. */
  namespace?: string,
): LifecycleEvent[] {
  const t = rangeTime(gapFrom, relistAt, "watcher", "inferred");
  const out: LifecycleEvent[] = [];
  if (resource === "pods") {
    for (const [uid, ps] of state.pods) {
      if (presentUids.has(uid) || (namespace !== undefined && ps.namespace !== namespace)) continue;
      out.push({
        id: `removed:${uid}`,
        cluster: state.cluster,
        namespace: ps.namespace,
        pod: ps.name,
        podUid: uid,
        source: "relist",
        ...t,
        seq,
        type: "pod-removed",
        via: "relist",
      });
      state.pods.delete(uid);
      state.signatures.delete(`pod:${uid}`);
    }
    return out;
  }
  for (const [uid, ss] of state.slices) {
    if (presentUids.has(uid) || (namespace !== undefined && ss.namespace !== namespace)) continue;
    for (const ep of ss.endpoints.values()) {
      out.push({
        id: `ep-gone:${uid}:${ep.podUid}:relist-${relistAt}`,
        cluster: state.cluster,
        namespace: ss.namespace,
        pod: ep.pod,
        podUid: ep.podUid,
        source: "relist",
        ...t,
        seq,
        type: "endpoint-removed",
        service: ss.service,
        slice: ss.name,
        reason: "slice-deleted",
      });
    }
    state.slices.delete(uid);
  }
  return out;
}
