/**
 * Risk rules about one pod's termination (design §5). Each returns drafts with exact intervals; the
 * explanation says in plain words what happened and the fix says what to change.
 */
import type { PodEvents } from "../engine/collect";
import { clipFrom, contains } from "../engine/intervals";
import { deregisteredAt, routableIntervals } from "../engine/membership";
import type { Interval, LbLane, PodLane } from "../engine/types";
import { SECOND_MS } from "../model/time";
import { ceilTo, fmtDuration, fmtFor } from "./format";
import type { WindowDraft } from "./window";
import { counted } from "../text/count";

export interface PodRuleContext {
  readonly lane: PodLane;
  readonly events: PodEvents;
  readonly budgetMs: number;
  readonly slowRemovalMs: number;
}

const ref = (lane: PodLane) => [{ uid: lane.uid, name: lane.name }];

/**
 * Whether the event(s) that set a routing change at time t were only inferred — or, for LB members
 * read by polling, known only within the interval between two polls (a range of a second or more).
 */
function routingInferredAt(ev: PodEvents, t: number | undefined): boolean {
  if (t === undefined) return false;
  return [...ev.endpoints, ...ev.lb].some((e) => e.at === t && (e.precision === "inferred" || (e.type === "lb-member-changed" && e.range[1] - e.range[0] >= SECOND_MS)));
}

function routingEvidence(ev: PodEvents, t: number | undefined): string[] {
  if (t === undefined) return [];
  return [...ev.endpoints, ...ev.lb].filter((e) => e.at === t).map((e) => e.id);
}

function routesDuring(lane: PodLane, i: Interval): { services: string[]; lbs: string[] } {
  const services = new Set<string>();
  const lbs = new Set<string>();
  for (const l of lane.endpoints) for (const m of l.intervals) if (m.state === "ready" && overlapsOpen(m, i)) services.add(l.service);
  for (const l of lane.lbMembers) for (const m of l.intervals) if (m.state === "active" && overlapsOpen(m, i)) lbs.add(`${l.lb} (${l.lbSource})`);
  return { services: [...services], lbs: [...lbs] };
}

function overlapsOpen(a: Interval, b: Interval): boolean {
  return a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity);
}

export function deadButRouted({ lane, events }: PodRuleContext): WindowDraft[] {
  const k = lane.keyTimes;
  const dead = k.exited ?? k.removed;
  if (!dead) return [];
  // After a force delete the object vanishes while the process may run on (ghost-container): its
  // removal is not a death, and the slice update that follows it by milliseconds is not a window.
  if (!k.exited && k.deleteRequested?.force) return [];
  const routable = routableIntervals(lane.endpoints, lane.lbMembers);
  const after = clipFrom(routable, dead.at).filter((i) => i.end === undefined || i.end > i.start);
  return after.map((i) => {
    const { services, lbs } = routesDuring(lane, i);
    const via = [...services.map((s) => `Service ${s}'s EndpointSlice (ready)`), ...lbs.map((l) => `LB ${l} (active)`)].join(" and ");
    const what = k.exited ? `its container exited (code ${k.exited.exitCode})` : "the pod object was removed";
    const uncertain =
      !k.exited || dead.precision === "inferred" || (i.end !== undefined && i.end <= dead.range[1]) || routingInferredAt(events, i.end);
    return {
      rule: "dead-but-routed" as const,
      start: i.start,
      ...(i.end !== undefined ? { end: i.end } : {}),
      namespace: lane.namespace,
      ...(services[0] ? { service: services[0] } : {}),
      ...(lbs[0] ? { lb: lbs[0] } : {}),
      pods: ref(lane),
      uncertain,
      explanation: `Pod ${lane.name} was still routed by ${via || "a routing source"} ${fmtFor(i.end === undefined ? undefined : i.end - i.start)} after ${what}: new connections to it failed.`,
      fix: "Keep the pod serving until every consumer has dropped it: add or lengthen a preStop sleep to cover the slowest consumer's sync interval, and make LB deregistration happen before the app stops.",
      evidence: [...(k.exited ? [k.exited.eventId] : []), ...routingEvidence(events, i.end)],
    };
  });
}

export function sigtermBeforeDeregistration({ lane, events, budgetMs }: PodRuleContext): WindowDraft[] {
  const k = lane.keyTimes;
  const s = k.sigterm;
  if (!s) return [];
  const t0 = k.deleteRequested?.at ?? k.killing?.at ?? s.at;
  const routable = routableIntervals(lane.endpoints, lane.lbMembers);
  // Only pods that were taking traffic when their termination began (±1 s of stamp precision).
  if (clipFrom(routable, t0 - SECOND_MS).length === 0) return [];
  const d = deregisteredAt(routable, t0 - SECOND_MS);
  const end = d === undefined ? undefined : d + budgetMs;
  if (end !== undefined && s.at >= end) return [];
  const uncertain = !s.exact || s.precision === "inferred" || routingInferredAt(events, d) || (end !== undefined && s.range[1] >= end);
  // Same formula as the per-workload suggestion: routing delay after the delete + budget, rounded up to 5 s.
  const sleep = d === undefined ? undefined : Math.max(5, ceilTo((Math.max(0, d - t0) + budgetMs) / SECOND_MS, 5));
  const how = d === undefined ? "while it was still routable (it never left the ready/active sets while observed)" : `${fmtDuration(d + budgetMs - s.at)} before deregistration had propagated (removed from routing ${fmtDuration(Math.max(0, d - t0))} after the delete, plus a ${fmtDuration(budgetMs)} propagation budget)`;
  return [
    {
      rule: "sigterm-before-deregistration",
      start: s.at,
      ...(end !== undefined ? { end } : {}),
      namespace: lane.namespace,
      ...(lane.services[0] ? { service: lane.services[0] } : {}),
      pods: ref(lane),
      uncertain,
      explanation: `Pod ${lane.name} got SIGTERM${s.exact ? "" : " (estimated)"} ${how}; requests still arriving could hit a shutting-down process.`,
      fix: sleep !== undefined ? `Add a preStop sleep of about ${sleep} s so SIGTERM comes after every consumer has dropped the pod.` : "Add a preStop sleep that outlasts endpoint and LB propagation.",
      evidence: [...(k.killing?.eventId ? [k.killing.eventId] : []), ...routingEvidence(events, d)],
    },
  ];
}

export function killedAtGraceDeadline({ lane }: PodRuleContext): WindowDraft[] {
  const k = lane.keyTimes;
  if (!k.killedAtDeadline || !k.exited || !k.sigterm) return [];
  const grace = k.graceSeconds ?? 30;
  return [
    {
      rule: "killed-at-grace-deadline",
      start: k.sigterm.at,
      end: Math.max(k.exited.at, k.sigterm.at),
      namespace: lane.namespace,
      ...(lane.services[0] ? { service: lane.services[0] } : {}),
      pods: ref(lane),
      uncertain: !k.sigterm.exact,
      explanation: `Pod ${lane.name} did not exit after SIGTERM and was SIGKILLed (exit 137) at its ${grace} s grace deadline: in-flight requests and long-lived connections were cut.`,
      fix: `Handle SIGTERM (stop accepting, finish in-flight work, close idle keep-alives) or raise terminationGracePeriodSeconds above the longest drain.`,
      evidence: [k.exited.eventId],
    },
  ];
}

function holdsConnections(m: LbLane["intervals"][number]): boolean {
  if (m.state === "draining") return m.connections === undefined || m.connections > 0;
  return m.state === "unhealthy" && (m.connections ?? 0) > 0;
}

export function drainOutlivesPod({ lane }: PodRuleContext): WindowDraft[] {
  const k = lane.keyTimes;
  const dead = k.exited ?? k.removed;
  if (!dead) return [];
  const out: WindowDraft[] = [];
  for (const l of lane.lbMembers) {
    for (const run of holdingRuns(l)) {
      for (const i of clipFrom([run], dead.at)) {
        if (i.end !== undefined && i.end <= i.start) continue;
        const m = run.members.find((x) => (x.end ?? Infinity) > i.start) ?? run.members[0];
        if (!m) continue;
        out.push({
          rule: "drain-outlives-pod",
          start: i.start,
          ...(i.end !== undefined ? { end: i.end } : {}),
          namespace: lane.namespace,
          ...(l.service ? { service: l.service } : {}),
          lb: `${l.lb} (${l.lbSource})`,
          pods: ref(lane),
          uncertain: dead.precision === "inferred",
          explanation: `LB ${l.lb} (${l.lbSource}) still held member ${l.member} as ${m.state}${m.connections !== undefined ? ` with ${counted(m.connections, "connection")}` : ""} after pod ${lane.name} had exited: those connections go nowhere, and reused ports can be sent to it.`,
          fix: "Let the LB finish draining before the pod exits (preStop sleep ≥ deregistration delay), and close connections from the app on SIGTERM. For IPVS, check conn_reuse_mode and expire_nodest_conn.",
          evidence: run.members.map((x) => x.eventId),
        });
      }
    }
  }
  return out;
}

/** Back-to-back intervals that hold connections, joined: polls that only update a count continue one drain. */
function holdingRuns(l: LbLane): { start: number; end: number | undefined; members: LbLane["intervals"][number][] }[] {
  const runs: { start: number; end: number | undefined; members: LbLane["intervals"][number][] }[] = [];
  for (const m of l.intervals) {
    if (!holdsConnections(m)) continue;
    const last = runs.at(-1);
    if (last && last.end === m.start) {
      last.end = m.end;
      last.members.push(m);
    } else {
      runs.push({ start: m.start, end: m.end, members: [m] });
    }
  }
  return runs;
}

export function slowEndpointRemoval({ lane, events, slowRemovalMs }: PodRuleContext): WindowDraft[] {
  const r = lane.keyTimes.deleteRequested;
  if (!r || r.force) return [];
  const ready = routableIntervals(lane.endpoints, [], false);
  if (!ready.some((i) => contains(i, r.at))) return [];
  const n = deregisteredAt(ready, r.at);
  // Measured from the latest the request can have been (its stamp is floored to the second, and the
  // watcher's receive time caps it): a delete late in a second is not "slow" by its own rounding.
  if (n !== undefined && n - r.range[1] <= slowRemovalMs) return [];
  const uncertain = n === undefined || routingInferredAt(events, n);
  return [
    {
      rule: "slow-endpoint-removal",
      start: r.at,
      ...(n !== undefined ? { end: n } : {}),
      namespace: lane.namespace,
      ...(lane.services[0] ? { service: lane.services[0] } : {}),
      pods: ref(lane),
      uncertain,
      explanation: `The EndpointSlice still listed pod ${lane.name} as ready ${fmtDuration(n === undefined ? undefined : n - r.at)} after its delete request (more than ${fmtDuration(slowRemovalMs)}): the EndpointSlice controller or the API server lagged.`,
      fix: "Check kube-controller-manager load and its --concurrent-endpoint-slice-syncs / API QPS limits; a preStop sleep hides the lag from clients.",
      evidence: [r.eventId, ...routingEvidence(events, n)],
    },
  ];
}

export function ghostContainer({ lane }: PodRuleContext): WindowDraft[] {
  const r = lane.keyTimes.deleteRequested;
  if (!r?.force) return [];
  const specGrace = lane.spec?.terminationGracePeriodSeconds ?? 30;
  const end = r.at + specGrace * SECOND_MS;
  return [
    {
      rule: "ghost-container",
      start: r.at,
      end: lane.keyTimes.exited ? Math.min(end, lane.keyTimes.exited.at) : end,
      namespace: lane.namespace,
      ...(lane.services[0] ? { service: lane.services[0] } : {}),
      pods: ref(lane),
      uncertain: true,
      explanation: `Pod ${lane.name} was force-deleted (grace 0): the object vanished at once, but its containers may run on for the ${specGrace} s spec grace, holding the IP, volumes and any side effects, invisible to the API.`,
      fix: "Avoid --force --grace-period=0 for running pods; if a node is gone, confirm it is really down first.",
      evidence: [r.eventId],
    },
  ];
}

export function restartBlackhole({ lane, events }: PodRuleContext): WindowDraft[] {
  const ready = routableIntervals(lane.endpoints, [], false);
  const out: WindowDraft[] = [];
  for (const r of lane.restarts) {
    const k = r.killing;
    const during = ready.find((i) => i.start <= k.range[1] && k.range[0] < (i.end ?? Infinity));
    if (!during) continue;
    const ends = [during.end, r.restartedAt].filter((t): t is number => t !== undefined && t >= k.at);
    const end = ends.length ? Math.min(...ends) : undefined;
    if (end !== undefined && end <= k.at) continue;
    out.push({
      rule: "restart-blackhole",
      start: k.at,
      ...(end !== undefined ? { end } : {}),
      namespace: lane.namespace,
      ...(lane.services[0] ? { service: lane.services[0] } : {}),
      pods: ref(lane),
      uncertain: k.precision === "inferred" || routingInferredAt(events, end),
      explanation: `Pod ${lane.name}'s container was restarted (${k.cause}) while its endpoint was still ready: requests were sent to a container that was stopping or not yet back ${fmtFor(end === undefined ? undefined : end - k.at)}.`,
      fix: "Make the readiness probe fail before liveness does (shorter period, lower threshold), or fix what makes the liveness probe fail.",
      evidence: [k.eventId],
    });
  }
  return out;
}

export const POD_RULES = [
  deadButRouted,
  sigtermBeforeDeregistration,
  killedAtGraceDeadline,
  drainOutlivesPod,
  slowEndpointRemoval,
  ghostContainer,
  restartBlackhole,
] as const;
