import { describe, expect, it } from "vitest";
import { analyzeRecording } from "@/lib/recording/analyze";
import { parseRecording } from "@/lib/recording/parse";
import { checkInvariants } from "../record/invariants";
import { recordScenario } from "../record/recorder";
import { largeRollout } from "./large-rollout";

describe("large-rollout", () => {
  it("replaces 1,000 pods quickly, through the API server, within the invariants and its declared windows", async () => {
    // Bounded by the test timeout only (design §7: no timing assertions in unit tests); ~6 s alone here.
    const rec = await recordScenario({ scenario: largeRollout.name, speed: 400 });
    const deleted = rec.lines.filter((l) => l.object.kind === "Pod" && l.type === "DELETED");
    const prefix = largeRollout.expectedWindows[0]?.podPrefix ?? "";
    expect(deleted).toHaveLength(1000);
    expect(deleted.every((l) => String((l.object.metadata as { name: string }).name).startsWith(prefix))).toBe(true);
    expect(new Set(rec.lines.filter((l) => l.object.kind === "Pod").map((l) => (l.object.metadata as { uid: string }).uid)).size).toBe(2000);
    expect(checkInvariants(rec.lines)).toEqual([]);
    const { timeline } = analyzeRecording(parseRecording(largeRollout.name, rec.jsonl));
    const rules = timeline.riskWindows.map((w) => w.rule);
    expect(rules).toHaveLength(largeRollout.expectedCounts["sigterm-before-deregistration"] ?? -1);
    expect(new Set(rules)).toEqual(new Set(["sigterm-before-deregistration"]));
  }, 30_000);
});
