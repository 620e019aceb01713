/**
 * Endpoint and LB membership lanes per pod, and the moment a pod stopped being routable.
 * An endpoint is routable while `ready`; an LB member while `active`.
 */
import type { EndpointChanged, EndpointRemoved, LbMemberChanged } from "../model/events";
import type { EpochMs } from "../model/time";
import { clipFrom, union } from "./intervals";
import type { EndpointLane, EndpointLaneState, Interval, LbLane, MembershipInterval } from "./types";

export function endpointState(e: EndpointChanged): EndpointLaneState {
  if (e.ready) return "ready";
  return e.serving ? "serving-terminating" : "not-serving";
}

/** Events must be in time order. One lane per (service, slice). */
export function buildEndpointLanes(events: readonly (EndpointChanged | EndpointRemoved)[]): EndpointLane[] {
  const lanes = new Map<string, { service: string; slice: string; intervals: MembershipInterval<EndpointLaneState>[] }>();
  for (const e of events) {
    const key = `${e.service}/${e.slice}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = { service: e.service, slice: e.slice, intervals: [] };
      lanes.set(key, lane);
    }
    const open = lane.intervals.at(-1);
    const isOpen = open !== undefined && open.end === undefined;
    if (e.type === "endpoint-removed") {
      if (isOpen) lane.intervals[lane.intervals.length - 1] = { ...open, end: Math.max(e.at, open.start) };
      continue;
    }
    const state = endpointState(e);
    if (isOpen && open.state === state) continue;
    if (isOpen) lane.intervals[lane.intervals.length - 1] = { ...open, end: Math.max(e.at, open.start) };
    lane.intervals.push({ state, start: e.at, eventId: e.id });
  }
  return [...lanes.entries()].map(([key, l]) => ({ kind: "endpoint", key, ...l }));
}

export function buildLbLanes(events: readonly LbMemberChanged[]): LbLane[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const lanes = new Map<string, { lbSource: string; lb: string; member: string; service?: string; intervals: LbLane["intervals"][number][] }>();
  for (const e of sorted) {
    const key = `${e.lbSource}/${e.lb}/${e.member}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = { lbSource: e.lbSource, lb: e.lb, member: e.member, ...(e.service ? { service: e.service } : {}), intervals: [] };
      lanes.set(key, lane);
    }
    const open = lane.intervals.at(-1);
    if (open && open.end === undefined) lane.intervals[lane.intervals.length - 1] = { ...open, end: Math.max(e.at, open.start) };
    if (e.state === "removed") continue;
    lane.intervals.push({
      state: e.state,
      start: e.at,
      eventId: e.id,
      ...(e.weight !== undefined ? { weight: e.weight } : {}),
      ...(e.connections !== undefined ? { connections: e.connections } : {}),
    });
  }
  return [...lanes.entries()].map(([key, l]) => ({ kind: "lb", key, ...l }));
}

/** Intervals during which any endpoint lane listed the pod ready or any LB member was active. */
export function routableIntervals(endpoints: readonly EndpointLane[], lbs: readonly LbLane[], includeLb = true): Interval[] {
  const parts: Interval[] = [];
  for (const lane of endpoints) for (const i of lane.intervals) if (i.state === "ready") parts.push(i);
  if (includeLb) for (const lane of lbs) for (const i of lane.intervals) if (i.state === "active") parts.push(i);
  return union(parts);
}

/**
 * When did the pod leave every routing set, counting from `from` (the start of its termination)?
 * `from` itself when it was not routable then; undefined when it still is (open interval).
 */
export function deregisteredAt(routable: readonly Interval[], from: EpochMs): EpochMs | undefined {
  const after = clipFrom(routable, from);
  if (after.length === 0) return from;
  const last = after.at(-1);
  return last?.end;
}
