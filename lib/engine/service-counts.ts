/**
 * Per service, how many endpoints were ready / serving-but-terminating / not serving at each change.
 * A pod listed in several slices of one service counts once, in its best state.
 */
import type { EndpointChanged, EndpointRemoved } from "../model/events";
import type { ServiceSeen } from "../model/events";
import { nsKey } from "./collect";
import { endpointState } from "./membership";
import type { EndpointLaneState, Interval, ServiceCountPoint, ServiceSeries } from "./types";

const RANK: Record<EndpointLaneState, number> = { ready: 2, "serving-terminating": 1, "not-serving": 0 };

interface ServiceState {
  readonly namespace: string;
  readonly service: string;
  /** podUid → (slice → state); a pod counts once, in its best state across slices. */
  readonly pods: Map<string, Map<string, EndpointLaneState>>;
  readonly counts: Record<EndpointLaneState, number>;
  readonly points: ServiceCountPoint[];
}

function best(slices: ReadonlyMap<string, EndpointLaneState> | undefined): EndpointLaneState | undefined {
  if (!slices || slices.size === 0) return undefined;
  let b: EndpointLaneState = "not-serving";
  for (const st of slices.values()) if (RANK[st] > RANK[b]) b = st;
  return b;
}

/** Running counts, adjusted per event: linear in events (10,000-pod rollouts stay well under a second). */
function deletionsOf(history: readonly ServiceSeen[] | undefined): Interval[] {
  const out: Interval[] = [];
  let open: number | undefined;
  for (const v of history ?? []) {
    if (v.deleted && open === undefined) open = v.at;
    else if (!v.deleted && open !== undefined) {
      out.push({ start: open, end: v.at });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ start: open });
  return out;
}

export function buildServiceSeries(
  endpointEvents: readonly (EndpointChanged | EndpointRemoved)[],
  services: ReadonlyMap<string, ServiceSeen>,
  history?: ReadonlyMap<string, readonly ServiceSeen[]>,
): ServiceSeries[] {
  const perService = new Map<string, ServiceState>();
  for (const e of endpointEvents) {
    if (!e.service) continue;
    const key = nsKey(e.namespace, e.service);
    let s = perService.get(key);
    if (!s) {
      s = { namespace: e.namespace, service: e.service, pods: new Map(), counts: { ready: 0, "serving-terminating": 0, "not-serving": 0 }, points: [] };
      perService.set(key, s);
    }
    let slices = s.pods.get(e.podUid);
    const before = best(slices);
    if (!slices) {
      slices = new Map();
      s.pods.set(e.podUid, slices);
    }
    if (e.type === "endpoint-removed") slices.delete(e.slice);
    else slices.set(e.slice, endpointState(e));
    if (slices.size === 0) s.pods.delete(e.podUid);
    const after = best(slices);
    if (before === after) continue;
    if (before) s.counts[before]--;
    if (after) s.counts[after]++;
    const point: ServiceCountPoint = { t: e.at, ready: s.counts.ready, servingTerminating: s.counts["serving-terminating"], notServing: s.counts["not-serving"] };
    const last = s.points.at(-1);
    if (last && last.t === point.t) s.points[s.points.length - 1] = point;
    else s.points.push(point);
  }
  return [...perService.entries()].map(([key, s]) => {
    const svc = services.get(key);
    const deletions = deletionsOf(history?.get(key));
    return {
      ...(deletions.length ? { deletions } : {}),
      namespace: s.namespace,
      service: s.service,
      // Slices written by the EndpointSlice controller imply a selector unless the Service says otherwise.
      hasSelector: svc?.hasSelector ?? true,
      ...(svc?.externalTrafficPolicy ? { externalTrafficPolicy: svc.externalTrafficPolicy } : {}),
      points: s.points,
    };
  });
}
