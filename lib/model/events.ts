/**
 * The lifecycle-event model (design §4). Everything Drainscope records is an append-only log of these
 * observations; timelines are computed from the log on read, so a better rule applies to history too.
 *
 * Ids are deterministic (derived from the object, its resourceVersion and the fact), so replaying a
 * recording or relisting after a reconnect produces the same ids and the store can drop duplicates.
 */
import type { z } from "zod";
import type * as S from "./events-schema";
import type { Clock, DurationMs, EpochMs, Precision, TimeEstimate } from "./time";

// Every type below is inferred from its zod schema in events-schema.ts (the one description of an
// observation); the field comments live there.
export type EventBase = z.infer<typeof S.EventBaseSchema>;
export type PodRef = z.infer<typeof S.PodRefSchema>;
export type PreStopKind = z.infer<typeof S.PreStopKindSchema>;
export type PreStopSummary = z.infer<typeof S.PreStopSummarySchema>;
export type ContainerSummary = z.infer<typeof S.ContainerSummarySchema>;
export type OwnerSummary = z.infer<typeof S.OwnerSummarySchema>;
export type PodSpecSummary = z.infer<typeof S.PodSpecSummarySchema>;
export type PodPhase = z.infer<typeof S.PodPhaseSchema>;
/** How a container's exit reads, from exit code and reason (see ExitKindSchema). */
export type ExitKind = z.infer<typeof S.ExitKindSchema>;
/** `stop`: the container is being stopped for good (deletion, eviction, kubelet-initiated); the others restart it. */
export type KillingCause = z.infer<typeof S.KillingCauseSchema>;
export type LbMemberState = z.infer<typeof S.LbMemberStateSchema>;
export type InPodSignal = z.infer<typeof S.InPodSignalSchema>;

export type PodSeen = z.infer<typeof S.PodSeenSchema>;
export type PodScheduled = z.infer<typeof S.PodScheduledSchema>;
export type PodReadyChanged = z.infer<typeof S.PodReadyChangedSchema>;
export type PodPhaseChanged = z.infer<typeof S.PodPhaseChangedSchema>;
export type DisruptionTarget = z.infer<typeof S.DisruptionTargetSchema>;
export type DeleteRequested = z.infer<typeof S.DeleteRequestedSchema>;
export type ContainerKilling = z.infer<typeof S.ContainerKillingSchema>;
export type PreStopFailed = z.infer<typeof S.PreStopFailedSchema>;
export type ContainerStarted = z.infer<typeof S.ContainerStartedSchema>;
export type ContainerTerminated = z.infer<typeof S.ContainerTerminatedSchema>;
export type PodRemoved = z.infer<typeof S.PodRemovedSchema>;
export type EndpointChanged = z.infer<typeof S.EndpointChangedSchema>;
export type EndpointRemoved = z.infer<typeof S.EndpointRemovedSchema>;
export type LbMemberChanged = z.infer<typeof S.LbMemberChangedSchema>;
export type InPodSignalEvent = z.infer<typeof S.InPodSignalEventSchema>;
export type WatcherGap = z.infer<typeof S.WatcherGapSchema>;
export type KubeEvent = z.infer<typeof S.KubeEventSchema>;
export type ReplicaSetSeen = z.infer<typeof S.ReplicaSetSeenSchema>;
export type DeploymentSeen = z.infer<typeof S.DeploymentSeenSchema>;
export type ServiceSeen = z.infer<typeof S.ServiceSeenSchema>;

export type LifecycleEvent = z.infer<typeof S.LifecycleEventSchema>;

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
