import { describe, expect, it } from "vitest";
import { createLog, wantsJsonLogs } from "./logger";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (c: string) => chunks.push(c) } };
}

describe("process log", () => {
  it("writes one JSON object per line with level, ISO time and message when not on a terminal", () => {
    const { chunks, stream } = capture(false);
    const log = createLog(stream, wantsJsonLogs(stream, {}));
    log("drainscope: watching prod; store sqlite at /data/drainscope.db");
    log("store write failed (12 events queued, retrying): disk full");
    const lines = chunks.join("").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: "info", service: "drainscope", msg: "watching prod; store sqlite at /data/drainscope.db" });
    expect(lines[1]).toMatchObject({ level: "warn", msg: "store write failed (12 events queued, retrying): disk full" });
    expect(String(lines[0]?.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("writes plain lines on a terminal, and follows DRAINSCOPE_LOG_FORMAT", () => {
    const { chunks, stream } = capture(true);
    expect(wantsJsonLogs(stream, {})).toBe(false);
    expect(wantsJsonLogs(stream, { DRAINSCOPE_LOG_FORMAT: "json" })).toBe(true);
    expect(wantsJsonLogs({ write: () => 0 }, { DRAINSCOPE_LOG_FORMAT: "text" })).toBe(false);
    createLog(stream, false)("drainscope: watching prod");
    expect(chunks).toEqual(["drainscope: watching prod\n"]);
  });
});
