/**
 * The normalizer's working memory: the compact per-object state needed to turn the next version of
 * an object into lifecycle events (what changed since the last one). Whole objects are never kept.
 * The state is owned by one normalizer (one cluster's stream) and mutated in place for speed.
 */
import type { LbMemberState } from "../model/events";
import type { EpochMs, TimeEstimate } from "../model/time";

export interface ContainerState {
  restartCount: number;
  running: boolean;
  startedAt?: string;
  /**
   * Keys of terminations already reported (containerID/finishedAt), so repeats emit nothing. Made at the
   * first exit: most containers never exit while watched, and an empty Set costs about 150 bytes.
   */
  reportedExits?: Set<string>;
}

export interface PodState {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  node?: string;
  ready?: boolean;
  phase?: string;
  disruptionReason?: string;
  specGraceSeconds: number;
  deletion?: { readonly requestAt: TimeEstimate; readonly graceSeconds: number; readonly deadline: EpochMs };
  readonly containers: Map<string, ContainerState>;
  /**
   * Readiness-gate condition type → the LB member state it last read as (readiness-gates.ts). Made at the
   * first gate: most pods have none, and an empty Map costs about 150 bytes (1.5 MB per 10,000 pods).
   */
  gates?: Map<string, LbMemberState>;
  ips: readonly string[];
}

export interface EndpointState {
  readonly pod: string;
  readonly podUid: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly addresses: readonly string[];
}

export interface SliceState {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  service: string;
  endpoints: Map<string, EndpointState>;
}

export interface NormalizerState {
  readonly cluster: string;
  readonly pods: Map<string, PodState>;
  readonly slices: Map<string, SliceState>;
  /** Kubernetes Event uid → the occurrence count last reported. */
  readonly kubeEvents: Map<string, number>;
  /** Signature of the last reported version of workload objects and LB members, by key. */
  readonly signatures: Map<string, string>;
}

export function createNormalizerState(cluster: string): NormalizerState {
  return { cluster, pods: new Map(), slices: new Map(), kubeEvents: new Map(), signatures: new Map() };
}

/** One decoded watch notification, with the time we (or the recording) received it. */
export interface NormalizerContext {
  readonly state: NormalizerState;
  readonly watchType: "ADDED" | "MODIFIED" | "DELETED";
  readonly receivedAt: TimeEstimate;
  readonly seq: number;
}
