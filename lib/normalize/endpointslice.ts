/**
 * EndpointSlice versions → per-endpoint condition changes and removals. Slices carry no per-endpoint
 * timestamps: the receive time is the time. Missing conditions take their API defaults
 * (ready nil = true, serving nil = ready, terminating nil = false); `endpoints: null` is an empty slice.
 */
import type { LifecycleEvent } from "../model/events";
import type { EndpointSlice } from "../k8s/objects";
import type { EndpointState, NormalizerContext, SliceState } from "./state";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

type Conditions = NonNullable<NonNullable<EndpointSlice["endpoints"]>[number]["conditions"]>;

export function endpointConditions(c: Conditions | null | undefined): { ready: boolean; serving: boolean; terminating: boolean } {
  const ready = c?.ready ?? true;
  const serving = c?.serving ?? ready;
  const terminating = c?.terminating ?? false;
  return { ready, serving, terminating };
}

function currentEndpoints(slice: EndpointSlice): Map<string, EndpointState> {
  const map = new Map<string, EndpointState>();
  for (const ep of slice.endpoints ?? []) {
    const ref = ep.targetRef;
    // Endpoints that are not pods (manually managed slices) have no lane to attach to.
    if (!ref?.uid || (ref.kind && ref.kind !== "Pod")) continue;
    map.set(ref.uid, {
      pod: ref.name ?? ref.uid,
      podUid: ref.uid,
      addresses: ep.addresses ?? [],
      ...endpointConditions(ep.conditions),
    });
  }
  return map;
}

export function normalizeEndpointSlice(ctx: NormalizerContext, slice: EndpointSlice): LifecycleEvent[] {
  const { state, receivedAt } = ctx;
  const meta = slice.metadata;
  const namespace = meta.namespace ?? "default";
  const service = meta.labels?.[SERVICE_NAME_LABEL] ?? "";
  let ss: SliceState | undefined = state.slices.get(meta.uid);
  if (!ss) {
    ss = { uid: meta.uid, name: meta.name, namespace, service, endpoints: new Map() };
    state.slices.set(meta.uid, ss);
  }
  ss.service = service;
  const next = ctx.watchType === "DELETED" ? new Map<string, EndpointState>() : currentEndpoints(slice);
  const version = meta.resourceVersion ?? String(receivedAt.at);
  const observed = receivedAt.precision === "exact" && receivedAt.clock === "watcher" ? { observedAt: receivedAt.at } : {};
  const common = { cluster: state.cluster, namespace, service, slice: meta.name, source: "endpointslice", ...receivedAt, ...observed, seq: ctx.seq };
  const out: LifecycleEvent[] = [];

  for (const [uid, ep] of next) {
    const prev = ss.endpoints.get(uid);
    if (prev && prev.ready === ep.ready && prev.serving === ep.serving && prev.terminating === ep.terminating) continue;
    out.push({
      ...common,
      id: `ep:${meta.uid}:${uid}:${version}`,
      type: "endpoint-changed",
      pod: ep.pod,
      podUid: uid,
      addresses: ep.addresses,
      ready: ep.ready,
      serving: ep.serving,
      terminating: ep.terminating,
    });
  }
  for (const [uid, prev] of ss.endpoints) {
    if (next.has(uid)) continue;
    out.push({
      ...common,
      id: `ep-gone:${meta.uid}:${uid}:${version}`,
      type: "endpoint-removed",
      pod: prev.pod,
      podUid: uid,
      reason: ctx.watchType === "DELETED" ? "slice-deleted" : "endpoint-gone",
    });
  }
  ss.endpoints = next;
  if (ctx.watchType === "DELETED") state.slices.delete(meta.uid);
  return out;
}
