// Readiness-gate conditions as the AWS Load Balancer Controller and GKE's NEG readiness reflector write
// them (condition types, statuses, reasons and messages as in their docs and sources), grafted onto a
// real recorded pod from ../shared/fixtures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseKubeObject } from "../k8s/parse";
import type { LbMemberChanged, LifecycleEvent } from "../model/events";
import { exactTime } from "../model/time";
import { createNormalizerState, normalize, type NormalizerState } from "./index";
import { gateLb, gateState } from "./readiness-gates";

type Json = Record<string, unknown>;
const FIXTURES = join(__dirname, "../../../shared/fixtures");
const recorded = readFileSync(join(FIXTURES, "real-v1.24-clean-rollout/recording.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { object: Json });
const basePod = recorded.find((r) => r.object.kind === "Pod" && (r.object.status as Json).podIP && !(r.object.metadata as Json).deletionTimestamp)?.object;
if (!basePod) throw new Error("no running pod in the fixture");
const IP = String((basePod.status as Json).podIP);

interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

function pod(gates: string[], conds: Cond[], deletion?: { at: string; grace: number }): Json {
  const p = structuredClone(basePod) as Json & { metadata: Json; spec: Json; status: Json & { conditions?: Cond[] } };
  p.spec.readinessGates = gates.map((conditionType) => ({ conditionType }));
  p.status.conditions = [...(p.status.conditions ?? []).filter((c) => !c.type.includes("/")), ...conds];
  if (deletion) {
    p.metadata.deletionTimestamp = deletion.at;
    p.metadata.deletionGracePeriodSeconds = deletion.grace;
  }
  return p;
}

function feed(s: NormalizerState, raw: Json, iso: string, type: "ADDED" | "MODIFIED" | "DELETED" = "MODIFIED"): LbMemberChanged[] {
  const o = parseKubeObject(raw);
  if (!o.ok) throw new Error(o.error);
  return normalize(s, { watchType: type, object: o.value, receivedAt: exactTime(Date.parse(iso), "watcher"), seq: 0 }).filter((e: LifecycleEvent): e is LbMemberChanged => e.type === "lb-member-changed");
}

const brief = (e: LbMemberChanged) => [e.lbSource, e.lb, e.member, e.state, new Date(e.at).toISOString(), e.precision, e.clock];

const AWS = "target-health.elbv2.k8s.aws/k8s-shop-web-6b0a7c1f2e";

describe("AWS Load Balancer Controller readiness gate", () => {
  it("registration in progress → healthy → (delete requested) inferred deregistration, each as an LB member of the pod", () => {
    const s = createNormalizerState("c");
    const initial = feed(s, pod([AWS], [{ type: AWS, status: "False", reason: "Elb.RegistrationInProgress", message: "Target registration is in progress", lastTransitionTime: "2026-11-22T05:57:30Z" }]), "2026-11-22T05:57:30.4Z", "ADDED");
    expect(initial.map(brief)).toEqual([["aws-lbc-gate", "tgb/k8s-shop-web-6b0a7c1f2e", IP, "unhealthy", "2026-11-22T05:57:30.000Z", "second", "controller"]]);
    expect(initial[0]).toMatchObject({ podUid: (basePod.metadata as Json).uid, pod: (basePod.metadata as Json).name, range: [Date.parse("2026-11-22T05:57:30Z"), Date.parse("2026-11-22T05:57:30Z") + 999] });
    const healthy = feed(s, pod([AWS], [{ type: AWS, status: "True", lastTransitionTime: "2026-11-22T05:57:41Z" }]), "2026-11-22T05:57:41.3Z");
    expect(healthy.map(brief)).toEqual([["aws-lbc-gate", "tgb/k8s-shop-web-6b0a7c1f2e", IP, "active", "2026-11-22T05:57:41.000Z", "second", "controller"]]);
    expect(feed(s, pod([AWS], [{ type: AWS, status: "True", lastTransitionTime: "2026-11-22T05:57:41Z" }]), "2026-11-22T05:57:50Z")).toEqual([]);
    // kubectl delete at 06:00:00 with grace 30: deletionTimestamp 06:00:30; the condition stays True.
    const deleted = feed(s, pod([AWS], [{ type: AWS, status: "True", lastTransitionTime: "2026-11-22T05:57:41Z" }], { at: "2026-11-22T06:00:30Z", grace: 30 }), "2026-11-22T06:00:00.2Z");
    expect(deleted.map(brief)).toEqual([["aws-lbc-gate", "tgb/k8s-shop-web-6b0a7c1f2e", IP, "removed", "2026-11-22T06:00:00.000Z", "inferred", "apiserver"]]);
    expect(feed(s, pod([AWS], [{ type: AWS, status: "True" }], { at: "2026-11-22T06:00:30Z", grace: 30 }), "2026-11-22T06:00:31Z", "DELETED")).toEqual([]);
  });

  it("failed health checks and deregistration in progress read as unhealthy and draining; Unknown (no such target) as removed", () => {
    expect(gateState("aws-lbc-gate", "False", "Target.FailedHealthChecks")).toBe("unhealthy");
    expect(gateState("aws-lbc-gate", "False", "Target.DeregistrationInProgress")).toBe("draining");
    expect(gateState("aws-lbc-gate", "Unknown", undefined)).toBe("removed");
    const s = createNormalizerState("c");
    feed(s, pod([AWS], [{ type: AWS, status: "True", lastTransitionTime: "2026-11-22T05:57:41Z" }]), "2026-11-22T05:57:42Z", "ADDED");
    const failing = feed(s, pod([AWS], [{ type: AWS, status: "False", reason: "Target.FailedHealthChecks", message: "Health checks failed", lastTransitionTime: "2026-11-22T05:58:10Z" }]), "2026-11-22T05:58:10.5Z");
    expect(failing.map((e) => e.state)).toEqual(["unhealthy"]);
  });

  it("a pod deleted without a delete request seen (watch DELETED) leaves the LB at that moment, inferred", () => {
    const s = createNormalizerState("c");
    feed(s, pod([AWS], [{ type: AWS, status: "True", lastTransitionTime: "2026-11-22T05:57:41Z" }]), "2026-11-22T05:57:42Z", "ADDED");
    const gone = feed(s, pod([AWS], [{ type: AWS, status: "True" }]), "2026-11-22T06:01:00.5Z", "DELETED");
    expect(gone.map(brief)).toEqual([["aws-lbc-gate", "tgb/k8s-shop-web-6b0a7c1f2e", IP, "removed", "2026-11-22T06:01:00.500Z", "inferred", "watcher"]]);
  });
});

describe("GKE NEG readiness gate", () => {
  const NEG = "cloud.google.com/load-balancer-neg-ready";
  it("LoadBalancerNegNotReady → LoadBalancerNegReady; no lastTransitionTime (the reflector leaves it unset): the receive time", () => {
    const s = createNormalizerState("c");
    const waiting = feed(s, pod([NEG], [{ type: NEG, status: "False", reason: "LoadBalancerNegNotReady", message: "Waiting for pod to become healthy in at least one of the NEG(s): [k8s1-7e2a-shop-web-80-1b2c3d4e]" }]), "2026-11-22T05:57:31.25Z", "ADDED");
    expect(waiting.map(brief)).toEqual([["gke-neg-gate", "neg", IP, "unhealthy", "2026-11-22T05:57:31.250Z", "exact", "watcher"]]);
    const ready = feed(s, pod([NEG], [{ type: NEG, status: "True", reason: "LoadBalancerNegReady", message: 'Pod has become Healthy in NEG "k8s1-7e2a-shop-web-80-1b2c3d4e" attached to BackendService "k8s1-7e2a-shop-web-80-1b2c3d4e". Marking condition "cloud.google.com/load-balancer-neg-ready" to True.' }]), "2026-11-22T05:57:44.75Z");
    expect(ready.map(brief)).toEqual([["gke-neg-gate", "neg", IP, "active", "2026-11-22T05:57:44.750Z", "exact", "watcher"]]);
  });

  it("the 10-minute timeout marks the gate True without the endpoint being healthy: unhealthy, not active", () => {
    expect(gateState("gke-neg-gate", "True", "LoadBalancerNegTimeout")).toBe("unhealthy");
    expect(gateState("gke-neg-gate", "True", "LoadBalancerNegWithoutHealthCheck")).toBe("active");
  });

  it("other conditions with a slash are not gates", () => {
    expect(gateLb("example.com/feature-ready")).toBeUndefined();
    expect(gateLb(AWS_PREFIX_ONLY)).toBeUndefined();
  });
});

const AWS_PREFIX_ONLY = "target-health.elbv2.k8s.aws/";
