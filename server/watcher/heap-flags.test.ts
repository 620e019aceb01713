import { describe, expect, it } from "vitest";
import { watcherHeapFlag } from "./heap-flags";

describe("watcherHeapFlag", () => {
  it("asks for 20 % heap growth when the user chose nothing", () => {
    expect(watcherHeapFlag([], undefined)).toBe("--heap-growing-percent=20");
    expect(watcherHeapFlag(["--enable-source-maps"], "--max-old-space-size=768")).toBe("--heap-growing-percent=20");
  });

  it("leaves a growth the user set in node flags or NODE_OPTIONS alone (either spelling)", () => {
    expect(watcherHeapFlag(["--heap-growing-percent=50"], undefined)).toBeUndefined();
    expect(watcherHeapFlag([], "--max-old-space-size=768 --heap_growing_percent=0")).toBeUndefined();
  });
});
