/**
 * Build lifecycle-event sequences by hand for rule and seed tests: one builder per cluster, one
 * chainable handle per pod. Times are seconds from t0 (fractions allowed); precision follows the
 * real source (node/apiserver stamps are whole seconds, slice and LB changes are watcher times).
 */
import type { RiskWindow } from "../engine/types";
import type { LifecycleEvent, PodSpecSummary, PreStopSummary } from "../model/events";
import { exactTime, rangeTime, secondTime, SECOND_MS, type TimeEstimate } from "../model/time";

export const T0 = Date.UTC(2026, 10, 22, 5, 0, 0);

export const at = (seconds: number): number => T0 + Math.round(seconds * SECOND_MS);

const stamp = (seconds: number): TimeEstimate => secondTime(T0 + Math.floor(seconds) * SECOND_MS, "node");
const watcher = (seconds: number): TimeEstimate => exactTime(at(seconds), "watcher");

export interface PodOptions {
  readonly namespace?: string;
  readonly grace?: number;
  readonly preStop?: PreStopSummary;
  readonly ip?: string;
  readonly workload?: string;
  readonly replicaSet?: string;
  readonly readinessProbe?: boolean;
  readonly createdAt?: number;
  readonly node?: string;
}

type Draft = LifecycleEvent extends infer E ? (E extends LifecycleEvent ? Omit<E, "seq" | "cluster"> : never) : never;

export class EventLog {
  readonly events: LifecycleEvent[] = [];
  private seq = 0;
  constructor(readonly cluster = "test") {}

  push(e: Draft): void {
    this.events.push({ ...e, cluster: this.cluster, seq: this.seq++ });
  }

  pod(name: string, opts: PodOptions = {}): PodBuilder {
    return new PodBuilder(this, name, opts);
  }

  service(name: string, opts: { namespace?: string; hasSelector?: boolean; externalTrafficPolicy?: string } = {}): this {
    this.push({
      id: `svc:${name}`, namespace: opts.namespace ?? "default", source: "service", ...watcher(-100), type: "service-seen",
      name, uid: `svc-${name}`, hasSelector: opts.hasSelector ?? true, serviceType: "ClusterIP",
      ...(opts.externalTrafficPolicy ? { externalTrafficPolicy: opts.externalTrafficPolicy } : {}), publishNotReadyAddresses: false, deleted: false,
    });
    return this;
  }

  deployment(name: string, replicas: number, namespace = "default"): this {
    this.push({ id: `deploy:${name}`, namespace, source: "deployment", ...watcher(-100), type: "deployment-seen", name, uid: `d-${name}`, replicas, strategy: "RollingUpdate" });
    return this;
  }

  lb(member: string, state: "active" | "draining" | "removed" | "unhealthy", seconds: number, opts: { lb?: string; source?: string; connections?: number; weight?: number; service?: string; namespace?: string } = {}): this {
    this.push({
      id: `lb:${opts.source ?? "envoy-admin"}:${opts.lb ?? "gateway"}:${member}:${seconds}:${state}`,
      namespace: opts.namespace ?? "default", source: opts.source ?? "envoy-admin", ...watcher(seconds), type: "lb-member-changed",
      lbSource: opts.source ?? "envoy-admin", lb: opts.lb ?? "gateway", member, state,
      ...(opts.weight !== undefined ? { weight: opts.weight } : {}),
      ...(opts.connections !== undefined ? { connections: opts.connections } : {}),
      ...(opts.service ? { service: opts.service } : {}),
    });
    return this;
  }

  gap(fromSeconds: number, toSeconds: number | undefined, resource = "pods"): this {
    this.push({
      id: `gap:${resource}:${fromSeconds}`, namespace: "", source: "watcher", ...watcher(fromSeconds), type: "watcher-gap", resource,
      from: at(fromSeconds), ...(toSeconds !== undefined ? { to: at(toSeconds) } : {}), reason: "connection reset",
    });
    return this;
  }
}

export class PodBuilder {
  readonly uid: string;
  readonly namespace: string;
  private readonly container = "app";
  private restarts = 0;

  constructor(private readonly log: EventLog, readonly name: string, private readonly opts: PodOptions) {
    this.uid = `uid-${name}`;
    this.namespace = opts.namespace ?? "default";
    const rs = opts.replicaSet ?? `${opts.workload ?? "web"}-abc123`;
    const spec: PodSpecSummary = {
      owner: { kind: "ReplicaSet", name: rs },
      ...(opts.node ? { node: opts.node } : { node: "node-1" }),
      podIPs: [opts.ip ?? `10.0.0.${(name.length * 7) % 250}`],
      terminationGracePeriodSeconds: opts.grace ?? 30,
      containers: [{ name: this.container, ports: [8080], preStop: opts.preStop ?? { kind: "none" }, readinessProbe: opts.readinessProbe ?? true, livenessProbe: true, startupProbe: false }],
      readinessGates: [],
      labels: { "pod-template-hash": rs.split("-").at(-1) ?? "abc123" },
      createdAt: at(opts.createdAt ?? 0),
    };
    this.emit("pod-seen", secondTime(at(opts.createdAt ?? 0), "apiserver"), { spec });
  }

  private emit(type: LifecycleEvent["type"], t: TimeEstimate, fields: Record<string, unknown>, idSuffix = ""): this {
    this.log.push({
      id: `${type}:${this.uid}:${t.at}${idSuffix}`, namespace: this.namespace, pod: this.name, podUid: this.uid, source: "test", ...t, type, ...fields,
    } as Draft);
    return this;
  }

  ready(seconds: number, ready = true): this {
    return this.emit("pod-ready-changed", stamp(seconds), { ready });
  }

  /** A graceful delete requested at `seconds` (stamped to the second, like dT − grace). */
  delete(seconds: number, grace = this.opts.grace ?? 30): this {
    return this.emit("delete-requested", secondTime(T0 + Math.floor(seconds) * SECOND_MS, "apiserver"), {
      graceSeconds: grace, deadline: T0 + (Math.floor(seconds) + grace) * SECOND_MS, force: false, specGraceSeconds: this.opts.grace ?? 30,
    });
  }

  forceDelete(seconds: number): this {
    return this.emit("delete-requested", secondTime(T0 + Math.floor(seconds) * SECOND_MS, "apiserver"), {
      graceSeconds: 0, deadline: T0 + Math.floor(seconds) * SECOND_MS, force: true, specGraceSeconds: this.opts.grace ?? 30,
    });
  }

  evicted(seconds: number): this {
    return this.emit("disruption-target", secondTime(at(Math.floor(seconds)), "controller"), { reason: "EvictionByEvictionAPI" });
  }

  killing(seconds: number, cause: "stop" | "probe-restart" = "stop"): this {
    return this.emit("container-killing", stamp(seconds), {
      container: this.container, cause, message: cause === "stop" ? `Stopping container ${this.container}` : `Container ${this.container} failed liveness probe, will be restarted`,
    });
  }

  prestopFailed(seconds: number): this {
    return this.emit("prestop-failed", stamp(seconds), { container: this.container, message: "PreStopHook failed" });
  }

  signal(signal: "prestop-start" | "prestop-end" | "sigterm-received" | "shutdown-done", seconds: number): this {
    return this.emit("in-pod-signal", exactTime(at(seconds), "node"), { signal });
  }

  exit(seconds: number, exitCode = 0, reason = exitCode === 0 ? "Completed" : exitCode === 137 ? "Error" : "Error"): this {
    const exitKind = reason === "OOMKilled" ? "oom" : exitCode === 0 ? "completed" : exitCode === 143 ? "sigterm" : exitCode === 137 ? "sigkill" : "error";
    return this.emit("container-terminated", stamp(seconds), { container: this.container, exitCode, reason, exitKind, restartCount: this.restarts });
  }

  started(seconds: number): this {
    this.restarts++;
    return this.emit("container-started", stamp(seconds), { container: this.container, restartCount: this.restarts });
  }

  /** EndpointSlice condition change seen by the watcher at `seconds` (ms precision). */
  endpoint(seconds: number, ready: boolean, serving = ready, terminating = false, service = "web", slice = `${service}-abcde`): this {
    return this.emit("endpoint-changed", watcher(seconds), { service, slice, addresses: ["10.0.0.1"], ready, serving, terminating }, `:${service}:${slice}`);
  }

  endpointRemoved(seconds: number, service = "web", slice = `${service}-abcde`): this {
    return this.emit("endpoint-removed", watcher(seconds), { service, slice, reason: "endpoint-gone" }, `:${service}:${slice}`);
  }

  /** An endpoint change known only by its place in the write order. */
  endpointInferred(fromSeconds: number, toSeconds: number, ready: boolean, serving = ready, terminating = false, service = "web"): this {
    return this.emit("endpoint-changed", rangeTime(at(fromSeconds), at(toSeconds), "apiserver", "inferred"), { service, slice: `${service}-abcde`, addresses: ["10.0.0.1"], ready, serving, terminating });
  }

  removed(seconds: number): this {
    return this.emit("pod-removed", watcher(seconds), { via: "watch" });
  }

  /** Removal seen only as absence after a relist: somewhere in [from, to], best estimate `from`. */
  removedByRelist(fromSeconds: number, toSeconds: number): this {
    return this.emit("pod-removed", rangeTime(at(fromSeconds), at(toSeconds), "watcher", "inferred"), { via: "relist" });
  }

  /** The usual start: seen at 0, endpoint not ready, then ready at `readyAt`. `listedAt`: when the slice first lists it. */
  serving(readyAt = 1, service = "web", listedAt = 0.1): this {
    return this.endpoint(listedAt, false, false, false, service).ready(readyAt).endpoint(readyAt + 0.05, true, true, false, service);
  }
}

/** A risk window reduced to what rule tests assert (times stay epoch ms: compare with `at(s)`). */
export interface WindowRow {
  readonly rule: RiskWindow["rule"];
  readonly start: number;
  readonly end: number | undefined;
  readonly durationMs: number | undefined;
  readonly severity: RiskWindow["severity"];
  readonly confidence: RiskWindow["confidence"];
  readonly pods: readonly string[];
}

/** The windows of one rule (or all), as rows in start order. */
export function windowRows(windows: readonly RiskWindow[], rule?: RiskWindow["rule"]): WindowRow[] {
  return windows
    .filter((w) => rule === undefined || w.rule === rule)
    .map((w) => ({ rule: w.rule, start: w.start, end: w.end, durationMs: w.durationMs, severity: w.severity, confidence: w.confidence, pods: w.pods.map((p) => p.name) }));
}

/**
 * The row a test expects, times in seconds from T0 (`endSeconds` undefined = still open). The duration
 * is written out by the test rather than derived, so a wrong interval arithmetic cannot hide.
 */
export function row(
  rule: RiskWindow["rule"],
  startSeconds: number,
  endSeconds: number | undefined,
  durationMs: number | undefined,
  severity: RiskWindow["severity"],
  confidence: RiskWindow["confidence"],
  pods: readonly string[],
): WindowRow {
  return { rule, start: at(startSeconds), end: endSeconds === undefined ? undefined : at(endSeconds), durationMs, severity, confidence, pods };
}
