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
      if (isOpen) lane.intervals[lane.intervals.length - 1] = closeEndpoint(open, e.at);
      continue;
    }
    const state = endpointState(e);
    if (isOpen && open.state === state) continue;
    if (isOpen) lane.intervals[lane.intervals.length - 1] = closeEndpoint(open, e.at);
    lane.intervals.push({ state, start: e.at, eventId: e.id });
  }
  const out: EndpointLane[] = [];
  for (const [key, l] of lanes) out.push({ kind: "endpoint", key, service: l.service, slice: l.slice, intervals: l.intervals });
  return out;
}

/** `{ ...open, end }` without the spread: endpoint intervals hold exactly these keys until closed. */
function closeEndpoint(open: MembershipInterval<EndpointLaneState>, at: EpochMs): MembershipInterval<EndpointLaneState> {
  return { state: open.state, start: open.start, eventId: open.eventId, end: Math.max(at, open.start) };
}

export function buildLbLanes(events: readonly LbMemberChanged[]): LbLane[] {
  // A stable sort leaves an ordered list as it is: skip it when the events already are (the usual case).
  let ordered = true;
  for (let i = 1; i < events.length && ordered; i++) ordered = (events[i - 1] as LbMemberChanged).at <= (events[i] as LbMemberChanged).at;
  const sorted = ordered ? events : [...events].sort((a, b) => a.at - b.at);
  const lanes = new Map<string, LbLane>();
  for (const e of sorted) {
    const key = `${e.lbSource}/${e.lb}/${e.member}`;
    let lane = lanes.get(key);
    if (!lane) {
      // Key order as `{ kind, key, lbSource, lb, member, service?, intervals }`, without spreads.
      const fresh: Mutable<LbLane> = { kind: "lb", key, lbSource: e.lbSource, lb: e.lb, member: e.member };
      if (e.service) fresh.service = e.service;
      fresh.intervals = [];
      lane = fresh as LbLane;
      lanes.set(key, lane);
    }
    const intervals = lane.intervals as LbMembership[];
    const open = intervals.at(-1);
    if (open && open.end === undefined) intervals[intervals.length - 1] = withEnd(open, Math.max(e.at, open.start));
    if (e.state === "removed") continue;
    const next: Mutable<LbMembership> = { state: e.state, start: e.at, eventId: e.id };
    if (e.weight !== undefined) next.weight = e.weight;
    if (e.connections !== undefined) next.connections = e.connections;
    intervals.push(next as LbMembership);
  }
  return [...lanes.values()];
}

type LbMembership = LbLane["intervals"][number];
type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** `{ ...i, end }`, spelled out. */
function withEnd(i: LbMembership, end: EpochMs): LbMembership {
  const out: Mutable<LbMembership> = { state: i.state, start: i.start, eventId: i.eventId };
  if (i.weight !== undefined) out.weight = i.weight;
  if (i.connections !== undefined) out.connections = i.connections;
  out.end = end;
  return out as LbMembership;
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
