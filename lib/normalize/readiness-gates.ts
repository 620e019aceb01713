/**
 * Cloud LB readiness gates → LB member observations, with no configuration: the controllers write
 * their view of the pod's target into a pod condition, which already arrives in the pod watch.
 *
 * - AWS Load Balancer Controller (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/):
 *   condition `target-health.elbv2.k8s.aws/<TargetGroupBinding>`; `True` once the target is `healthy` in the
 *   target group; `False` with the ELB TargetHealth reason and description as reason/message while it is
 *   not (`Elb.RegistrationInProgress`, `Target.FailedHealthChecks`, `Target.DeregistrationInProgress`, …);
 *   `Unknown` when the target group has no such target.
 * - GKE NEG readiness reflector (https://cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing#pod_readiness):
 *   condition `cloud.google.com/load-balancer-neg-ready`; `True` with reason `LoadBalancerNegReady` when the
 *   endpoint is healthy in a NEG attached to a backend service (also `LoadBalancerNegWithoutHealthCheck`, and
 *   `LoadBalancerNegTimeout` after 10 min without becoming healthy: routed or not, we cannot tell, so it reads
 *   `unhealthy`); `LoadBalancerNegNotReady` while waiting.
 *
 * Both controllers stop updating the condition once it is True, and neither reports deregistration: when
 * the pod's deletion is requested the member is taken out at the request time, marked `inferred` (the
 * real deregistration follows by the controller's reconcile time, unobserved), so rules that end on it say
 * `possible`. The member is named by the pod IP and carries the pod, so no address matching is needed.
 */
import type { LbMemberChanged, LbMemberState } from "../model/events";
import type { Pod } from "../k8s/objects";
import { parseTimestamp, secondTime, type TimeEstimate } from "../model/time";
import type { NormalizerContext, PodState } from "./state";

export const AWS_TARGET_HEALTH_PREFIX = "target-health.elbv2.k8s.aws/";
export const GKE_NEG_READY = "cloud.google.com/load-balancer-neg-ready";

interface GateLb {
  readonly lbSource: "aws-lbc-gate" | "gke-neg-gate";
  readonly lb: string;
}

/** Which LB a readiness-gate condition type speaks for; undefined for any other condition. */
export function gateLb(conditionType: string): GateLb | undefined {
  if (conditionType.startsWith(AWS_TARGET_HEALTH_PREFIX) && conditionType.length > AWS_TARGET_HEALTH_PREFIX.length) {
    return { lbSource: "aws-lbc-gate", lb: `tgb/${conditionType.slice(AWS_TARGET_HEALTH_PREFIX.length)}` };
  }
  if (conditionType === GKE_NEG_READY) return { lbSource: "gke-neg-gate", lb: "neg" };
  return undefined;
}

/** The member state a gate condition reads as. */
export function gateState(lbSource: GateLb["lbSource"], status: string, reason: string | undefined): LbMemberState {
  if (lbSource === "gke-neg-gate") {
    if (status !== "True") return "unhealthy";
    return reason === "LoadBalancerNegTimeout" ? "unhealthy" : "active";
  }
  if (status === "True") return "active";
  if (status !== "False") return "removed"; // Unknown: the target group has no such target
  if (reason === "Target.DeregistrationInProgress") return "draining";
  if (reason === "Target.NotRegistered") return "removed";
  return "unhealthy"; // initial, failed health checks, unused, unavailable
}

type GateBase = (id: string, t: TimeEstimate, source?: string) => Omit<LbMemberChanged, "type" | "lbSource" | "lb" | "member" | "state">;

export function readinessGateEvents(ctx: NormalizerContext, pod: Pod, ps: PodState, base: GateBase): LbMemberChanged[] {
  const out: LbMemberChanged[] = [];
  const ip = ps.ips[0] ?? pod.status?.podIP ?? undefined;
  const uid = pod.metadata.uid;
  const emit = (type: string, lb: GateLb, state: LbMemberState, t: TimeEstimate) => {
    if (!ip) return;
    (ps.gates ??= new Map()).set(type, state);
    out.push({ ...base(`gate:${uid}:${type}:${state}:${t.at}`, t, lb.lbSource), type: "lb-member-changed", lbSource: lb.lbSource, lb: lb.lb, member: ip, state });
  };
  for (const cond of pod.status?.conditions ?? []) {
    const lb = gateLb(cond.type);
    if (!lb) continue;
    const state = gateState(lb.lbSource, cond.status, cond.reason ?? undefined);
    const prior = ps.gates?.get(cond.type);
    if (prior === state || (prior === undefined && state === "removed")) continue;
    // Deregistration already inferred: a late True from a controller that lost the race changes nothing.
    if (prior === "removed" && ps.deletion) continue;
    const ms = parseTimestamp(cond.lastTransitionTime);
    emit(cond.type, lb, state, ms === undefined ? ctx.receivedAt : secondTime(ms, "controller"));
  }
  const leaving = ps.deletion ? { ...ps.deletion.requestAt, precision: "inferred" as const } : ctx.watchType === "DELETED" ? { ...ctx.receivedAt, precision: "inferred" as const } : undefined;
  if (leaving) {
    for (const [type, state] of ps.gates ?? []) {
      const lb = gateLb(type);
      if (lb && state !== "removed") emit(type, lb, "removed", leaving);
    }
  }
  return out;
}
