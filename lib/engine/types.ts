/** What the engine computes from the event log: the shapes every view, API and export shares. */
import type { ExitKind, LbMemberState, PodSpecSummary } from "../model/events";
import type { DurationMs, EpochMs, TimeEstimate } from "../model/time";
import type { RiskRuleId, Severity } from "../rules/ids";

/** A span of time; `end` undefined means still open ("until now"). Engines never invent an end. */
export interface Interval {
  readonly start: EpochMs;
  readonly end?: EpochMs;
}

export type LifecyclePhaseKind = "pending" | "serving" | "unready" | "terminating" | "prestop" | "draining" | "exited";

export interface LifecyclePhase extends Interval {
  readonly kind: LifecyclePhaseKind;
}

export type SigtermBasis = "in-pod-report" | "no-prestop" | "prestop-skipped" | "prestop-sleep" | "prestop-failed" | "prestop-end" | "interval";

export interface SigtermEstimate extends TimeEstimate {
  /** True when the time follows from an observed time by a known rule (±1 s stamps aside). */
  readonly exact: boolean;
  readonly basis: SigtermBasis;
}

export interface ExitInfo extends TimeEstimate {
  readonly container: string;
  readonly exitCode: number;
  readonly reason: string;
  readonly exitKind: ExitKind;
  readonly eventId: string;
}

export interface PodKeyTimes {
  readonly created?: TimeEstimate;
  readonly firstReady?: TimeEstimate;
  readonly deleteRequested?: TimeEstimate & { readonly graceSeconds: number; readonly force: boolean; readonly eventId: string };
  readonly disruption?: TimeEstimate & { readonly reason: string };
  readonly killing?: TimeEstimate & { readonly container: string; readonly inferred: boolean; readonly eventId?: string };
  readonly sigterm?: SigtermEstimate;
  readonly exited?: ExitInfo;
  readonly killedBySigkill: boolean;
  /** SIGKILL at the grace deadline (137, not OOM, at Killing + grace − 1 s or later). */
  readonly killedAtDeadline: boolean;
  readonly removed?: TimeEstimate & { readonly via: string };
  /** Seconds of grace in force for this termination. */
  readonly graceSeconds?: number;
}

export type EndpointLaneState = "ready" | "serving-terminating" | "not-serving";

export interface MembershipInterval<S extends string> extends Interval {
  readonly state: S;
  readonly eventId: string;
  readonly weight?: number;
  readonly connections?: number;
}

export interface EndpointLane {
  readonly kind: "endpoint";
  readonly key: string;
  readonly service: string;
  readonly slice: string;
  readonly intervals: readonly MembershipInterval<EndpointLaneState>[];
}

export interface LbLane {
  readonly kind: "lb";
  readonly key: string;
  readonly lbSource: string;
  readonly lb: string;
  readonly member: string;
  readonly service?: string;
  readonly intervals: readonly MembershipInterval<Exclude<LbMemberState, "removed">>[];
}

export interface RestartInfo {
  readonly killing: TimeEstimate & { readonly eventId: string; readonly cause: string };
  readonly restartedAt?: EpochMs;
}

export interface PodLane {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly node?: string;
  readonly workload: string;
  readonly workloadKind: string;
  readonly replicaSet?: string;
  readonly revision?: string;
  readonly spec?: PodSpecSummary;
  readonly phases: readonly LifecyclePhase[];
  readonly keyTimes: PodKeyTimes;
  readonly endpoints: readonly EndpointLane[];
  readonly lbMembers: readonly LbLane[];
  readonly restarts: readonly RestartInfo[];
  readonly services: readonly string[];
}

export interface ServiceCountPoint {
  readonly t: EpochMs;
  readonly ready: number;
  readonly servingTerminating: number;
  readonly notServing: number;
}

export interface ServiceSeries {
  readonly namespace: string;
  readonly service: string;
  readonly hasSelector: boolean;
  readonly externalTrafficPolicy?: string;
  readonly points: readonly ServiceCountPoint[];
  /** When the Service object did not exist (deleted, until re-created): no traffic, so no outage. */
  readonly deletions?: readonly Interval[];
}

export type Confidence = "certain" | "possible";

export interface RiskWindow extends Interval {
  readonly id: string;
  readonly rule: RiskRuleId;
  readonly severity: Severity;
  readonly durationMs?: DurationMs;
  readonly namespace: string;
  readonly service?: string;
  readonly lb?: string;
  readonly pods: readonly { readonly uid: string; readonly name: string }[];
  readonly confidence: Confidence;
  readonly explanation: string;
  readonly fix?: string;
  readonly evidence: readonly string[];
}

export type EpisodeKind = "rollout" | "drain" | "batch-delete" | "delete" | "force-delete" | "restart";
/**
 * What is known about an episode. A risk window decides it (warning, risky, critical); without one it is
 * `clean` only when every termination finished and its routing track (EndpointSlices, plus LB members
 * where the service has them) was observed; `in-progress` while a watched episode has not finished;
 * `incomplete` when the data cannot tell (the episode's `verdictReason` says why).
 */
export type Verdict = "clean" | "warning" | "risky" | "critical" | "in-progress" | "incomplete";

export interface Episode extends Interval {
  readonly id: string;
  readonly kind: EpisodeKind;
  readonly namespace: string;
  readonly workload: string;
  readonly node?: string;
  readonly services: readonly string[];
  readonly podUids: readonly string[];
  /**
   * Pods created to replace the terminated ones (the new revision, the surge): see replacements.ts. The
   * engine always sets it (empty for restarts); optional for documents written before it existed.
   */
  readonly replacementUids?: readonly string[];
  readonly verdict: Verdict;
  /** Why the verdict is `in-progress` or `incomplete` (e.g. "no EndpointSlice data for these pods"). */
  readonly verdictReason?: string;
  readonly summary: string;
  readonly counts: Readonly<Record<Severity, number>>;
}

export interface LintFinding {
  readonly id: string;
  readonly namespace: string;
  readonly workload: string;
  readonly check: string;
  readonly severity: "warning" | "info";
  readonly message: string;
  readonly fix?: string;
}

export interface Suggestion {
  readonly namespace: string;
  readonly workload: string;
  readonly measuredPropagationMs: DurationMs;
  readonly measuredDrainMs?: DurationMs;
  readonly currentPreStopSleepSeconds?: number;
  readonly suggestedPreStopSleepSeconds: number;
  readonly currentGraceSeconds: number;
  readonly suggestedGraceSeconds: number;
  readonly needsChange: boolean;
  readonly message: string;
}

export interface GapInterval extends Interval {
  readonly resource: string;
  readonly reason: string;
  readonly eventId: string;
}

export interface Timeline {
  readonly now: EpochMs;
  readonly pods: readonly PodLane[];
  readonly services: readonly ServiceSeries[];
  readonly riskWindows: readonly RiskWindow[];
  readonly episodes: readonly Episode[];
  readonly lint: readonly LintFinding[];
  readonly suggestions: readonly Suggestion[];
  readonly gaps: readonly GapInterval[];
}

export interface EngineOptions {
  /** The engine never reads the clock: open intervals are open "as of" this time. */
  readonly now: EpochMs;
  /** Time consumers get to stop routing to a deregistered pod before SIGTERM is safe. Default 2 s. */
  readonly propagationBudgetMs?: DurationMs;
  /** Per-service overrides, keyed "namespace/service". */
  readonly serviceBudgetsMs?: Readonly<Record<string, DurationMs>>;
  /** Delete request → endpoint not ready longer than this is slow. Default 1 s. */
  readonly slowEndpointRemovalMs?: DurationMs;
  /**
   * True while a watcher is still recording this data: an unfinished episode is then `in-progress`.
   * Otherwise (a recording, stored or imported history) the data ends at `now` and it is `incomplete`.
   */
  readonly live?: boolean;
  /** Terminations further apart than this start a new episode. Default 120 s. */
  readonly episodeGapMs?: DurationMs;
}

export const DEFAULT_PROPAGATION_BUDGET_MS = 2000;
export const DEFAULT_SLOW_ENDPOINT_REMOVAL_MS = 1000;
export const DEFAULT_EPISODE_GAP_MS = 120_000;
