/**
 * Every scenario, recorded at speed through @kubernetes/client-node's Watch, obeys the invariants of
 * kubernetes-signals.md, shows the facts its documentation promises, and `drainscope analyze`'s engine
 * (lib/recording/analyze) finds exactly the windows it declares — minus the engine gaps listed below.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeRecording } from "@/lib/recording/analyze";
import { parseRecording } from "@/lib/recording/parse";
import { isRiskRuleId, type RiskRuleId } from "@/lib/rules/ids";
import type { CoreEvent, Pod } from "../k8s/types";
import { checkInvariants } from "../record/invariants";
import { recordScenario, type RecordedLine } from "../record/recorder";
import { SCENARIOS } from "./index";
import type { Scenario } from "./types";

/**
 * Where today's engine and a scenario's declaration differ, and why. Each entry is the engine's count
 * minus the declared one; delete an entry when the engine learns the case (the test then insists).
 */
/** Where the engine is known to disagree with a scenario's declaration (none at present). */
const KNOWN_ENGINE_GAPS: Readonly<Record<string, Partial<Record<RiskRuleId, number>>>> = {};

function checkAnalysis(s: Scenario, jsonl: string): void {
  const { timeline } = analyzeRecording(parseRecording(s.name, jsonl));
  const got: Partial<Record<RiskRuleId, number>> = {};
  for (const w of timeline.riskWindows) got[w.rule] = (got[w.rule] ?? 0) + 1;
  const gaps = KNOWN_ENGINE_GAPS[s.name] ?? {};
  const want: Partial<Record<RiskRuleId, number>> = { ...s.expectedCounts };
  for (const [rule, delta] of Object.entries(gaps)) if (isRiskRuleId(rule) && delta) want[rule] = (want[rule] ?? 0) + delta;
  const clean = (r: Partial<Record<RiskRuleId, number>>) => Object.fromEntries(Object.entries(r).filter(([, n]) => n !== 0));
  expect(clean(got), `${s.name}: windows by rule`).toEqual(clean(want));
  for (const w of s.expectedWindows) {
    if ((gaps[w.rule] ?? 0) < 0) continue;
    const found = timeline.riskWindows.some(
      (x) => x.rule === w.rule && (!w.service || x.service === w.service) && (!w.podPrefix || x.pods.some((p) => p.name.startsWith(w.podPrefix ?? ""))),
    );
    expect(found, `${s.name}: a ${w.rule} window for ${w.podPrefix ?? w.service ?? "the scenario"}`).toBe(true);
  }
}

type Facts = (lines: readonly RecordedLine[]) => void;

const objects = <T,>(lines: readonly RecordedLine[], kind: string): { type: string; at: number; o: T }[] =>
  lines.filter((l) => l.object.kind === kind).map((l) => ({ type: l.type, at: Date.parse(l.observedAt), o: l.object as unknown as T }));

/** Final terminated state per pod name (from the last update that has one). */
function exits(lines: readonly RecordedLine[]): Map<string, { code: number; reason: string; at: number }> {
  const out = new Map<string, { code: number; reason: string; at: number }>();
  for (const { o, at } of objects<Pod>(lines, "Pod")) {
    const t = o.status.containerStatuses?.[0]?.state.terminated;
    if (t && !out.has(o.metadata.name)) out.set(o.metadata.name, { code: t.exitCode, reason: t.reason, at });
  }
  return out;
}

function members(lines: readonly RecordedLine[]): { at: number; name: string; lb: string; state: string; weight?: number; connections?: number }[] {
  return lines
    .filter((l) => l.object.kind === "LoadBalancerMember")
    .map((l) => {
      const o = l.object as { metadata: { name: string }; spec: { lb: string }; status: { state: string; weight?: number; connections?: number } };
      return { at: Date.parse(l.observedAt), name: o.metadata.name, lb: o.spec.lb, ...o.status };
    });
}

function podIp(lines: readonly RecordedLine[], name: string): string {
  const ip = objects<Pod>(lines, "Pod").find(({ o }) => o.metadata.name === name && o.status.podIP)?.o.status.podIP;
  if (!ip) throw new Error(`no IP for ${name}`);
  return ip;
}

const events = (lines: readonly RecordedLine[], reason: string) => objects<CoreEvent>(lines, "Event").filter(({ o }) => o.reason === reason);

const FACTS: Record<string, Facts> = {
  "clean-rollout": (lines) => {
    const e = [...exits(lines).values()];
    expect(e.map((x) => x.code)).toEqual([0, 0, 0]);
    expect(events(lines, "Killing").map(({ o }) => o.message)).toEqual(Array(3).fill("Stopping container web"));
  },
  "no-prestop-rollout": (lines) => expect([...exits(lines).values()].map((x) => x.code)).toEqual([0, 0, 0]),
  "gateway-sync-lag": (lines) => {
    for (const [pod, exit] of exits(lines)) {
      const removed = members(lines).find((m) => m.name.startsWith(`${podIp(lines, pod)}:`) && m.state === "removed");
      expect(removed?.at, pod).toBeGreaterThan(exit.at);
    }
  },
  "keepalive-503": (lines) => {
    const [[pod, exit] = ["", { at: 0, code: -1 }]] = [...exits(lines)];
    expect(exit.code).toBe(0);
    const ip = podIp(lines, pod);
    expect(members(lines).some((m) => m.name.startsWith(`${ip}:`) && m.state === "draining" && (m.connections ?? 0) > 0 && m.at < exit.at)).toBe(true);
    expect(members(lines).some((m) => m.lb === "gateway" && m.state === "unhealthy")).toBe(true);
  },
  "scale-to-zero": (lines) => {
    const slices = objects<{ endpoints: unknown }>(lines, "EndpointSlice");
    expect(slices[slices.length - 1]?.o.endpoints).toBeNull();
  },
  "node-drain-local-policy": (lines) => {
    const targets = objects<Pod>(lines, "Pod").filter(({ o }) => o.status.conditions?.some((c) => c.type === "DisruptionTarget" && c.reason === "EvictionByEvictionAPI"));
    expect(new Set(targets.map(({ o }) => o.metadata.name)).size).toBe(2);
    expect(members(lines).some((m) => m.name === "172.18.0.2:30080" && m.state === "unhealthy")).toBe(true);
  },
  "lb-late-removal": (lines) => {
    for (const [pod, exit] of exits(lines)) {
      const removed = members(lines).find((m) => m.name.startsWith(`${podIp(lines, pod)}:`) && m.state === "removed");
      expect(removed?.at, pod).toBeGreaterThan(exit.at);
    }
  },
  "long-connection-sigkill": (lines) => expect([...exits(lines).values()].map((x) => `${x.code} ${x.reason}`)).toEqual(Array(3).fill("137 Error")),
  "ipvs-weight-zero": (lines) => {
    for (const [pod, exit] of exits(lines)) {
      const ip = podIp(lines, pod);
      expect(members(lines).some((m) => m.name.startsWith(`${ip}:`) && m.state === "draining" && m.weight === 0 && (m.connections ?? 0) > 0 && m.at > exit.at), pod).toBe(true);
      expect(members(lines).some((m) => m.name.startsWith(`${ip}:`) && m.state === "removed")).toBe(true);
    }
  },
  "force-delete": (lines) => {
    const deleted = objects<Pod>(lines, "Pod").filter(({ type }) => type === "DELETED");
    expect(deleted).toHaveLength(1);
    const victim = deleted[0]?.o;
    expect(victim?.status.containerStatuses?.[0]?.state.running).toBeDefined();
    const killing = events(lines, "Killing").find(({ o }) => o.involvedObject.uid === victim?.metadata.uid);
    expect(killing?.at).toBeGreaterThanOrEqual(deleted[0]?.at ?? Infinity);
  },
  "probe-restart": (lines) => {
    expect(events(lines, "Killing").map(({ o }) => o.message)).toEqual(["Container web failed liveness probe, will be restarted"]);
    expect(events(lines, "Unhealthy").length).toBeGreaterThan(0);
    const restarted = objects<Pod>(lines, "Pod").map(({ o }) => o.status.containerStatuses?.[0]).find((c) => (c?.restartCount ?? 0) > 0);
    expect(restarted?.lastState.terminated).toMatchObject({ exitCode: 143, reason: "Error" });
  },
  "eviction-with-pdb": (lines) => {
    const targets = objects<Pod>(lines, "Pod").filter(({ o }) => o.status.conditions?.some((c) => c.type === "DisruptionTarget"));
    expect(new Set(targets.map(({ o }) => o.metadata.name)).size).toBe(2);
  },
};

describe("scenarios", () => {
  it("every scenario is documented (here and in the README), declares its windows consistently, and has facts checked here", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const s of SCENARIOS) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${s.name}\``));
      expect(row, `README row for ${s.name}`).toBeDefined();
      for (const [rule, n] of Object.entries(s.expectedCounts)) expect(row, s.name).toContain(`${rule} ×${n}`);
      if (Object.keys(s.expectedCounts).length === 0) expect(row).toMatch(/\| none \|$/);
      expect(s.description.length, s.name).toBeGreaterThan(20);
      expect(s.rationale.length, s.name).toBeGreaterThan(20);
      for (const w of s.expectedWindows) expect(s.expectedCounts[w.rule] ?? 0, `${s.name} ${w.rule}`).toBeGreaterThan(0);
      for (const rule of Object.keys(s.expectedCounts)) expect(s.expectedWindows.some((w) => w.rule === rule), `${s.name} ${rule}`).toBe(true);
      if (s.name !== "large-rollout") expect(FACTS[s.name], s.name).toBeDefined();
    }
  });

  for (const s of SCENARIOS.filter((x) => x.name !== "large-rollout")) {
    it(`${s.name}: obeys the invariants, shows what it promises, and analyzes to its declared windows`, async () => {
      const speed = 120;
      const rec = await recordScenario({ scenario: s.name, speed });
      expect(checkInvariants(rec.lines)).toEqual([]);
      for (const w of s.expectedWindows) {
        if (w.podPrefix) expect(rec.lines.some((l) => l.object.kind === "Pod" && String((l.object.metadata as { name: string }).name).startsWith(w.podPrefix ?? "")), w.podPrefix).toBe(true);
      }
      FACTS[s.name]?.(rec.lines);
      checkAnalysis(s, rec.jsonl);
    });
  }
});
