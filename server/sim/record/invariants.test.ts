import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EndpointSlice, Pod } from "../k8s/types";
import { checkInvariants } from "./invariants";
import type { RecordedLine } from "./recorder";

const fixture = (name: string): RecordedLine[] =>
  readFileSync(new URL(`../../../../shared/fixtures/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as RecordedLine);

const real = fixture("real-v1.24-clean-rollout/recording.jsonl");

function isPod(o: Record<string, unknown>): o is Record<string, unknown> & Pod {
  return o.kind === "Pod";
}

function isSlice(o: Record<string, unknown>): o is Record<string, unknown> & EndpointSlice {
  return o.kind === "EndpointSlice";
}

/** Copy the lines, changing the objects `pick` selects (on a clone). */
function mutate<T extends object>(
  lines: readonly RecordedLine[],
  guard: (o: Record<string, unknown>) => o is Record<string, unknown> & T,
  pick: (o: T) => boolean,
  change: (o: T) => void,
): RecordedLine[] {
  return lines.map((l) => {
    if (!guard(l.object) || !pick(l.object)) return l;
    const object = structuredClone(l.object);
    change(object);
    return { ...l, object };
  });
}

const rules = (lines: readonly RecordedLine[]): string[] => checkInvariants(lines).map((v) => v.rule);

describe("checkInvariants", () => {
  it("accepts the recording from a real v1.24 API server", () => {
    expect(checkInvariants(real)).toEqual([]);
  });

  it("flags a deletionTimestamp that moves without the grace", () => {
    let first = true;
    const broken = mutate(real, isPod, (p) => p.metadata.name === "web-76fd686489-8rckm" && p.metadata.deletionGracePeriodSeconds === 30, (p) => {
      if (first) p.metadata.deletionTimestamp = "2026-11-22T05:58:05Z";
      first = false;
    });
    expect(rules(broken)).toContain("deletion-request-constant");
  });

  it("flags a DELETED without the final grace-0 MODIFIED", () => {
    const broken = real.filter((l) => !(isPod(l.object) && l.type === "MODIFIED" && l.object.metadata.deletionGracePeriodSeconds === 0 && l.object.metadata.name === "web-76fd686489-nl2hs"));
    expect(rules(broken)).toContain("final-delete");
  });

  it("flags an exit code the profile does not explain, and an exit before Killing", () => {
    const wrongCode = mutate(real, isPod, (p) => p.metadata.name === "web-76fd686489-nl2hs", (p) => {
      const t = p.status.containerStatuses?.[0]?.state.terminated;
      if (t) t.exitCode = 143;
    });
    expect(rules(wrongCode)).toContain("exit-code");
    const noKilling = real.filter((l) => !(l.object.kind === "Event" && l.object.reason === "Killing"));
    expect(rules(noKilling)).toContain("killing-before-exit");
  });

  it("flags endpoint conditions that go backwards or contradict each other", () => {
    const terminating = (s: EndpointSlice): boolean => (s.endpoints ?? []).some((e) => e.conditions.terminating);
    const lastTerminating = real.filter((l) => isSlice(l.object) && terminating(l.object)).at(-1);
    if (!lastTerminating) throw new Error("fixture has no terminating endpoint");
    const [revived] = mutate([lastTerminating], isSlice, () => true, (s) => {
      for (const e of s.endpoints ?? []) e.conditions = { ready: true, serving: true, terminating: false };
      s.metadata.resourceVersion = "99999";
    });
    expect(rules([...real, ...(revived ? [revived] : [])])).toContain("endpoint-order");
    const contradiction = mutate(real, isSlice, terminating, (s) => {
      for (const e of s.endpoints ?? []) if (e.conditions.terminating) e.conditions.ready = true;
    });
    expect(rules(contradiction)).toContain("endpoint-conditions");
  });
});
