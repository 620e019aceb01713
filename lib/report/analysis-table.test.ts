// The `analyze` table on a recording that ends mid-incident: what is still open is open when the data
// ends, measured to its last event, never to the reader's clock.
import { describe, expect, it } from "vitest";
import { computeTimeline } from "../engine/timeline";
import { at, EventLog } from "../testing/event-builder";
import { formatAnalysisTable } from "./analysis-table";

describe("analyze table at the end of a recording", () => {
  it("an open window and an unfinished episode end at the last event", () => {
    const log = new EventLog();
    log.pod("web-stay").serving(1);
    // Exits at 11 s while its endpoint stays ready; the recording ends at 20 s.
    log.pod("web-a").serving(1).delete(10).killing(10).exit(11, 0);
    const text = formatAnalysisTable(computeTimeline(log.events, { now: at(20) }), { files: ["r.jsonl"], lines: 12 });
    const row = text.split("\n").find((l) => l.startsWith("  critical  dead-but-routed")) ?? "";
    expect(row).toContain("open when the data ends (≥ 9.0 s)");
    expect(text).toMatch(/delete +default\/web {2}from 05:00:10 \(unfinished when the data ends\), 1 pod {2}verdict: CRITICAL — /);
  });
});
