// What the normalizer state keeps per object (the watcher's memory): on real v1.24 objects from
// ../shared/fixtures. The events produced are checked elsewhere (normalize.test.ts); here, retention.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseKubeObject } from "../k8s/parse";
import { exactTime } from "../model/time";
import { createNormalizerState, normalize, type NormalizerState } from "./index";

const FIXTURES = join(__dirname, "../../../shared/fixtures");
type Json = Record<string, unknown>;
const recording = readFileSync(join(FIXTURES, "real-v1.24-clean-rollout/recording.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { type: string; object: Json });

function feed(state: NormalizerState, type: "ADDED" | "MODIFIED" | "DELETED", raw: Json, seq = 0) {
  const r = parseKubeObject(raw);
  if (!r.ok) throw new Error(r.error);
  return normalize(state, { watchType: type, object: r.value, receivedAt: exactTime(Date.parse("2026-11-22T06:00:00Z") + seq, "watcher"), seq });
}

describe("normalizer state retention", () => {
  it("forgets a Kubernetes Event's count once the Event is deleted (expired), and still reports nothing for the deletion", () => {
    const event = recording.find((r) => r.object.kind === "Event")?.object;
    if (!event) throw new Error("no Event in fixture");
    const state = createNormalizerState("c");
    expect(feed(state, "ADDED", event).length).toBeGreaterThan(0);
    expect(state.kubeEvents.size).toBe(1);
    expect(feed(state, "DELETED", event, 1)).toEqual([]);
    expect(state.kubeEvents.size).toBe(0);
  });

  it("makes no readiness-gate map and no exit set for a pod that has neither", () => {
    const state = createNormalizerState("c");
    const pods = recording.filter((r) => r.object.kind === "Pod");
    for (const [i, p] of pods.entries()) feed(state, p.type === "DELETED" ? "DELETED" : "MODIFIED", p.object, i);
    const tracked = [...state.pods.values()];
    expect(tracked.length).toBeGreaterThan(0);
    for (const ps of tracked) {
      expect(ps.gates).toBeUndefined();
      for (const cs of ps.containers.values()) if (cs.running) expect(cs.reportedExits).toBeUndefined();
    }
  });
});
