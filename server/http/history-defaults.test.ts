// Views follow the data's own time, not the wall clock: the real v1.24 rollout (2026-11-22) read with the
// wall clock two weeks and a year later gives the same episodes, ranges and verdicts; a range without data
// is refused with the data's span, never answered with a verdict.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { loadConfig } from "../config";
import { exportView } from "../export/export-view";
import { EmptyRangeError, getTimeline, listEpisodes } from "../queries/timeline";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { getEpisodes, getTimelineHandler } from "./handlers";
import { getExport } from "./transfer";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const EPISODE = "rollout:default:web:1795326091000"; // 2026-11-22T05:41:31Z
const FIRST = "2026-11-22T05:41:08.000Z"; // the recording's first and last observation
const LAST = "2026-11-22T05:41:40.000Z";
const TWO_WEEKS_LATER = Date.parse("2026-12-06T12:00:00Z");
const A_YEAR_LATER = Date.parse("2027-12-06T12:00:00Z");
let rt: Runtime;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ds-history-"));
  rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off" }), { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
  const lines = readdirSync(FIXTURE).filter((f) => f.endsWith(".jsonl")).flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
  await rt.store.append(recordingToEvents(lines, "fixture"));
});

afterAll(async () => {
  installRuntime(undefined);
  await rt.stop();
});

const get = (path: string) => new Request(`http://127.0.0.1${path}`);

describe("defaults follow the data", () => {
  it("the store reports the recording's data span", async () => {
    expect(await rt.store.dataSpan({ cluster: "fixture" })).toEqual({ from: Date.parse(FIRST), to: Date.parse(LAST) });
  });

  it.each([TWO_WEEKS_LATER, A_YEAR_LATER])("lists the latest episodes whatever the wall clock (%i)", async (now) => {
    const episodes = await listEpisodes(rt.store, { limit: 100 }, now);
    expect(episodes.map((e) => [e.cluster, e.id, e.verdict, e.counts.high, e.podCount])).toEqual([["fixture", EPISODE, "risky", 3, 3]]);
    // An explicit "since" still counts back from the wall clock: nothing in the last day.
    expect(await listEpisodes(rt.store, { limit: 100, from: now - 86_400_000 }, now)).toEqual([]);
  });

  it.each([TWO_WEEKS_LATER, A_YEAR_LATER])("a view without a range opens on the latest episode, at the data's own now (%i)", async (now) => {
    const doc = await getTimeline(rt.store, { cluster: "fixture", namespace: "default" }, now);
    const ep = doc.episodes.find((e) => e.id === EPISODE);
    expect(ep?.end).toBe("2026-11-22T05:41:40.000Z");
    // The episode with a 30 s margin either side.
    expect(doc.range).toEqual({ from: Date.parse("2026-11-22T05:41:01Z"), to: Date.parse("2026-11-22T05:42:10Z") });
    expect(doc.generatedFor.now).toBe(LAST);
    expect(doc.live).toBe(false);
    expect(doc.dataSpan).toEqual({ from: Date.parse(FIRST), to: Date.parse(LAST) });
    expect(doc.noData).toBeNull();
    expect(doc.riskWindows.map((w) => w.rule)).toEqual(["sigterm-before-deregistration", "sigterm-before-deregistration", "sigterm-before-deregistration"]);
  });

  it("a live cluster's now is the wall clock", async () => {
    const doc = await getTimeline(rt.store, { cluster: "fixture", episode: EPISODE }, TWO_WEEKS_LATER, [], (c) => c === "fixture");
    expect([doc.live, doc.generatedFor.now]).toEqual([true, "2026-12-06T12:00:00.000Z"]);
  });

  it("exports with only a cluster name cover the latest episode and name its windows", async () => {
    const md = String((await exportView(rt.store, { cluster: "fixture" }, "md", A_YEAR_LATER)).body);
    expect(md).toContain("| Verdict | **RISKY** |");
    expect(md.split("\n").filter((l) => l.startsWith("| high | `sigterm-before-deregistration` |"))).toHaveLength(3);
    expect(md).toContain("| Time range (UTC) | 2026-11-22 05:41:01.000Z → ");
  });
});

describe("a range without data", () => {
  const EMPTY = "cluster=fixture&from=2025-01-01T00:00:00Z&to=2025-01-01T01:00:00Z";
  const MESSAGE = `no data in this range: the data of cluster fixture spans ${FIRST} → ${LAST}`;

  it("the timeline answers with the message and no verdict-bearing content", async () => {
    const r = await getTimelineHandler(get(`/api/timeline?${EMPTY}`));
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { noData: string; episodes: unknown[]; riskWindows: unknown[]; lanes: unknown[] };
    expect([doc.noData, doc.episodes, doc.riskWindows, doc.lanes]).toEqual([MESSAGE, [], [], []]);
  });

  it.each(["md", "csv", "json", "svg"])("GET /api/export?format=%s is 404 with the data's span", async (format) => {
    const r = await getExport(get(`/api/export?format=${format}&${EMPTY}`));
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: MESSAGE });
  });

  it("exportView throws EmptyRangeError; a cluster or namespace without any data says so", async () => {
    await expect(exportView(rt.store, { cluster: "fixture", from: 0, to: 1000 }, "md", A_YEAR_LATER)).rejects.toBeInstanceOf(EmptyRangeError);
    await expect(exportView(rt.store, { cluster: "fixture", namespace: "nothere" }, "md", A_YEAR_LATER)).rejects.toThrow(/^no data in this range: namespace nothere of cluster fixture holds no data$/);
    await expect(exportView(rt.store, { cluster: "fixture", service: "nothere" }, "csv", A_YEAR_LATER)).rejects.toThrow(
      `no data in this range for service nothere: the data of cluster fixture spans ${FIRST} → ${LAST}`,
    );
  });

  it("GET /api/episodes without a range lists the recording's episode", async () => {
    const r = await getEpisodes(get("/api/episodes"));
    expect(((await r.json()) as { episodes: { id: string }[] }).episodes.map((e) => e.id)).toEqual([EPISODE]);
  });
});
