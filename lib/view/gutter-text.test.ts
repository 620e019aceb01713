import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { elideMiddle, gutterFullText, gutterText } from "./gutter-text";
import type { Row } from "./lane-layout";

const measure = (t: string) => t.length * 7; // 7 px per character
const lane = { uid: "u", name: "stream-7989c7f6f7-abcde", endpoints: [{ slice: "node-drain-local-policy-xk2p9" }], lbMembers: [] } as unknown as PodLane;

describe("gutter text", () => {
  it("keeps the pod count and drops the workload kind before shortening the name", () => {
    const row: Row = { kind: "workload", y: 0, h: 22, label: "clean-rollout/web (Deployment)", count: 1 };
    expect(gutterFullText(row)).toBe("clean-rollout/web (Deployment) · 1 pod");
    expect(gutterText(row, 1000, measure)).toBe("clean-rollout/web (Deployment) · 1 pod");
    expect(gutterText(row, 26 * 7, measure)).toBe("clean-rollout/web · 1 pod");
    const short = gutterText(row, 18 * 7, measure);
    expect(short).toBe("clea…t/web · 1 pod");
    expect(measure(short ?? "")).toBeLessThanOrEqual(18 * 7);
  });

  it("elides the middle of a revision's hash, keeps revision and count, then drops the hash", () => {
    const row: Row = { kind: "revision", y: 0, h: 18, label: "revision 1 · stream-7989c7f6f7", count: 3 };
    expect(gutterFullText(row)).toBe("revision 1 · stream-7989c7f6f7 · 3 pods");
    expect(gutterText(row, 30 * 7, measure)).toBe("revision 1 · str…f6f7 · 3 pods");
    expect(gutterText(row, 20 * 7, measure)).toBe("revision 1 · 3 pods");
  });

  it("shortens pod names and sub-lanes in the middle, keeping their distinguishing end", () => {
    const pod: Row = { kind: "pod", y: 0, h: 18, lane, pinned: true };
    expect(gutterFullText(pod)).toBe("★ stream-7989c7f6f7-abcde");
    expect(gutterText(pod, 16 * 7, measure)).toBe("★ stream…7-abcde");
    const ep: Row = { kind: "endpoint", y: 0, h: 12, lane, index: 0 };
    expect(gutterFullText(ep)).toBe("ep node-drain-local-policy-xk2p9");
    expect(gutterText(ep, 20 * 7, measure)).toBe("ep node-dra…cy-xk2p9");
  });

  it("elideMiddle gives up below three characters a side", () => {
    expect(elideMiddle("abcdefghij", 6 * 7, measure)).toBeUndefined();
    expect(elideMiddle("abcdefghij", 7 * 7, measure)).toBe("abc…hij");
  });
});
