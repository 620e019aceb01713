// Normalizer tests on real v1.24 objects (from ../shared/fixtures) and variants of them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../k8s/objects";
import { parseKubeObject } from "../k8s/parse";
import type { LifecycleEvent } from "../model/events";
import { exactTime, type TimeEstimate } from "../model/time";
import { createNormalizerState, inferRemovalsAfterRelist, normalize, type NormalizerState } from "./index";

const FIXTURES = join(__dirname, "../../../shared/fixtures");
type Json = Record<string, unknown>;

const recording = readFileSync(join(FIXTURES, "real-v1.24-clean-rollout/recording.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { type: string; object: Json; observedAt: string });

/** A deep copy of the first recorded object matching the predicate. */
function real(kind: string, pred: (o: Json) => boolean = () => true): Json {
  const hit = recording.find((r) => r.object.kind === kind && pred(r.object));
  if (!hit) throw new Error(`no ${kind} in fixture`);
  return structuredClone(hit.object);
}

function obj(raw: unknown): KubeObject {
  const r = parseKubeObject(raw);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const T = (iso: string): TimeEstimate => exactTime(Date.parse(iso), "watcher");

function feed(state: NormalizerState, type: "ADDED" | "MODIFIED" | "DELETED", raw: unknown, receivedIso: string, seq = 0): LifecycleEvent[] {
  return normalize(state, { watchType: type, object: obj(raw), receivedAt: T(receivedIso), seq });
}

function ofType<K extends LifecycleEvent["type"]>(events: readonly LifecycleEvent[], type: K) {
  return events.filter((e): e is Extract<LifecycleEvent, { type: K }> => e.type === type);
}

const meta = (o: Json) => o.metadata as Json;
const status = (o: Json) => o.status as Json;

describe("pods", () => {
  const runningPod = () => {
    const p = real("Pod", (o) => status(o).phase === "Running" && JSON.stringify(o).includes('"Ready","status":"True"') && !meta(o).deletionTimestamp);
    return p;
  };

  it("emits pod-seen with the spec summary once, and the exec `sleep 5` preStop as sleep-only", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    const first = feed(s, "ADDED", p, "2026-11-22T05:57:24.2Z");
    const again = feed(s, "MODIFIED", p, "2026-11-22T05:57:24.3Z");
    const seen = ofType(first, "pod-seen");
    expect(seen).toHaveLength(1);
    expect(ofType(again, "pod-seen")).toHaveLength(0);
    const spec = seen[0]?.spec;
    expect(spec?.owner).toMatchObject({ kind: "ReplicaSet", name: "web-76fd686489" });
    expect(spec?.terminationGracePeriodSeconds).toBe(30);
    expect(spec?.containers[0]?.preStop).toEqual({ kind: "exec", sleepSeconds: 5, sleepOnly: true, command: "sh -c sleep 5" });
    expect(ofType(first, "pod-ready-changed").map((e) => e.ready)).toEqual([true]);
  });

  it("takes the delete request as deletionTimestamp − grace, capped by the receive time, and ignores the kubelet's final grace-0 update", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    feed(s, "ADDED", p, "2026-11-22T05:57:25Z");
    meta(p).deletionTimestamp = "2026-11-22T05:57:58Z";
    meta(p).deletionGracePeriodSeconds = 30;
    const del = ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:28.476Z"), "delete-requested");
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({ at: Date.parse("2026-11-22T05:57:28Z"), graceSeconds: 30, force: false, deadline: Date.parse("2026-11-22T05:57:58Z") });
    expect(del[0]?.range).toEqual([Date.parse("2026-11-22T05:57:28Z"), Date.parse("2026-11-22T05:57:28.476Z")]);
    // The final delete moves dT back to ≈ the request with grace 0: not a new request, not a force delete.
    meta(p).deletionTimestamp = "2026-11-22T05:57:28Z";
    meta(p).deletionGracePeriodSeconds = 0;
    expect(ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:35.5Z"), "delete-requested")).toHaveLength(0);
    const gone = ofType(feed(s, "DELETED", p, "2026-11-22T05:57:35.501Z"), "pod-removed");
    expect(gone).toMatchObject([{ via: "watch", at: Date.parse("2026-11-22T05:57:35.501Z") }]);
    expect(s.pods.size).toBe(0); // nothing kept for a removed pod
  });

  it("reports a later, shorter delete with the same request time and the new deadline", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    meta(p).deletionTimestamp = "2026-11-22T05:58:00Z";
    meta(p).deletionGracePeriodSeconds = 30;
    feed(s, "MODIFIED", p, "2026-11-22T05:57:30.1Z");
    meta(p).deletionTimestamp = "2026-11-22T05:57:40Z";
    meta(p).deletionGracePeriodSeconds = 10;
    const del = ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:31Z"), "delete-requested");
    expect(del).toMatchObject([{ at: Date.parse("2026-11-22T05:57:30Z"), graceSeconds: 10, deadline: Date.parse("2026-11-22T05:57:40Z") }]);
  });

  it("recognises a force delete: grace 0 on a running pod not seen terminating before", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    feed(s, "ADDED", p, "2026-11-22T05:57:25Z");
    meta(p).deletionTimestamp = "2026-11-22T05:57:30Z";
    meta(p).deletionGracePeriodSeconds = 0;
    const del = ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:30.2Z"), "delete-requested");
    expect(del).toMatchObject([{ force: true, graceSeconds: 0, specGraceSeconds: 30, at: Date.parse("2026-11-22T05:57:30Z") }]);
  });

  it("does not call grace 0 on an unscheduled pod a force delete", () => {
    const s = createNormalizerState("c");
    const p = real("Pod", (o) => status(o).phase === "Pending");
    delete (p.spec as Json).nodeName;
    meta(p).deletionTimestamp = "2026-11-22T05:57:30Z";
    meta(p).deletionGracePeriodSeconds = 0;
    expect(ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:30.2Z"), "delete-requested")).toMatchObject([{ force: false }]);
  });

  it("records eviction from the DisruptionTarget condition", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    (status(p).conditions as Json[]).push({ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI", message: "Eviction API: evicting", lastTransitionTime: "2026-11-22T05:57:29Z" });
    expect(ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:29.3Z"), "disruption-target")).toMatchObject([
      { reason: "EvictionByEvictionAPI", at: Date.parse("2026-11-22T05:57:29Z"), clock: "controller", precision: "second" },
    ]);
  });

  it.each([
    [0, "Completed", "completed"],
    [143, "Error", "sigterm"],
    [137, "Error", "sigkill"],
    [137, "OOMKilled", "oom"],
    [1, "Error", "error"],
  ])("reads exit code %i with reason %s as %s, at finishedAt on the node clock", (exitCode, reason, kind) => {
    const s = createNormalizerState("c");
    const p = runningPod();
    feed(s, "ADDED", p, "2026-11-22T05:57:25Z");
    const cs = (status(p).containerStatuses as Json[])[0] as Json;
    cs.state = { terminated: { exitCode, reason, startedAt: "2026-11-22T05:57:22Z", finishedAt: "2026-11-22T05:57:35Z", containerID: "fake://x" } };
    const exits = ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:35.487Z"), "container-terminated");
    expect(exits).toMatchObject([{ exitCode, reason, exitKind: kind, container: "web", at: Date.parse("2026-11-22T05:57:35Z"), clock: "node", precision: "second" }]);
    // The same status again reports nothing new.
    expect(ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:35.5Z"), "container-terminated")).toHaveLength(0);
  });

  it("marks ContainerStatusUnknown (no times) as an exit inferred at receive time", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    const cs = (status(p).containerStatuses as Json[])[0] as Json;
    cs.state = { terminated: { exitCode: 137, reason: "ContainerStatusUnknown", message: "The container could not be located when the pod was terminated" } };
    const exits = ofType(feed(s, "MODIFIED", p, "2026-11-22T05:57:40.1Z"), "container-terminated");
    expect(exits).toMatchObject([{ exitKind: "status-unknown", precision: "inferred", at: Date.parse("2026-11-22T05:57:40.1Z") }]);
  });

  it("reports a restart's exit from lastState and the new start", () => {
    const s = createNormalizerState("c");
    const p = runningPod();
    feed(s, "ADDED", p, "2026-11-22T05:57:25Z");
    const cs = (status(p).containerStatuses as Json[])[0] as Json;
    cs.restartCount = 1;
    cs.lastState = { terminated: { exitCode: 137, reason: "Error", startedAt: "2026-11-22T05:57:22Z", finishedAt: "2026-11-22T05:57:50Z", containerID: "fake://a" } };
    cs.state = { running: { startedAt: "2026-11-22T05:57:51Z" } };
    const out = feed(s, "MODIFIED", p, "2026-11-22T05:57:51.2Z");
    expect(ofType(out, "container-terminated")).toMatchObject([{ exitCode: 137, restartCount: 0, at: Date.parse("2026-11-22T05:57:50Z") }]);
    expect(ofType(out, "container-started")).toMatchObject([{ restartCount: 1, at: Date.parse("2026-11-22T05:57:51Z") }]);
  });
});

describe("endpointslices", () => {
  const slice = () => real("EndpointSlice", (o) => Array.isArray(o.endpoints) && (o.endpoints as unknown[]).length === 3);

  it("applies the API defaults for missing conditions (ready nil = true, serving nil = ready, terminating nil = false)", () => {
    const s = createNormalizerState("c");
    const sl = slice();
    const eps = sl.endpoints as Json[];
    (eps[0] as Json).conditions = {};
    (eps[1] as Json).conditions = { ready: false };
    delete (eps[2] as Json).conditions;
    const out = ofType(feed(s, "ADDED", sl, "2026-11-22T05:57:24.2Z"), "endpoint-changed");
    expect(out.map((e) => [e.ready, e.serving, e.terminating])).toEqual([
      [true, true, false],
      [false, false, false],
      [true, true, false],
    ]);
    expect(out.every((e) => e.service === "web" && e.precision === "exact" && e.clock === "watcher")).toBe(true);
  });

  it("reports only changed endpoints, removals, and `endpoints: null` as an empty slice", () => {
    const s = createNormalizerState("c");
    const sl = slice();
    feed(s, "ADDED", sl, "2026-11-22T05:57:24.2Z");
    const eps = sl.endpoints as Json[];
    (eps[0] as Json).conditions = { ready: false, serving: true, terminating: true };
    meta(sl).resourceVersion = "999";
    const changed = feed(s, "MODIFIED", sl, "2026-11-22T05:57:28.491Z");
    expect(changed.map((e) => e.type)).toEqual(["endpoint-changed"]);
    expect(changed[0]).toMatchObject({ ready: false, serving: true, terminating: true, pod: "web-76fd686489-8rckm" });
    sl.endpoints = null;
    meta(sl).resourceVersion = "1000";
    const removed = ofType(feed(s, "MODIFIED", sl, "2026-11-22T05:57:40Z"), "endpoint-removed");
    expect(removed).toHaveLength(3);
    expect(removed.every((e) => e.reason === "endpoint-gone")).toBe(true);
  });

  it("removes every endpoint when the slice is deleted", () => {
    const s = createNormalizerState("c");
    const sl = slice();
    feed(s, "ADDED", sl, "2026-11-22T05:57:24.2Z");
    const removed = ofType(feed(s, "DELETED", sl, "2026-11-22T05:58:00Z"), "endpoint-removed");
    expect(removed.map((e) => e.reason)).toEqual(["slice-deleted", "slice-deleted", "slice-deleted"]);
    expect(s.slices.size).toBe(0);
  });
});

describe("events", () => {
  const killing = () => real("Event", (o) => o.reason === "Killing");

  it("turns the kubelet's Killing into container-killing (preStop start) on the node clock", () => {
    const s = createNormalizerState("c");
    const out = feed(s, "ADDED", killing(), "2026-11-22T05:57:28.486Z");
    expect(ofType(out, "container-killing")).toMatchObject([
      { container: "web", cause: "stop", pod: "web-76fd686489-nl2hs", at: Date.parse("2026-11-22T05:57:28Z"), clock: "node", precision: "second" },
    ]);
    expect(ofType(out, "k8s-event")).toHaveLength(1);
  });

  it("tells a liveness restart's Killing from a stop, and counts repeats once each", () => {
    const s = createNormalizerState("c");
    const e = killing();
    e.message = "Container web failed liveness probe, will be restarted";
    expect(ofType(feed(s, "ADDED", e, "2026-11-22T05:57:28.5Z"), "container-killing")[0]?.cause).toBe("probe-restart");
    expect(ofType(feed(s, "MODIFIED", e, "2026-11-22T05:57:28.6Z"), "container-killing")).toHaveLength(0);
    e.count = 2;
    e.lastTimestamp = "2026-11-22T05:58:10Z";
    expect(ofType(feed(s, "MODIFIED", e, "2026-11-22T05:58:10.2Z"), "container-killing")).toMatchObject([{ at: Date.parse("2026-11-22T05:58:10Z") }]);
  });

  it("records FailedPreStopHook", () => {
    const s = createNormalizerState("c");
    const e = killing();
    e.reason = "FailedPreStopHook";
    e.type = "Warning";
    e.message = "PreStopHook failed";
    expect(ofType(feed(s, "ADDED", e, "2026-11-22T05:57:29Z"), "prestop-failed")).toMatchObject([{ container: "web" }]);
  });

  it("reads events.k8s.io/v1 Events (regarding, note, µs eventTime)", () => {
    const s = createNormalizerState("c");
    const k = killing();
    const v1 = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { ...meta(k), uid: "v1-uid" },
      regarding: k.involvedObject,
      reason: "Killing",
      note: "Stopping container web",
      type: "Normal",
      eventTime: "2026-11-22T05:57:28.474931Z",
    };
    expect(ofType(feed(s, "ADDED", v1, "2026-11-22T05:57:28.5Z"), "container-killing")).toMatchObject([
      { at: Date.parse("2026-11-22T05:57:28.474Z"), precision: "exact", cause: "stop" },
    ]);
  });
});

describe("workloads and relists", () => {
  it("follows the owner chain ReplicaSet → Deployment with its revision", () => {
    const s = createNormalizerState("c");
    const rs = real("ReplicaSet");
    const out = ofType(feed(s, "ADDED", rs, "2026-11-22T05:57:21Z"), "replicaset-seen");
    expect(out).toMatchObject([{ deployment: "web", revision: expect.stringMatching(/^[0-9]+$/) }]);
  });

  it("infers removals of pods missing from a relist, with an inferred time between the gap's ends", () => {
    const s = createNormalizerState("c");
    const p = real("Pod", (o) => status(o).phase === "Running");
    feed(s, "ADDED", p, "2026-11-22T05:57:25Z");
    const gone = inferRemovalsAfterRelist(s, "pods", new Set(), Date.parse("2026-11-22T05:58:00Z"), Date.parse("2026-11-22T05:58:30Z"), 5);
    expect(gone).toMatchObject([{ type: "pod-removed", via: "relist", precision: "inferred", range: [Date.parse("2026-11-22T05:58:00Z"), Date.parse("2026-11-22T05:58:30Z")] }]);
    expect(inferRemovalsAfterRelist(s, "pods", new Set(), 0, 1, 6)).toHaveLength(0);
  });

  it("produces the same ids when a stream is replayed (idempotent appends)", () => {
    const run = () => {
      const s = createNormalizerState("c");
      return recording.flatMap((r, i) => normalize(s, { watchType: r.type as "ADDED", object: obj(r.object), receivedAt: T(r.observedAt), seq: i })).map((e) => e.id);
    };
    const a = run();
    expect(new Set(a).size).toBe(a.length);
    expect(run()).toEqual(a);
  });
});
