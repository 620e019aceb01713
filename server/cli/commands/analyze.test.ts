import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../main";
import type { CliIo } from "../io";

const ROOT = join(__dirname, "../../..");
const ROLLOUT = join(ROOT, "../shared/fixtures/real-v1.24-rollout");
const rolloutFiles = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl")).map((f) => join(ROLLOUT, f));

async function run(argv: string[], env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await main(argv, io);
  return { code, out, err };
}

describe("drainscope analyze", () => {
  it("prints the three replaced pods with their key times", async () => {
    const { code, out } = await run(["analyze", ...rolloutFiles]);
    expect(code).toBe(0);
    expect(out).toContain("3 terminations, 3 risk windows");
    for (const name of ["web-5984d6875f-f8f44", "web-5984d6875f-2957c", "web-5984d6875f-hg9n2"]) expect(out).toContain(`default/${name}`);
    expect(out).toMatch(/default\/web-5984d6875f-f8f44\s+5984d6875f\s+05:41:31 ±1s g=5s\s+05:41:31 ±1s\s+05:41:31 ±1s\s+05:41:36 ±1s \(0\)\s+05:41:36 ~/);
  });

  it("--json gives the documented shape", async () => {
    const { code, out } = await run(["analyze", "--json", ...rolloutFiles]);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { pods: Record<string, unknown>[]; riskWindows: Record<string, unknown>[]; episodes: unknown[]; lint: unknown[] };
    expect(doc.pods).toHaveLength(3);
    const first = doc.pods.find((p) => p.name === "web-5984d6875f-f8f44");
    expect(first).toMatchObject({
      uid: expect.any(String),
      namespace: "default",
      deleteRequestedAt: "2026-11-22T05:41:31.000Z",
      killingAt: "2026-11-22T05:41:31.000Z",
      sigterm: { at: "2026-11-22T05:41:31.000Z", range: ["2026-11-22T05:41:31.000Z", "2026-11-22T05:41:31.999Z"], exact: true },
      exitedAt: "2026-11-22T05:41:36.000Z",
      exitCode: 0,
      killedBySigkill: false,
      removedAt: "2026-11-22T05:41:36.000Z",
    });
    expect(Object.keys(doc.riskWindows[0] ?? {})).toEqual(
      expect.arrayContaining(["rule", "severity", "start", "end", "durationMs", "namespace", "service", "pods", "confidence", "explanation"]),
    );
    expect(doc.riskWindows[0]).toMatchObject({ rule: "sigterm-before-deregistration", severity: "high", durationMs: 2000, service: "web", pods: ["web-5984d6875f-f8f44"] });
    expect(doc.episodes).toHaveLength(1);
    expect(doc.lint.length).toBeGreaterThan(0);
  });

  it("-o json|table|markdown: one engine result, three renderings; --json is -o json", async () => {
    const json = await run(["analyze", "-o", "json", ...rolloutFiles]);
    expect(json.code).toBe(0);
    expect(json.out).toBe((await run(["analyze", "--json", ...rolloutFiles])).out);
    expect((await run(["analyze", "--output=table", ...rolloutFiles])).out).toBe((await run(["analyze", ...rolloutFiles])).out);
    const md = await run(["analyze", "-o", "markdown", ...rolloutFiles]);
    expect(md.code).toBe(0);
    expect(md.out).toContain("# Pod termination postmortem: recording / all namespaces");
    expect(md.out).toContain("| Risk windows | 3 |");
    const rows = md.out.split("\n").filter((l) => l.startsWith("| high | `sigterm-before-deregistration`"));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain("| 05:41:31.000 | 2.00 s |");
    for (const name of ["web-5984d6875f-f8f44", "web-5984d6875f-2957c", "web-5984d6875f-hg9n2"]) expect(md.out).toContain(`default/${name}`);
  });

  it("--fail-on gates on severity: high matches (exit 1), critical does not (exit 0)", async () => {
    const high = await run(["analyze", "--fail-on", "high", ...rolloutFiles]);
    expect(high.code).toBe(1);
    expect(high.err).toContain("3 risk windows of severity high or worse");
    expect((await run(["analyze", "--fail-on=critical", ...rolloutFiles])).code).toBe(0);
  });

  it("names the file and line of bad input and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ds-analyze-"));
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","uid":"b"}}}\n{"type":"ADDED","object":{"kind":"Pod"');
    const r = await run(["analyze", bad]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`drainscope analyze: ${bad}:2: truncated line: the file ends mid-object after 38 characters. Expected one JSON watch event per line: {"type":"ADDED|MODIFIED|DELETED","object":{…}}\n`);
    expect(r.out).toBe("");
  });

  it.each([
    [["analyze"], "no recording given"],
    [["analyze", "--fail-on", "low", "x"], '--fail-on must be critical, high or medium, got "low"'],
    [["analyze", "--frobnicate", "x"], "unknown option --frobnicate"],
    [["analyze", "-o", "yaml", "x"], '-o must be one of table, json, markdown, got "yaml"'],
    [["analyze", "--json", "-o", "markdown", "x"], "--json contradicts -o markdown"],
    [["analyze", "/nonexistent/rec.jsonl"], "/nonexistent/rec.jsonl: no such file"],
    [["analyze", "--service-budget", "web=10", "x"], "--service-budget expects NAMESPACE/SERVICE=SECONDS"],
    [["frobnicate"], 'unknown command "frobnicate"'],
  ])("%j exits 2: %s", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("refuses files over the input limit", async () => {
    const r = await run(["analyze", rolloutFiles[0] ?? ""], { DRAINSCOPE_MAX_INPUT_BYTES: "100" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bytes is over the 100-byte input limit/);
  });

  it("a per-service budget lengthens the window", async () => {
    const r = await run(["analyze", "--json", "--service-budget", "default/web=10", ...rolloutFiles]);
    const doc = JSON.parse(r.out) as { riskWindows: { durationMs: number }[] };
    expect(doc.riskWindows.map((w) => w.durationMs)).toEqual([10000, 10000, 10000]);
  });

  it("runs as the installed `drainscope` binary", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "bin/drainscope.js"), "analyze", "--json", ...rolloutFiles], { cwd: tmpdir() });
    expect((JSON.parse(stdout) as { pods: unknown[] }).pods).toHaveLength(3);
  });
});
