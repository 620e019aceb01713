/**
 * Checks a recording against what kubernetes-signals.md says a real cluster guarantees, so every
 * scenario's stream is known to look like one:
 *
 * - `deletionTimestamp − deletionGracePeriodSeconds` is the same on every update of a pod;
 * - a pod's DELETED comes right after a MODIFIED with deletionGracePeriodSeconds 0;
 * - exit codes follow the container's SIGTERM profile (0 / 143 / 137 at max(grace − preStop, 2) s);
 * - `Killing` comes before the exit it causes, and SIGKILL lands at the grace deadline;
 * - endpoint conditions only move forward: (T,T,F) → (F,T,T) → (F,F,T) → removed, with
 *   ready = serving ∧ ¬terminating and terminating only for pods that get deleted (streams of different
 *   kinds are not ordered relative to each other, so not "after the delete was seen");
 * - resourceVersions of one kind arrive in increasing order.
 *
 * Pure: takes the recorded lines, returns the violations.
 */
import { parseAppProfile, preStopDurationSeconds } from "../k8s/app-profile";
import type { CoreEvent, EndpointSlice, Pod } from "../k8s/types";
import type { RecordedLine } from "./recorder";

export interface Violation {
  readonly rule: string;
  readonly detail: string;
}

function isKind<T extends { kind: string }>(o: Record<string, unknown>, kind: T["kind"]): o is Record<string, unknown> & T {
  return o.kind === kind;
}

function seconds(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) / 1000 : NaN;
}

/** Exit code the profile predicts for a kill with `grace` seconds. */
export function expectedExit(pod: Pod, containerName: string, grace: number): { code: number; reason: string } {
  const profile = parseAppProfile(pod.metadata.annotations);
  const container = pod.spec.containers.find((c) => c.name === containerName);
  const preStop = Math.min(preStopDurationSeconds(container?.lifecycle?.preStop, profile), grace);
  const window = Math.max(grace - Math.floor(preStop), 2);
  const b = profile.onSigterm;
  switch (b.kind) {
    case "die":
      return { code: 143, reason: "Error" };
    case "ignore":
      return { code: 137, reason: "Error" };
    case "drain":
    case "fail-readiness":
      return b.seconds < window ? { code: 0, reason: "Completed" } : { code: 137, reason: "Error" };
  }
}

type EpState = "ready" | "unready" | "terminating-serving" | "terminating-notserving" | "removed";

/** Endpoint states in the only order they may follow one another (ready ↔ unready flips are free). */
const RANK: Record<EpState, number> = { ready: 1, unready: 1, "terminating-serving": 2, "terminating-notserving": 3, removed: 4 };

interface Indexed<T> {
  readonly index: number;
  readonly type: string;
  readonly value: T;
}

export function checkInvariants(lines: readonly RecordedLine[]): Violation[] {
  const out: Violation[] = [];
  const fail = (rule: string, detail: string): void => void out.push({ rule, detail });
  const pods = new Map<string, Indexed<Pod>[]>();
  const killings = new Map<string, Indexed<CoreEvent>[]>();
  const lastRv = new Map<string, number>();
  const slices = new Map<string, EndpointSlice>();
  const epState = new Map<string, EpState>();
  const deleting = new Set<string>();
  for (const line of lines) {
    const o = line.object;
    if (isKind<Pod>(o, "Pod") && o.metadata.deletionTimestamp) deleting.add(o.metadata.uid);
  }

  for (const [index, line] of lines.entries()) {
    const o = line.object;
    const kind = String(o.kind);
    const meta = o.metadata;
    const rv = typeof meta === "object" && meta !== null && "resourceVersion" in meta ? Number(meta.resourceVersion) : NaN;
    if (kind !== "LoadBalancerMember" && Number.isFinite(rv)) {
      if (rv <= (lastRv.get(kind) ?? 0)) fail("rv-order", `${kind} rv ${rv} after ${lastRv.get(kind)}`);
      lastRv.set(kind, rv);
    }
    if (isKind<Pod>(o, "Pod")) {
      const list = pods.get(o.metadata.uid) ?? [];
      list.push({ index, type: line.type, value: o });
      pods.set(o.metadata.uid, list);
    } else if (isKind<CoreEvent>(o, "Event") && o.reason === "Killing") {
      const list = killings.get(o.involvedObject.uid) ?? [];
      list.push({ index, type: line.type, value: o });
      killings.set(o.involvedObject.uid, list);
      if (!/^spec\.containers\{[^}]+\}$/.test(o.involvedObject.fieldPath ?? "")) fail("killing-fieldpath", `${o.metadata.name}: ${o.involvedObject.fieldPath}`);
    } else if (isKind<EndpointSlice>(o, "EndpointSlice")) {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const before = slices.get(key);
      if (line.type === "DELETED") slices.delete(key);
      else slices.set(key, o);
      const uids = new Set([...(before?.endpoints ?? []), ...(o.endpoints ?? [])].map((e) => e.targetRef.uid));
      for (const uid of uids) {
        let state: EpState | undefined;
        for (const sl of slices.values()) {
          const ep = sl.endpoints?.find((e) => e.targetRef.uid === uid);
          if (!ep) continue;
          const c = ep.conditions;
          if (c.ready && (c.terminating || !c.serving)) fail("endpoint-conditions", `${ep.targetRef.name}: ready with serving=${c.serving} terminating=${c.terminating}`);
          if (c.terminating && !deleting.has(uid)) fail("endpoint-terminating", `${ep.targetRef.name} terminating but its pod was never deleted`);
          state = c.terminating ? (c.serving ? "terminating-serving" : "terminating-notserving") : c.ready ? "ready" : "unready";
        }
        const prev = epState.get(uid);
        const next: EpState | undefined = state ?? (prev === undefined ? undefined : "removed");
        if (next === undefined || next === prev) continue;
        if (prev !== undefined && RANK[next] < RANK[prev]) fail("endpoint-order", `pod ${uid}: ${prev} → ${next}`);
        epState.set(uid, next);
      }
    }
  }

  for (const [uid, seq] of pods) checkPod(uid, seq, killings.get(uid) ?? [], fail);
  return out;
}

function checkPod(uid: string, seq: readonly Indexed<Pod>[], killing: readonly Indexed<CoreEvent>[], fail: (rule: string, detail: string) => void): void {
  const name = seq[0]?.value.metadata.name ?? uid;
  let request: number | undefined;
  for (const { value: pod } of seq) {
    const m = pod.metadata;
    if (!m.deletionTimestamp) continue;
    const r = seconds(m.deletionTimestamp) - (m.deletionGracePeriodSeconds ?? 0);
    if (request === undefined) request = r;
    else if (r !== request) fail("deletion-request-constant", `${name}: dT − grace moved from ${request} to ${r}`);
  }
  const deletedAt = seq.findIndex((e) => e.type === "DELETED");
  if (deletedAt >= 0) {
    const before = seq[deletedAt - 1];
    if (!before || before.type !== "MODIFIED" || before.value.metadata.deletionGracePeriodSeconds !== 0) {
      fail("final-delete", `${name}: DELETED not preceded by a MODIFIED with deletionGracePeriodSeconds 0`);
    }
  }
  const seenExit = new Set<string>();
  for (const { index, value: pod } of seq) {
    for (const cs of pod.status.containerStatuses ?? []) {
      for (const t of [cs.state.terminated, cs.lastState.terminated]) {
        if (!t || seenExit.has(t.containerID)) continue;
        seenExit.add(t.containerID);
        const want = expectedExit(pod, cs.name, pod.spec.terminationGracePeriodSeconds);
        if (t.exitCode !== want.code || t.reason !== want.reason) fail("exit-code", `${name}/${cs.name}: exit ${t.exitCode} ${t.reason}, profile says ${want.code} ${want.reason}`);
        const before = killing.filter((k) => k.index < index && k.value.involvedObject.fieldPath === `spec.containers{${cs.name}}` && seconds(k.value.firstTimestamp) <= seconds(t.finishedAt));
        const latest = before[before.length - 1]?.value;
        if (!latest) {
          fail("killing-before-exit", `${name}/${cs.name}: exit at ${t.finishedAt} with no Killing event observed before it`);
          continue;
        }
        if (t.exitCode === 137) {
          const grace = pod.spec.terminationGracePeriodSeconds;
          const elapsed = seconds(t.finishedAt) - seconds(latest.firstTimestamp);
          if (elapsed < grace - 1 || elapsed > grace + 3) fail("sigkill-deadline", `${name}/${cs.name}: SIGKILL ${elapsed} s after Killing, grace ${grace} s`);
        }
      }
    }
  }
}
