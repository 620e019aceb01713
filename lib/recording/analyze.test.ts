// End-to-end over the real v1.24 recordings: parse → receive times → normalize → engine.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeRecording } from "./analyze";
import { parseRecording } from "./parse";

const FIXTURES = join(__dirname, "../../../shared/fixtures");

function load(dir: string, only?: string) {
  const files = readdirSync(join(FIXTURES, dir)).filter((f) => (only ? f === only : f.endsWith(".jsonl") && f !== "kubelet-truth.jsonl"));
  return files.flatMap((f) => parseRecording(f, readFileSync(join(FIXTURES, dir, f), "utf8")));
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe("real-v1.24-rollout (3 files, no receive times, no preStop, grace 5 s)", () => {
  const { timeline } = analyzeRecording(load("real-v1.24-rollout"));
  const old = timeline.pods.filter((p) => p.keyTimes.deleteRequested).sort((a, b) => (a.keyTimes.deleteRequested?.at ?? 0) - (b.keyTimes.deleteRequested?.at ?? 0));

  it("finds exactly the three replaced pods of revision 5984d6875f", () => {
    expect(old.map((p) => p.name)).toEqual(["web-5984d6875f-f8f44", "web-5984d6875f-2957c", "web-5984d6875f-hg9n2"]);
    expect(old.every((p) => p.workload === "web" && p.revision === "5984d6875f")).toBe(true);
    expect(timeline.pods.filter((p) => p.revision === "b8d86886d")).toHaveLength(3);
  });

  it("gets delete request, Killing, SIGTERM, exit and removal at the recorded times", () => {
    const rows = old.map((p) => {
      const k = p.keyTimes;
      return [iso(k.deleteRequested?.at), k.deleteRequested?.graceSeconds, iso(k.killing?.at), iso(k.sigterm?.at), k.sigterm?.basis, iso(k.exited?.at), k.exited?.exitCode, iso(k.removed?.at)];
    });
    expect(rows).toEqual([
      // dT 05:41:36 − grace 5 = request 05:41:31; no preStop → SIGTERM at Killing; exit at the 5 s deadline.
      ["2026-11-22T05:41:31.000Z", 5, "2026-11-22T05:41:31.000Z", "2026-11-22T05:41:31.000Z", "no-prestop", "2026-11-22T05:41:36.000Z", 0, "2026-11-22T05:41:36.000Z"],
      ["2026-11-22T05:41:33.000Z", 5, "2026-11-22T05:41:33.000Z", "2026-11-22T05:41:33.000Z", "no-prestop", "2026-11-22T05:41:38.000Z", 0, "2026-11-22T05:41:38.000Z"],
      ["2026-11-22T05:41:35.000Z", 5, "2026-11-22T05:41:35.000Z", "2026-11-22T05:41:35.000Z", "no-prestop", "2026-11-22T05:41:40.000Z", 0, "2026-11-22T05:41:40.000Z"],
    ]);
    // Without observedAt, the removal time is placed by write order: marked inferred, never exact.
    expect(old.every((p) => p.keyTimes.removed?.precision === "inferred")).toBe(true);
  });

  it("sees each endpoint go ready → serving+terminating → not serving → removed", () => {
    for (const p of old) {
      expect(p.endpoints).toHaveLength(1);
      const states = p.endpoints[0]?.intervals.map((i) => i.state);
      expect(states).toEqual(["not-serving", "ready", "serving-terminating", "not-serving"]);
      expect(p.endpoints[0]?.intervals.at(-1)?.end).toBeDefined(); // closed by the endpoint's removal
    }
  });

  it("flags SIGTERM-before-deregistration for each old pod: 2 s (the budget), possible (order-inferred times)", () => {
    expect(timeline.riskWindows.map((w) => [w.rule, w.pods[0]?.name, iso(w.start), w.durationMs, w.confidence])).toEqual([
      ["sigterm-before-deregistration", "web-5984d6875f-f8f44", "2026-11-22T05:41:31.000Z", 2000, "possible"],
      ["sigterm-before-deregistration", "web-5984d6875f-2957c", "2026-11-22T05:41:33.000Z", 2000, "possible"],
      ["sigterm-before-deregistration", "web-5984d6875f-hg9n2", "2026-11-22T05:41:35.000Z", 2000, "possible"],
    ]);
  });

  it("groups the terminations into one rollout episode and lints the missing preStop", () => {
    expect(timeline.episodes.map((e) => [e.kind, e.workload, e.podUids.length, e.verdict])).toEqual([["rollout", "web", 3, "risky"]]);
    expect(timeline.lint.map((l) => l.check)).toContain("no-prestop");
    expect(timeline.suggestions[0]?.suggestedPreStopSleepSeconds).toBe(5);
  });
});

describe("real-v1.24-clean-rollout (one mixed file with observedAt, preStop sh -c 'sleep 5', grace 30 s)", () => {
  const { timeline } = analyzeRecording(load("real-v1.24-clean-rollout", "recording.jsonl"));
  const old = timeline.pods.filter((p) => p.keyTimes.deleteRequested);
  const truth = readFileSync(join(FIXTURES, "real-v1.24-clean-rollout/kubelet-truth.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { uid: string; event: string; at: string });

  it("finds three terminations and no risk window", () => {
    expect(old).toHaveLength(3);
    expect(timeline.riskWindows).toEqual([]);
    expect(timeline.episodes.map((e) => [e.kind, e.verdict, e.podUids.length])).toEqual([["rollout", "clean", 3]]);
  });

  it("estimates SIGTERM exactly from Killing + the exec sleep: the kubelet's true time lies in the range", () => {
    for (const p of old) {
      const s = p.keyTimes.sigterm;
      const real = Date.parse(truth.find((t) => t.uid === p.uid && t.event === "sigterm")?.at ?? "");
      expect(s?.basis).toBe("prestop-sleep");
      expect(s?.exact).toBe(true);
      expect(real).toBeGreaterThanOrEqual(s?.range[0] ?? Infinity);
      expect(real).toBeLessThanOrEqual(s?.range[1] ?? -Infinity);
    }
  });

  it("takes removal and endpoint times from observedAt (exact, watcher clock)", () => {
    const nl2hs = old.find((p) => p.name === "web-76fd686489-nl2hs");
    expect(iso(nl2hs?.keyTimes.removed?.at)).toBe("2026-11-22T05:57:35.501Z");
    expect(nl2hs?.keyTimes.removed?.precision).toBe("exact");
    const ready = nl2hs?.endpoints[0]?.intervals.find((i) => i.state === "ready");
    expect(iso(ready?.end)).toBe("2026-11-22T05:57:28.491Z");
    // The delete request is capped by the receive time of the pod update that carried it.
    expect(nl2hs?.keyTimes.deleteRequested?.range).toEqual([Date.parse("2026-11-22T05:57:28Z"), Date.parse("2026-11-22T05:57:28.476Z")]);
  });
});
