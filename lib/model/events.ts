/**
 * The lifecycle-event model (design §4). Everything Drainscope records is an append-only log of these
 * observations; timelines are computed from the log on read, so a better rule applies to history too.
 *
 * Ids are deterministic (derived from the object, its resourceVersion and the fact), so replaying a
 * recording or relisting after a reconnect produces the same ids and the store can drop duplicates.
 */
import type { Clock, DurationMs, EpochMs, Precision, TimeEstimate } from "./time";

export interface EventBase extends TimeEstimate {
  readonly id: string;
  readonly cluster: string;
  readonly namespace: string;
  /** Where the fact came from, e.g. "pod", "endpointslice", "event/Killing", "ingest", "envoy-admin". */
  readonly source: string;
  /** When the watcher received the underlying object, if known. */
  readonly observedAt?: EpochMs;
  /** Arrival order within one source stream; breaks ties between equal times. */
  readonly seq?: number;
}

export interface PodRef {
  readonly pod: string;
  readonly podUid: string;
}

export type PreStopKind = "none" | "sleep" | "exec" | "http";

export interface PreStopSummary {
  readonly kind: PreStopKind;
  /** For the `sleep` action and for exec commands that are exactly `sleep N`: N seconds. */
  readonly sleepSeconds?: number;
  /** True when the hook is `sleep N` and nothing else, so SIGTERM = Killing + min(N, grace) exactly. */
  readonly sleepOnly?: boolean;
  readonly command?: string;
}

export interface ContainerSummary {
  readonly name: string;
  readonly ports: readonly number[];
  readonly preStop: PreStopSummary;
  readonly readinessProbe: boolean;
  readonly livenessProbe: boolean;
  readonly startupProbe: boolean;
}

export interface OwnerSummary {
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
}

export interface PodSpecSummary {
  readonly owner?: OwnerSummary;
  readonly node?: string;
  readonly podIPs: readonly string[];
  /** The node's IP: LBs in front of `externalTrafficPolicy: Local` services name nodes, not pods. */
  readonly hostIP?: string;
  readonly terminationGracePeriodSeconds: number;
  readonly containers: readonly ContainerSummary[];
  readonly readinessGates: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: EpochMs;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

/** How a container's exit reads, from exit code and reason. */
export type ExitKind =
  | "completed" // exit 0
  | "sigterm" // 143: died of SIGTERM, no handler
  | "sigkill" // 137 with reason Error: SIGKILL (deadline or external)
  | "oom" // OOMKilled
  | "status-unknown" // ContainerStatusUnknown: the kubelet lost track; no times
  | "error"; // any other non-zero exit

/** `stop`: the container is being stopped for good (deletion, eviction, kubelet-initiated); the others restart it. */
export type KillingCause = "stop" | "probe-restart" | "other-restart";

export type LbMemberState = "active" | "draining" | "removed" | "unhealthy";

export type InPodSignal = "prestop-start" | "prestop-end" | "sigterm-received" | "shutdown-done";

export type PodSeen = EventBase & PodRef & { readonly type: "pod-seen"; readonly spec: PodSpecSummary };
export type PodScheduled = EventBase & PodRef & { readonly type: "pod-scheduled"; readonly node: string };
export type PodReadyChanged = EventBase & PodRef & { readonly type: "pod-ready-changed"; readonly ready: boolean };
export type PodPhaseChanged = EventBase & PodRef & { readonly type: "pod-phase-changed"; readonly phase: PodPhase };
export type DisruptionTarget = EventBase &
  PodRef & { readonly type: "disruption-target"; readonly reason: string; readonly message?: string };
export type DeleteRequested = EventBase &
  PodRef & {
    readonly type: "delete-requested";
    readonly graceSeconds: number;
    /** metadata.deletionTimestamp: the deadline by which the kubelet kills the containers. */
    readonly deadline: EpochMs;
    /** Grace 0 on a pod whose containers still ran: the object goes at once, the processes may not. */
    readonly force: boolean;
    /** The pod's spec grace, for ghost-container windows after a force delete. */
    readonly specGraceSeconds: number;
  };
export type ContainerKilling = EventBase &
  PodRef & {
    readonly type: "container-killing";
    readonly container: string;
    readonly cause: KillingCause;
    readonly message: string;
  };
export type PreStopFailed = EventBase &
  PodRef & { readonly type: "prestop-failed"; readonly container: string; readonly message: string };
export type ContainerStarted = EventBase &
  PodRef & { readonly type: "container-started"; readonly container: string; readonly restartCount: number };
export type ContainerTerminated = EventBase &
  PodRef & {
    readonly type: "container-terminated";
    readonly container: string;
    readonly exitCode: number;
    readonly reason: string;
    readonly exitKind: ExitKind;
    readonly restartCount: number;
  };
export type PodRemoved = EventBase &
  PodRef & { readonly type: "pod-removed"; readonly via: "watch" | "relist" | "recording-end" };
export type EndpointChanged = EventBase &
  PodRef & {
    readonly type: "endpoint-changed";
    readonly service: string;
    readonly slice: string;
    readonly addresses: readonly string[];
    readonly ready: boolean;
    readonly serving: boolean;
    readonly terminating: boolean;
  };
export type EndpointRemoved = EventBase &
  PodRef & {
    readonly type: "endpoint-removed";
    readonly service: string;
    readonly slice: string;
    readonly reason: "endpoint-gone" | "slice-deleted";
  };
export type LbMemberChanged = EventBase & {
  readonly type: "lb-member-changed";
  readonly lbSource: string;
  readonly lb: string;
  /** "ip:port" as the load balancer names it; matched to a pod by IP. */
  readonly member: string;
  readonly state: LbMemberState;
  readonly weight?: number;
  readonly connections?: number;
  readonly service?: string;
  readonly pod?: string;
  readonly podUid?: string;
};
export type InPodSignalEvent = EventBase & PodRef & { readonly type: "in-pod-signal"; readonly signal: InPodSignal };
export type WatcherGap = EventBase & {
  readonly type: "watcher-gap";
  readonly resource: string;
  readonly from: EpochMs;
  /** Undefined while the gap is still open. */
  readonly to?: EpochMs;
  readonly reason: string;
};
export type KubeEvent = EventBase & {
  readonly type: "k8s-event";
  readonly reason: string;
  readonly message: string;
  readonly eventType: string;
  readonly involvedKind: string;
  readonly involvedName: string;
  readonly involvedUid?: string;
  readonly count: number;
  readonly pod?: string;
  readonly podUid?: string;
};
export type ReplicaSetSeen = EventBase & {
  readonly type: "replicaset-seen";
  readonly name: string;
  readonly uid: string;
  readonly deployment?: string;
  readonly revision?: string;
  readonly replicas: number;
};
export type DeploymentSeen = EventBase & {
  readonly type: "deployment-seen";
  readonly name: string;
  readonly uid: string;
  readonly replicas: number;
  readonly strategy: string;
  readonly maxSurge?: string;
  readonly maxUnavailable?: string;
  readonly revision?: string;
};
export type ServiceSeen = EventBase & {
  readonly type: "service-seen";
  readonly name: string;
  readonly uid: string;
  readonly hasSelector: boolean;
  readonly serviceType: string;
  readonly externalTrafficPolicy?: string;
  readonly publishNotReadyAddresses: boolean;
  readonly deleted: boolean;
};

export type LifecycleEvent =
  | PodSeen
  | PodScheduled
  | PodReadyChanged
  | PodPhaseChanged
  | DisruptionTarget
  | DeleteRequested
  | ContainerKilling
  | PreStopFailed
  | ContainerStarted
  | ContainerTerminated
  | PodRemoved
  | EndpointChanged
  | EndpointRemoved
  | LbMemberChanged
  | InPodSignalEvent
  | WatcherGap
  | KubeEvent
  | ReplicaSetSeen
  | DeploymentSeen
  | ServiceSeen;

export type LifecycleEventType = LifecycleEvent["type"];

export type { Clock, DurationMs, EpochMs, Precision, TimeEstimate };

/** Events that are about one pod carry its uid. */
export function eventPodUid(e: LifecycleEvent): string | undefined {
  return "podUid" in e ? e.podUid : undefined;
}

/** Stable sort: by best-estimate time, then by id, so equal inputs give equal timelines. */
export function compareEvents(a: LifecycleEvent, b: LifecycleEvent): number {
  return a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function assertNever(x: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
