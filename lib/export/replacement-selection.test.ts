// Exports are the view on screen: in an episode view, the episode's replacement pods are one collapsed
// summary lane per revision unless expanded (`expand`), so an export holds their lanes only when expanded.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeRecording } from "../recording/analyze";
import { parseRecording } from "../recording/parse";
import { toAnalysisDocument } from "../report/analysis-json";
import { exportQuery } from "./export-query";
import { podLanesOnScreen, selectView } from "./view-selection";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const lines = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
const { timeline } = analyzeRecording(lines, { cluster: "prod-eu" });
const DOC = { ...toAnalysisDocument(timeline, { allPods: true }), range: { from: 0, to: Date.parse("2027-01-01T00:00:00Z") }, lanes: timeline.pods, gaps: timeline.gaps };
const EPISODE = "rollout:default:web:1795326091000";
const ep = DOC.episodes.find((e) => e.id === EPISODE);
const old = (ep?.podUids ?? []).slice().sort();
const fresh = (ep?.replacementUids ?? []).slice().sort();
const uids = (l: readonly { uid: string }[]) => l.map((x) => x.uid).sort();

describe("replacement lanes in an export", () => {
  it("the fixture's episode: 3 terminated pods, 3 replacements of revision b8d86886d", () => {
    expect([old.length, fresh.length]).toEqual([3, 3]);
  });

  it("collapsed (the default): only the terminated pods' lanes; expanded: all six; outside an episode view: all six", () => {
    expect(uids(selectView(DOC, { episode: EPISODE }).lanes)).toEqual(old);
    expect(uids(selectView(DOC, { episode: EPISODE, expanded: ["rev:web:b8d86886d"] }).lanes)).toEqual([...old, ...fresh].sort());
    expect(uids(selectView(DOC, { episode: EPISODE, expanded: ["rev:web:other"] }).lanes)).toEqual(old);
    expect(selectView(DOC, {}).lanes).toHaveLength(6);
  });

  it("a pinned replacement is on screen (in the Pinned group) even collapsed", () => {
    const pin = fresh[0] ?? "";
    expect(uids(podLanesOnScreen(DOC.lanes, DOC.episodes, { episode: EPISODE, pinned: [pin] }))).toEqual([...old, pin].sort());
    expect(uids(selectView(DOC, { episode: EPISODE, pinned: [pin] }).lanes)).toEqual([pin]);
  });

  it("the Export link carries `expand`", () => {
    expect(exportQuery({ episode: EPISODE, pinned: [], follow: false, expand: ["rev:web:b8d86886d"] }, undefined).get("expand")).toBe("rev:web:b8d86886d");
  });
});
