/**
 * Pod versions → lifecycle events: first sight (spec summary), scheduling, readiness, phase, eviction,
 * delete requests (graceful, shortened, forced), container starts and exits, removal.
 */
import type { ExitKind, LifecycleEvent, PodPhase } from "../model/events";
import type { Pod } from "../k8s/objects";
import { capTime, parseTimestamp, rangeTime, secondTime, SECOND_MS, type TimeEstimate } from "../model/time";
import type { ContainerState, NormalizerContext, PodState } from "./state";
import { readinessGateEvents } from "./readiness-gates";
import { DEFAULT_GRACE_SECONDS, podIPs, summarizePodSpec } from "./spec-summary";

export function exitKindOf(exitCode: number, reason: string | undefined): ExitKind {
  if (reason === "OOMKilled") return "oom";
  if (reason === "ContainerStatusUnknown") return "status-unknown";
  if (exitCode === 0) return "completed";
  if (exitCode === 143) return "sigterm";
  if (exitCode === 137) return "sigkill";
  return "error";
}

const PHASES = new Set<string>(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);

function asPhase(value: string | null | undefined): PodPhase | undefined {
  return value && PHASES.has(value) ? (value as PodPhase) : undefined;
}

/** A node-clock whole-second stamp, or the receive time when the stamp is missing. */
function nodeStamp(value: string | null | undefined, fallback: TimeEstimate): TimeEstimate {
  const ms = parseTimestamp(value);
  return ms === undefined ? fallback : secondTime(ms, "node");
}

type EventBaseFields = Omit<LifecycleEvent & { type: "pod-removed" }, "type" | "via">;

/**
 * The fields every pod event starts with, in a fixed order (the stored payload is this object's JSON).
 * A plain function rather than spreads: this runs for every event of every pod version.
 */
function podEventBase(ctx: NormalizerContext, namespace: string, pod: string, podUid: string, id: string, t: TimeEstimate, source: string): EventBaseFields {
  const r = ctx.receivedAt;
  if (r.precision === "exact" && r.clock === "watcher") {
    return { id, cluster: ctx.state.cluster, namespace, pod, podUid, source, at: t.at, range: t.range, clock: t.clock, precision: t.precision, observedAt: r.at, seq: ctx.seq };
  }
  return { id, cluster: ctx.state.cluster, namespace, pod, podUid, source, at: t.at, range: t.range, clock: t.clock, precision: t.precision, seq: ctx.seq };
}

type OwnFields<E> = E extends LifecycleEvent ? Omit<E, keyof EventBaseFields> : never;

/**
 * An event: the base fields, then its own, in that key order (the order a spread would give) but
 * without copying the base object into a new one. Runs for every event the watcher stores.
 */
function withOwn(b: EventBaseFields, own: OwnFields<LifecycleEvent>): LifecycleEvent {
  return Object.assign(b, own) as LifecycleEvent;
}

/** Whose events these are: what `base` needs, so no closure is made per pod version. */
interface PodRef {
  readonly ctx: NormalizerContext;
  readonly namespace: string;
  readonly pod: string;
  readonly podUid: string;
}

function base(ref: PodRef, id: string, t: TimeEstimate, source = "pod"): EventBaseFields {
  return podEventBase(ref.ctx, ref.namespace, ref.pod, ref.podUid, id, t, source);
}

function isScheduled(c: { type: string; status: string }): boolean {
  return c.type === "PodScheduled" && c.status === "True";
}

/** A condition of a cloud LB readiness gate (its type has a domain: "target-health.…/…"). */
function hasGateCondition(conditions: readonly { type: string }[] | null | undefined): boolean {
  if (!conditions) return false;
  for (const c of conditions) if (c.type.includes("/")) return true;
  return false;
}

export function normalizePod(ctx: NormalizerContext, pod: Pod): LifecycleEvent[] {
  const { state, receivedAt } = ctx;
  const meta = pod.metadata;
  const namespace = meta.namespace ?? "default";
  const out: LifecycleEvent[] = [];
  const ref: PodRef = { ctx, namespace, pod: meta.name, podUid: meta.uid };

  let ps = state.pods.get(meta.uid);
  if (!ps) {
    ps = {
      uid: meta.uid,
      name: meta.name,
      namespace,
      specGraceSeconds: pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
      containers: new Map(),
      ips: [],
    };
    state.pods.set(meta.uid, ps);
  }

  // Spec summary: on first sight, and again when node or IPs become known (both arrive after creation).
  // Built only then: most updates are status changes and need none of it.
  const node = pod.spec?.nodeName ?? undefined;
  const sigKey = `pod:${meta.uid}`;
  const previousSig = state.signatures.get(sigKey);
  const ipsNow = pod.status?.podIP ?? "";
  const quickSig = `${node ?? ""}|${pod.status?.hostIP ?? ""}|${ipsNow}|${pod.status?.podIPs?.length ?? 0}`;
  if (previousSig === undefined || !previousSig.startsWith(quickSig)) {
    const ips = podIPs(pod);
    const signature = `${quickSig}|${ips.join(",")}`;
    if (previousSig !== signature) {
      state.signatures.set(sigKey, signature);
      const spec = summarizePodSpec(pod);
      const created = spec.createdAt !== undefined ? secondTime(spec.createdAt, "apiserver") : receivedAt;
      out.push(withOwn(base(ref, `pod-seen:${meta.uid}:${node ?? ""}|${pod.status?.hostIP ?? ""}|${ips.join(",")}`, previousSig === undefined ? created : receivedAt), { type: "pod-seen", spec }));
      ps.ips = ips;
    }
  }

  if (node && ps.node !== node) {
    ps.node = node;
    const cond = pod.status?.conditions?.find(isScheduled);
    const t = cond?.lastTransitionTime ? secondTime(parseTimestamp(cond.lastTransitionTime) ?? receivedAt.at, "apiserver") : receivedAt;
    out.push(withOwn(base(ref, `sched:${meta.uid}`, t), { type: "pod-scheduled", node }));
  }

  for (const cond of pod.status?.conditions ?? []) {
    if (cond.type === "Ready") {
      const ready = cond.status === "True";
      if (ps.ready !== ready) {
        ps.ready = ready;
        const t = nodeStamp(cond.lastTransitionTime, receivedAt);
        out.push(withOwn(base(ref, `ready:${meta.uid}:${ready}:${t.at}`, t), { type: "pod-ready-changed", ready }));
      }
    } else if (cond.type === "DisruptionTarget" && cond.status === "True" && ps.disruptionReason === undefined) {
      ps.disruptionReason = cond.reason ?? "DisruptionTarget";
      const ms = parseTimestamp(cond.lastTransitionTime);
      const t = ms === undefined ? receivedAt : secondTime(ms, "controller");
      out.push(withOwn(base(ref, `disrupt:${meta.uid}`, t), {
        type: "disruption-target",
        reason: ps.disruptionReason,
        ...(cond.message ? { message: cond.message } : {}),
      }));
    }
  }

  const phase = asPhase(pod.status?.phase);
  if (phase && ps.phase !== phase) {
    ps.phase = phase;
    out.push(withOwn(base(ref, `phase:${meta.uid}:${phase}`, receivedAt), { type: "pod-phase-changed", phase }));
  }

  const deletion = deletionEvents(ctx, pod, ps, ref);
  if (deletion.length) out.push(...deletion);
  containerEvents(ctx, pod, ps, ref, out);
  // Cloud LB readiness gates (AWS LBC, GKE NEG) are LB members seen through the pod.
  if ((ps.gates !== undefined && ps.gates.size > 0) || hasGateCondition(pod.status?.conditions)) {
    out.push(...readinessGateEvents(ctx, pod, ps, (id, t, source) => base(ref, id, t, source)));
  }

  if (ctx.watchType === "DELETED") {
    out.push(withOwn(base(ref, `removed:${meta.uid}`, receivedAt), { type: "pod-removed", via: "watch" }));
    state.pods.delete(meta.uid);
    state.signatures.delete(`pod:${meta.uid}`);
  }
  return out;
}

function deletionEvents(ctx: NormalizerContext, pod: Pod, ps: PodState, ref: PodRef): LifecycleEvent[] {
  const deadline = parseTimestamp(pod.metadata.deletionTimestamp);
  if (deadline === undefined) return [];
  const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
  const specGrace = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  ps.specGraceSeconds = specGrace;
  // deletionTimestamp = floor(request + grace): the request lies in [dT − g, dT − g + 1 s), and before we saw it.
  const requestAt = capReceived(secondTime(deadline - grace * SECOND_MS, "apiserver"), ctx.receivedAt);
  const prior = ps.deletion;
  if (prior) {
    // The kubelet's final delete (grace 0) moves dT back to ≈ the request: nothing new happened.
    if (grace === 0 || deadline === prior.deadline) return [];
    // A later, shorter delete: same request time, earlier deadline.
    ps.deletion = { requestAt: prior.requestAt, graceSeconds: grace, deadline };
    return [
      withOwn(base(ref, `delete:${pod.metadata.uid}:${grace}:${deadline}`, prior.requestAt), {
        type: "delete-requested",
        graceSeconds: grace,
        deadline,
        force: false,
        specGraceSeconds: specGrace,
      }),
    ];
  }
  ps.deletion = { requestAt, graceSeconds: grace, deadline };
  // Grace 0 on a scheduled pod whose containers have not all exited is a force delete: the object goes
  // at once, but the kubelet still gives the containers their spec grace ("ghost container").
  const statuses = pod.status?.containerStatuses ?? [];
  const allExited = statuses.length > 0 && statuses.every((s) => Boolean(s.state?.terminated));
  const terminal = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  const force = grace === 0 && Boolean(pod.spec?.nodeName) && !allExited && !terminal;
  return [
    withOwn(base(ref, `delete:${pod.metadata.uid}:${grace}:${deadline}`, requestAt), {
      type: "delete-requested",
      graceSeconds: grace,
      deadline,
      force,
      specGraceSeconds: specGrace,
    }),
  ];
}

function capReceived(t: TimeEstimate, receivedAt: TimeEstimate): TimeEstimate {
  // Only an exact receive time on a comparable clock may narrow the estimate.
  return receivedAt.precision === "exact" ? capTime(t, receivedAt.range[1]) : t;
}

function containerEvents(ctx: NormalizerContext, pod: Pod, ps: PodState, ref: PodRef, out: LifecycleEvent[]): void {
  const uid = pod.metadata.uid;
  for (const status of pod.status?.containerStatuses ?? []) {
    let cs: ContainerState | undefined = ps.containers.get(status.name);
    if (!cs) {
      cs = { restartCount: status.restartCount ?? 0, running: false };
      ps.containers.set(status.name, cs);
    }
    const restartCount = status.restartCount ?? 0;
    // A restart's exit shows up as lastState.terminated; report it before the new start.
    for (let k = 0; k < 2; k++) {
      const term = k === 0 ? status.lastState?.terminated : status.state?.terminated;
      if (!term) continue;
      const key = `${term.containerID ?? ""}|${term.finishedAt ?? ""}|${term.exitCode}`;
      if (cs.reportedExits?.has(key)) continue;
      (cs.reportedExits ??= new Set()).add(key);
      const finished = parseTimestamp(term.finishedAt);
      // ContainerStatusUnknown carries no times: the exit happened at some point before we saw it.
      const t =
        finished !== undefined
          ? secondTime(finished, "node")
          : rangeTime(ctx.receivedAt.range[0] - 0, ctx.receivedAt.range[1], ctx.receivedAt.clock, "inferred");
      const reason = term.reason ?? "";
      out.push(withOwn(base(ref, `exit:${uid}:${status.name}:${key}`, t), {
        type: "container-terminated",
        container: status.name,
        exitCode: term.exitCode,
        reason,
        exitKind: exitKindOf(term.exitCode, reason),
        restartCount: term === status.lastState?.terminated ? Math.max(0, restartCount - 1) : restartCount,
      }));
    }
    const running = status.state?.running;
    const startedAt = running?.startedAt ?? undefined;
    if (running && (!cs.running || cs.startedAt !== startedAt)) {
      const t = startedAt ? secondTime(parseTimestamp(startedAt) ?? ctx.receivedAt.at, "node") : ctx.receivedAt;
      out.push(withOwn(base(ref, `start:${uid}:${status.name}:${restartCount}:${startedAt ?? ""}`, t), {
        type: "container-started",
        container: status.name,
        restartCount,
      }));
    }
    cs.running = Boolean(running);
    cs.startedAt = startedAt;
    cs.restartCount = restartCount;
  }
}

