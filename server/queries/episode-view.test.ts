// Issue 14: an episode view carries the episode's replacement pods (the new revision) beside its terminated
// pods, without their windows changing the view's verdict, and it opens on the episode's activity (first
// delete to last change, a small margin either side), not on a fixed 30 s of padding.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { openStore } from "../store/open-store";
import type { Store } from "../store/types";
import { getTimeline } from "./timeline";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const EPISODE = "rollout:default:web:1795326091000"; // first delete 2026-11-22T05:41:31Z
const LATER = Date.parse("2027-12-06T12:00:00Z");
let store: Store;

beforeAll(async () => {
  const opened = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "ds-episode-view-")) });
  if (!opened.ok) throw opened.error;
  store = opened.store;
  const lines = readdirSync(FIXTURE).filter((f) => f.endsWith(".jsonl")).flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
  await store.append(recordingToEvents(lines, "fixture"));
});

afterAll(async () => {
  await store.close();
});

describe("episode view", () => {
  it("shows the 3 replacement pods of revision b8d86886d with their ready times; windows and verdict are the terminated pods'", async () => {
    const doc = await getTimeline(store, { cluster: "fixture", episode: EPISODE }, LATER);
    const ep = doc.episodes.find((e) => e.id === EPISODE);
    expect(doc.episodes.map((e) => e.id)).toEqual([EPISODE]);
    const byUid = new Map(doc.lanes.map((l) => [l.uid, l]));
    const replacements = (ep?.replacementUids ?? []).map((u) => byUid.get(u));
    expect(replacements.map((l) => [l?.name, l?.revision, l?.keyTimes.firstReady?.at && new Date(l.keyTimes.firstReady.at).toISOString()])).toEqual([
      ["web-b8d86886d-xzkjd", "b8d86886d", "2026-11-22T05:41:31.000Z"],
      ["web-b8d86886d-28qjb", "b8d86886d", "2026-11-22T05:41:33.000Z"],
      ["web-b8d86886d-v5nlg", "b8d86886d", "2026-11-22T05:41:35.000Z"],
    ]);
    // The 3 terminated pods and their 3 replacements; the windows are still the 3 of the terminated pods.
    expect(doc.lanes).toHaveLength(6);
    expect(ep?.podUids.every((u) => byUid.get(u)?.revision === "5984d6875f")).toBe(true);
    expect(doc.riskWindows.map((w) => [w.rule, w.pods[0]])).toEqual([
      ["sigterm-before-deregistration", "web-5984d6875f-f8f44"],
      ["sigterm-before-deregistration", "web-5984d6875f-2957c"],
      ["sigterm-before-deregistration", "web-5984d6875f-hg9n2"],
    ]);
    expect(ep?.verdict).toBe("risky");
  });

  it("opens on the episode's activity: 05:41:31 (first delete) → 05:41:40 (last removal), 1 s margin", async () => {
    const doc = await getTimeline(store, { cluster: "fixture", episode: EPISODE }, LATER);
    expect(doc.range).toEqual({ from: Date.parse("2026-11-22T05:41:30Z"), to: Date.parse("2026-11-22T05:41:41Z") });
  });
});
