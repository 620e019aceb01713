/**
 * zod schemas for the lifecycle-event union: the single description of an observation. The TypeScript
 * types in events.ts are inferred from these (`z.infer`), so a field added here reaches the type, and a
 * field the type has cannot be missing here (an import would silently drop it).
 *
 * Parsing with these schemas is what an observation from outside (an imported bundle, a hand-edited
 * file) goes through before it reaches the store: beyond shapes, they hold it to the rules every edge
 * shares — times between 2000 and 2100 (time-limits.ts), ranges not inverted, names as Kubernetes and
 * Drainscope allow them (names.ts). Internal producers build events directly and are trusted.
 */
import { z } from "zod";
import { clusterNameProblem, namespaceProblem, podNameProblem } from "./names";
import type { Clock, Precision } from "./time";
import { durationSecondsProblem, rangeProblem, timeProblem } from "./time-limits";

const num = z.number();
const str = z.string();
const strList = z.array(z.string()).readonly();

/** A check as a zod refinement whose message is the rule's own ("VALUE is not a valid …"). */
const checked = <T extends z.ZodType>(schema: T, problem: (v: z.output<T>) => string | undefined): T =>
  schema.superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: "custom", message: p });
  });

/** Epoch milliseconds between 2000-01-01 and 2100-01-01. */
const time = checked(num, (v) => timeProblem(v));
/** A duration in whole or fractional seconds, 0 to ten years. */
const seconds = checked(num, (v) => durationSecondsProblem(v));
/** Names by names.ts's rules, for every schema where a name enters (events, ingest, import, delete). */
export const ClusterNameSchema = checked(str, (v) => clusterNameProblem(v));
export const NamespaceNameSchema = checked(str, (v) => namespaceProblem(v));
export const PodNameSchema = checked(str, (v) => podNameProblem(v));
const clusterName = ClusterNameSchema;
/** "" for cluster-scoped observations (watcher gaps, LB members without a namespace). */
const namespace = checked(str, (v) => (v === "" ? undefined : namespaceProblem(v)));
const podName = PodNameSchema;

const clock = z.enum(["apiserver", "node", "controller", "watcher"]);
const precision = z.enum(["exact", "second", "estimated", "inferred"]);

const baseShape = {
  id: z.string().min(1).max(2000),
  cluster: clusterName,
  namespace,
  /** Where the fact came from, e.g. "pod", "endpointslice", "event/Killing", "ingest", "envoy-admin". */
  source: str,
  /** When the watcher received the underlying object, if known. */
  observedAt: time.optional(),
  /** Arrival order within one source stream; breaks ties between equal times. */
  seq: num.optional(),
  /** Best estimate. For whole-second stamps this is the stamp itself (what kubectl shows). */
  at: time,
  /** Interval the true time lies in, inclusive: lo <= at <= hi. */
  range: z.tuple([time, time]).readonly(),
  clock,
  precision,
};
const podRefShape = { pod: podName, podUid: z.string().min(1) };

export const EventBaseSchema = z.object(baseShape).readonly();
export const PodRefSchema = z.object(podRefShape).readonly();

export const PreStopKindSchema = z.enum(["none", "sleep", "exec", "http"]);
export const PreStopSummarySchema = z
  .object({
    kind: PreStopKindSchema,
    /** For the `sleep` action and for exec commands that are exactly `sleep N`: N seconds. */
    sleepSeconds: seconds.optional(),
    /** True when the hook is `sleep N` and nothing else, so SIGTERM = Killing + min(N, grace) exactly. */
    sleepOnly: z.boolean().optional(),
    command: str.optional(),
  })
  .readonly();
export const ContainerSummarySchema = z
  .object({
    name: str,
    ports: z.array(num).readonly(),
    preStop: PreStopSummarySchema,
    readinessProbe: z.boolean(),
    livenessProbe: z.boolean(),
    startupProbe: z.boolean(),
  })
  .readonly();
export const OwnerSummarySchema = z.object({ kind: str, name: str, uid: str.optional() }).readonly();
export const PodSpecSummarySchema = z
  .object({
    owner: OwnerSummarySchema.optional(),
    node: str.optional(),
    podIPs: strList,
    /** The node's IP: LBs in front of `externalTrafficPolicy: Local` services name nodes, not pods. */
    hostIP: str.optional(),
    terminationGracePeriodSeconds: seconds,
    containers: z.array(ContainerSummarySchema).readonly(),
    readinessGates: strList,
    labels: z.record(z.string(), z.string()).readonly(),
    createdAt: time.optional(),
  })
  .readonly();

export const PodPhaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
/**
 * How a container's exit reads, from exit code and reason: `completed` exit 0; `sigterm` 143 (died of
 * SIGTERM, no handler); `sigkill` 137 with reason Error (deadline or external); `oom` OOMKilled;
 * `status-unknown` ContainerStatusUnknown (the kubelet lost track; no times); `error` any other non-zero exit.
 */
export const ExitKindSchema = z.enum(["completed", "sigterm", "sigkill", "oom", "status-unknown", "error"]);
/** `stop`: the container is being stopped for good (deletion, eviction, kubelet-initiated); the others restart it. */
export const KillingCauseSchema = z.enum(["stop", "probe-restart", "other-restart"]);
export const LbMemberStateSchema = z.enum(["active", "draining", "removed", "unhealthy"]);
export const InPodSignalSchema = z.enum(["prestop-start", "prestop-end", "sigterm-received", "shutdown-done"]);

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ ...baseShape, type: z.literal(type), ...shape }).readonly();
const podEv = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ ...baseShape, ...podRefShape, type: z.literal(type), ...shape }).readonly();

export const PodSeenSchema = podEv("pod-seen", { spec: PodSpecSummarySchema });
export const PodScheduledSchema = podEv("pod-scheduled", { node: str });
export const PodReadyChangedSchema = podEv("pod-ready-changed", { ready: z.boolean() });
export const PodPhaseChangedSchema = podEv("pod-phase-changed", { phase: PodPhaseSchema });
export const DisruptionTargetSchema = podEv("disruption-target", { reason: str, message: str.optional() });
export const DeleteRequestedSchema = podEv("delete-requested", {
  graceSeconds: seconds,
  /** metadata.deletionTimestamp: the deadline by which the kubelet kills the containers. */
  deadline: time,
  /** Grace 0 on a pod whose containers still ran: the object goes at once, the processes may not. */
  force: z.boolean(),
  /** The pod's spec grace, for ghost-container windows after a force delete. */
  specGraceSeconds: seconds,
});
export const ContainerKillingSchema = podEv("container-killing", { container: str, cause: KillingCauseSchema, message: str });
export const PreStopFailedSchema = podEv("prestop-failed", { container: str, message: str });
export const ContainerStartedSchema = podEv("container-started", { container: str, restartCount: num });
export const ContainerTerminatedSchema = podEv("container-terminated", {
  container: str,
  exitCode: num,
  reason: str,
  exitKind: ExitKindSchema,
  restartCount: num,
});
export const PodRemovedSchema = podEv("pod-removed", { via: z.enum(["watch", "relist", "recording-end"]) });
export const EndpointChangedSchema = podEv("endpoint-changed", {
  service: str,
  slice: str,
  addresses: strList,
  ready: z.boolean(),
  serving: z.boolean(),
  terminating: z.boolean(),
});
export const EndpointRemovedSchema = podEv("endpoint-removed", { service: str, slice: str, reason: z.enum(["endpoint-gone", "slice-deleted"]) });
export const LbMemberChangedSchema = ev("lb-member-changed", {
  lbSource: str,
  lb: str,
  /** "ip:port" as the load balancer names it; matched to a pod by IP. */
  member: str,
  state: LbMemberStateSchema,
  weight: num.optional(),
  connections: num.optional(),
  service: str.optional(),
  pod: podName.optional(),
  podUid: str.optional(),
});
export const InPodSignalEventSchema = podEv("in-pod-signal", { signal: InPodSignalSchema });
export const WatcherGapSchema = ev("watcher-gap", {
  resource: str,
  from: time,
  /** Undefined while the gap is still open. */
  to: time.optional(),
  reason: str,
});
export const KubeEventSchema = ev("k8s-event", {
  reason: str,
  message: str,
  eventType: str,
  involvedKind: str,
  involvedName: str,
  involvedUid: str.optional(),
  count: num,
  pod: podName.optional(),
  podUid: str.optional(),
});
export const ReplicaSetSeenSchema = ev("replicaset-seen", { name: str, uid: str, deployment: str.optional(), revision: str.optional(), replicas: num });
export const DeploymentSeenSchema = ev("deployment-seen", {
  name: str,
  uid: str,
  replicas: num,
  strategy: str,
  maxSurge: str.optional(),
  maxUnavailable: str.optional(),
  revision: str.optional(),
});
export const ServiceSeenSchema = ev("service-seen", {
  name: str,
  uid: str,
  hasSelector: z.boolean(),
  serviceType: str,
  externalTrafficPolicy: str.optional(),
  publishNotReadyAddresses: z.boolean(),
  deleted: z.boolean(),
});

export const LifecycleEventSchema = z
  .discriminatedUnion("type", [
    PodSeenSchema,
    PodScheduledSchema,
    PodReadyChangedSchema,
    PodPhaseChangedSchema,
    DisruptionTargetSchema,
    DeleteRequestedSchema,
    ContainerKillingSchema,
    PreStopFailedSchema,
    ContainerStartedSchema,
    ContainerTerminatedSchema,
    PodRemovedSchema,
    EndpointChangedSchema,
    EndpointRemovedSchema,
    LbMemberChangedSchema,
    InPodSignalEventSchema,
    WatcherGapSchema,
    KubeEventSchema,
    ReplicaSetSeenSchema,
    DeploymentSeenSchema,
    ServiceSeenSchema,
  ])
  .superRefine((e, ctx) => {
    const inverted = rangeProblem(e.range[0], e.range[1]);
    if (inverted) ctx.addIssue({ code: "custom", path: ["range"], message: inverted });
    if (e.type === "watcher-gap" && e.to !== undefined && e.to < e.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `${e.to} is before from: ${e.from} (the gap is inverted)` });
    }
  });

// The clock and precision enums must name exactly time.ts's unions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _clockSame: Same<z.output<typeof clock>, Clock> = true;
const _precisionSame: Same<z.output<typeof precision>, Precision> = true;
void _clockSame;
void _precisionSame;

/** One line per issue, at most three, with the field path inside the observation. */
export function describeEventIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `field "${i.path.join(".")}": ${i.message}` : i.message))
    .join("; ");
}
