import { describe, expect, it } from "vitest";
import { groupRisks } from "./risk-groups";

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const w = (id: string, rule: string, dur?: number, fix = "add a preStop sleep") => ({
  id,
  rule,
  severity: "high",
  confidence: "certain",
  namespace: "shop",
  service: "web",
  fix,
  startMs: T0,
  ...(dur !== undefined ? { endMs: T0 + dur } : {}),
});

describe("groupRisks", () => {
  it("collapses at least `min` alike windows into one group where the first stood", () => {
    const many = Array.from({ length: 12 }, (_, i) => w(`s${i}`, "sigterm-before-deregistration", 2_320 + (i === 3 ? 100 : 0)));
    const ws = [w("d", "dead-but-routed", 7_000), ...many.slice(0, 6), w("k", "killed-at-grace-deadline", 30_000), ...many.slice(6), w("open", "sigterm-before-deregistration")];
    const out = groupRisks(ws, 10);
    expect(out.map((e) => (e.kind === "group" ? `group:${e.windows.length}` : e.window.id))).toEqual(["d", "group:13", "k"]);
    const g = out[1];
    expect(g?.kind === "group" && { durations: g.durations, open: g.open }).toEqual({ durations: { min: 2_320, max: 2_420 }, open: 1 });
  });

  it("fewer than `min`, or a different fix, stay listed one by one", () => {
    const ws = [...Array.from({ length: 9 }, (_, i) => w(`a${i}`, "sigterm-before-deregistration", 2_000)), w("b", "sigterm-before-deregistration", 2_000, "another fix")];
    expect(groupRisks(ws, 10).every((e) => e.kind === "window")).toBe(true);
  });
});
