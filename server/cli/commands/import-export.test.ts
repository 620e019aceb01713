// `drainscope import` and `drainscope export` end to end through main(), on a temporary data directory.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io";
import { main } from "../main";

const ROLLOUT = join(__dirname, "../../../../shared/fixtures/real-v1.24-rollout");
const files = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl")).map((f) => join(ROLLOUT, f));

async function run(argv: string[], env: Record<string, string>) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await main(argv, io);
  return { code, out, err };
}

describe("drainscope import / export", () => {
  it("imports a recording, exports every text format, and re-imports the bundle elsewhere identically", async () => {
    const env = { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-cli-")) };
    const imp = await run(["import", ...files], env);
    expect(imp.err).toBe("");
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/imported into cluster "real-v1.24-rollout": 137 observations, 137 new, 0 already stored/);
    const dir = mkdtempSync(join(tmpdir(), "ds-cli-out-"));
    const range = ["--from", "2026-11-22T05:41:00Z", "--to", "2026-11-22T05:42:00Z"];
    for (const f of ["json", "md", "csv", "trace", "svg"]) {
      const r = await run(["export", "--format", f, ...range, "-o", join(dir, `out.${f}`)], env);
      expect(r.code, r.err).toBe(0);
    }
    expect(readFileSync(join(dir, "out.md"), "utf8")).toContain("| high | `sigterm-before-deregistration` |");
    const env2 = { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-cli2-")) };
    expect((await run(["import", join(dir, "out.json")], env2)).code).toBe(0);
    const again = await run(["export", "--format", "json", "--cluster", "real-v1.24-rollout", ...range, "-o", "-"], env2);
    expect(again.out).toBe(readFileSync(join(dir, "out.json"), "utf8"));
  });

  it("reports bad input with file and line and writes nothing", async () => {
    const env = { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-cli-")) };
    const bad = join(mkdtempSync(join(tmpdir(), "ds-bad-")), "bad.jsonl");
    writeFileSync(bad, '{"type":"ADDED","object":{"kind":"Pod"}}\n');
    const r = await run(["import", ...files, bad], env);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`drainscope import: ${bad}:1: missing field metadata\nNothing was imported.\n`);
    const e = await run(["export", "--format", "csv", "-o", "-"], env);
    expect(e.code).toBe(2);
    expect(e.err).toBe("drainscope export: the store is empty: nothing to export\n");
    expect((await run(["import", "/nonexistent.jsonl"], env)).err).toBe("drainscope import: /nonexistent.jsonl: no such file\n");
    // Issue 15: the CLI import streams and has no size cap (DRAINSCOPE_MAX_INPUT_BYTES is analyze's alone now).
    const uncapped = await run(["import", "--cluster", "uncapped", files[0] ?? ""], { ...env, DRAINSCOPE_MAX_INPUT_BYTES: "10" });
    expect(uncapped.err).toBe("");
    expect(uncapped.out).toMatch(/^imported into cluster "uncapped": \d+ observation/m);
    expect((await run(["export", "--format", "docx", "-o", "x"], env)).code).toBe(2);
  });
});
