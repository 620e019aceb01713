/**
 * Per service, how many endpoints were ready / serving-but-terminating / not serving at each change.
 * A pod listed in several slices of one service counts once, in its best state.
 */
import type { EndpointChanged, EndpointRemoved } from "../model/events";
import type { ServiceSeen } from "../model/events";
import { nsKey } from "./collect";
import { endpointState } from "./membership";
import type { EndpointLaneState, ServiceCountPoint, ServiceSeries } from "./types";

const RANK: Record<EndpointLaneState, number> = { ready: 2, "serving-terminating": 1, "not-serving": 0 };

export function buildServiceSeries(
  endpointEvents: readonly (EndpointChanged | EndpointRemoved)[],
  services: ReadonlyMap<string, ServiceSeen>,
): ServiceSeries[] {
  const perService = new Map<string, { namespace: string; service: string; pods: Map<string, Map<string, EndpointLaneState>>; points: ServiceCountPoint[] }>();
  for (const e of endpointEvents) {
    if (!e.service) continue;
    const key = nsKey(e.namespace, e.service);
    let s = perService.get(key);
    if (!s) {
      s = { namespace: e.namespace, service: e.service, pods: new Map(), points: [] };
      perService.set(key, s);
    }
    let slices = s.pods.get(e.podUid);
    if (!slices) {
      slices = new Map();
      s.pods.set(e.podUid, slices);
    }
    if (e.type === "endpoint-removed") slices.delete(e.slice);
    else slices.set(e.slice, endpointState(e));
    if (slices.size === 0) s.pods.delete(e.podUid);
    const point = count(e.at, s.pods);
    const last = s.points.at(-1);
    if (last && last.t === point.t) s.points[s.points.length - 1] = point;
    else if (!last || last.ready !== point.ready || last.servingTerminating !== point.servingTerminating || last.notServing !== point.notServing) s.points.push(point);
  }
  return [...perService.entries()].map(([key, s]) => {
    const svc = services.get(key);
    return {
      namespace: s.namespace,
      service: s.service,
      // Slices written by the EndpointSlice controller imply a selector unless the Service says otherwise.
      hasSelector: svc?.hasSelector ?? true,
      ...(svc?.externalTrafficPolicy ? { externalTrafficPolicy: svc.externalTrafficPolicy } : {}),
      points: s.points,
    };
  });
}

function count(t: number, pods: ReadonlyMap<string, ReadonlyMap<string, EndpointLaneState>>): ServiceCountPoint {
  let ready = 0;
  let servingTerminating = 0;
  let notServing = 0;
  for (const slices of pods.values()) {
    let best: EndpointLaneState = "not-serving";
    for (const st of slices.values()) if (RANK[st] > RANK[best]) best = st;
    if (best === "ready") ready++;
    else if (best === "serving-terminating") servingTerminating++;
    else notServing++;
  }
  return { t, ready, servingTerminating, notServing };
}
