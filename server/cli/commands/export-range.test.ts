// `drainscope export` with only --cluster covers the data's latest episode (not the wall clock's last day);
// a range without data exits 2 with the data's span and writes nothing, never a verdict.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWithRealRollout } from "./cli-test-setup";

const CLUSTER = "real-v1.24-rollout";
const run = cliWithRealRollout("ds-cli-range-");

describe("drainscope export ranges", () => {
  it("--format md with only --cluster names the episode's three risk windows", async () => {
    const r = await run(["export", "--format", "md", "--cluster", CLUSTER, "-o", "-"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("| Verdict | **RISKY** |");
    expect(r.out).toContain("| Time range (UTC) | 2026-11-22 05:41:01.000Z → 2026-11-22 05:42:10.000Z (1 m 09 s) |");
    expect(r.out.split("\n").filter((l) => l.startsWith("| high | `sigterm-before-deregistration` |"))).toHaveLength(3);
  });

  it("--format csv with only --cluster lists them too", async () => {
    const r = await run(["export", "--format", "csv", "--cluster", CLUSTER, "-o", "-"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split("\r\n").filter((l) => l.includes(",sigterm-before-deregistration,high,"))).toHaveLength(3);
  });

  it("a range without data exits 2 with the data's span and writes no file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ds-cli-out-")), "empty.md");
    const r = await run(["export", "--format", "md", "--cluster", CLUSTER, "--from", "2025-01-01T00:00:00Z", "--to", "2025-01-01T01:00:00Z", "-o", file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`drainscope export: no data in this range: the data of cluster ${CLUSTER} spans 2026-11-22T05:41:08.000Z → 2026-11-22T05:41:40.000Z\n`);
    expect(r.out).toBe("");
    expect(existsSync(file)).toBe(false);
  });
});
