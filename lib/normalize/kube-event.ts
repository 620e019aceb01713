/**
 * Kubernetes Events → raw k8s-event records (kept for the detail view) plus the two kubelet events that
 * mark termination steps: `Killing` (the kubelet starts stopping a container; preStop runs next) and
 * `FailedPreStopHook`. core/v1 Events stamp whole seconds; events.k8s.io/v1 and the scheduler use µs.
 */
import type { KillingCause, LifecycleEvent } from "../model/events";
import type { CoreEvent, EventsV1Event } from "../k8s/objects";
import { parseTimestamp, secondTime, exactTime, type Clock, type TimeEstimate } from "../model/time";
import type { NormalizerContext } from "./state";

interface CommonEvent {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly reason: string;
  readonly message: string;
  readonly eventType: string;
  readonly count: number;
  readonly involved: { kind: string; name: string; uid?: string; fieldPath?: string };
  readonly time: TimeEstimate | undefined;
}

/** Kubelet-written events use the node's clock; the rest come from controllers. */
const KUBELET_REASONS = new Set([
  "Killing", "FailedPreStopHook", "FailedPostStartHook", "Unhealthy", "Started", "Created", "Pulled", "Pulling",
  "BackOff", "ExceededGracePeriod", "Preempting", "ProbeWarning",
]);

function stamp(micro: string | null | undefined, seconds: string | null | undefined, clock: Clock): TimeEstimate | undefined {
  const fine = parseTimestamp(micro);
  if (fine !== undefined) return exactTime(fine, clock);
  const coarse = parseTimestamp(seconds);
  return coarse === undefined ? undefined : secondTime(coarse, clock);
}

export function fromCoreEvent(e: CoreEvent): CommonEvent {
  const reason = e.reason ?? "";
  const clock: Clock = KUBELET_REASONS.has(reason) ? "node" : "controller";
  return {
    uid: e.metadata.uid,
    name: e.metadata.name,
    namespace: e.metadata.namespace ?? e.involvedObject.namespace ?? "default",
    reason,
    message: e.message ?? "",
    eventType: e.type ?? "Normal",
    count: e.series?.count ?? e.count ?? 1,
    involved: {
      kind: e.involvedObject.kind ?? "",
      name: e.involvedObject.name ?? "",
      ...(e.involvedObject.uid ? { uid: e.involvedObject.uid } : {}),
      ...(e.involvedObject.fieldPath ? { fieldPath: e.involvedObject.fieldPath } : {}),
    },
    // eventTime ?? lastTimestamp ?? firstTimestamp ?? creationTimestamp, keeping which one it was.
    time:
      stamp(e.series?.lastObservedTime, undefined, clock) ??
      stamp(e.eventTime, e.lastTimestamp ?? e.firstTimestamp ?? e.metadata.creationTimestamp, clock),
  };
}

export function fromEventsV1(e: EventsV1Event): CommonEvent {
  const reason = e.reason ?? "";
  const clock: Clock = KUBELET_REASONS.has(reason) ? "node" : "controller";
  const r = e.regarding;
  return {
    uid: e.metadata.uid,
    name: e.metadata.name,
    namespace: e.metadata.namespace ?? r?.namespace ?? "default",
    reason,
    message: e.note ?? "",
    eventType: e.type ?? "Normal",
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    involved: {
      kind: r?.kind ?? "",
      name: r?.name ?? "",
      ...(r?.uid ? { uid: r.uid } : {}),
      ...(r?.fieldPath ? { fieldPath: r.fieldPath } : {}),
    },
    time:
      stamp(e.series?.lastObservedTime, undefined, clock) ??
      stamp(e.eventTime, e.deprecatedLastTimestamp ?? e.deprecatedFirstTimestamp ?? e.metadata.creationTimestamp, clock),
  };
}

/** `spec.containers{web}` → `web`; falls back to the message "Stopping container web". */
export function containerName(fieldPath: string | undefined, message: string): string {
  const fromPath = fieldPath ? /\{([^}]+)\}/.exec(fieldPath)?.[1] : undefined;
  if (fromPath) return fromPath;
  const fromMessage = /[Cc]ontainer\s+([a-z0-9]([-a-z0-9.]*[a-z0-9])?)/.exec(message)?.[1];
  return fromMessage ?? "";
}

/** The kubelet says "Stopping container X" when stopping for good, other words when it will restart. */
export function killingCause(message: string): KillingCause {
  if (/^Stopping container/i.test(message)) return "stop";
  if (/failed (liveness|startup) probe/i.test(message)) return "probe-restart";
  return "other-restart";
}

export function normalizeKubeEvent(ctx: NormalizerContext, e: CommonEvent): LifecycleEvent[] {
  const { state, receivedAt } = ctx;
  if (ctx.watchType === "DELETED") {
    // Event expiry (TTL) says nothing about the pod. Its uid never comes back, so its count is dropped:
    // kept, a watcher running for weeks would hold every Event uid it ever saw.
    state.kubeEvents.delete(e.uid);
    return [];
  }
  const seen = state.kubeEvents.get(e.uid);
  if (seen !== undefined && seen >= e.count) return [];
  state.kubeEvents.set(e.uid, e.count);
  const t = e.time ?? receivedAt;
  const isPod = e.involved.kind === "Pod";
  const podRef = isPod && e.involved.uid ? { pod: e.involved.name, podUid: e.involved.uid } : undefined;
  const observed = receivedAt.precision === "exact" && receivedAt.clock === "watcher" ? { observedAt: receivedAt.at } : {};
  const common = { cluster: state.cluster, namespace: e.namespace, ...t, ...observed, seq: ctx.seq };
  const out: LifecycleEvent[] = [
    {
      ...common,
      id: `kev:${e.uid}:${e.count}`,
      type: "k8s-event",
      source: "event",
      reason: e.reason,
      message: e.message,
      eventType: e.eventType,
      involvedKind: e.involved.kind,
      involvedName: e.involved.name,
      ...(e.involved.uid ? { involvedUid: e.involved.uid } : {}),
      count: e.count,
      ...(podRef ?? {}),
    },
  ];
  if (!podRef) return out;
  const container = containerName(e.involved.fieldPath, e.message);
  if (e.reason === "Killing") {
    out.push({
      ...common,
      ...podRef,
      id: `killing:${e.uid}:${e.count}`,
      type: "container-killing",
      source: "event/Killing",
      container,
      cause: killingCause(e.message),
      message: e.message,
    });
  } else if (e.reason === "FailedPreStopHook") {
    out.push({
      ...common,
      ...podRef,
      id: `prestop-failed:${e.uid}:${e.count}`,
      type: "prestop-failed",
      source: "event/FailedPreStopHook",
      container,
      message: e.message,
    });
  }
  return out;
}
