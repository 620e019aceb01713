import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordScenario } from "./recorder";
import { checkInvariants } from "./invariants";

const FIXTURE = new URL("../../../../shared/fixtures/real-v1.24-clean-rollout/recording.jsonl", import.meta.url);

describe("recordScenario", () => {
  it("writes the fixture's line format, on the simulator's clock, and the same objects at any speed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-rec-"));
    try {
      const out = join(dir, "clean.jsonl");
      const slow = await recordScenario({ scenario: "clean-rollout", speed: 15, outFile: out });
      const fast = await recordScenario({ scenario: "clean-rollout", speed: 60 });
      const text = await readFile(out, "utf8");
      expect(text).toBe(slow.jsonl);
      const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      const k8s = lines.filter((l) => (l.object as { kind: string }).kind !== "LoadBalancerMember");
      const fixtureFirst = JSON.parse((await readFile(FIXTURE, "utf8")).split("\n")[0] ?? "{}") as Record<string, unknown>;
      for (const l of k8s) expect(Object.keys(l)).toEqual(Object.keys(fixtureFirst));
      for (const l of lines) expect(l.observedAt).toMatch(/^2026-11-22T06:\d\d:\d\d\.\d{3}Z$/);
      const members = lines.filter((l) => (l.object as { kind: string }).kind === "LoadBalancerMember");
      expect(members.length).toBeGreaterThan(0);
      expect(Object.keys(members[0] ?? {})).toEqual(["type", "observedAt", "object"]);
      const times = lines.map((l) => Date.parse(String(l.observedAt)));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const canon = (ls: readonly { object: unknown }[]) => ls.map((l) => JSON.stringify(l.object)).sort();
      expect(canon(fast.lines)).toEqual(canon(slow.lines));
      expect(checkInvariants(slow.lines)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects an unknown scenario", async () => {
    await expect(recordScenario({ scenario: "nope" })).rejects.toThrow(/unknown scenario "nope"/);
  });
});
