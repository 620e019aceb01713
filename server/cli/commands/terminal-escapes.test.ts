// Cluster text with terminal escape sequences (an OSC window title ended by BEL, a clear-screen CSI) in a pod
// name: human-readable output never passes them to the terminal, JSON keeps them exactly.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io";
import { main } from "../main";

const ROLLOUT = join(__dirname, "../../../../shared/fixtures/real-v1.24-rollout");
const EVIL = "web-\x1b]0;evil\x07f8f44\x1b[2J";
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** The real rollout fixture with one pod renamed to carry escape sequences (JSON-escaped in the file). */
function evilRecording(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "ds-esc-"));
  return readdirSync(ROLLOUT)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => {
      const text = readFileSync(join(ROLLOUT, f), "utf8").replaceAll("web-5984d6875f-f8f44", JSON.stringify(EVIL).slice(1, -1));
      writeFileSync(join(dir, f), text);
      return join(dir, f);
    });
}

async function run(argv: string[], env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  return { code: await main(argv, io), out: () => out, err: () => err };
}

describe("terminal escape sequences in cluster data", () => {
  const files = evilRecording();

  it("analyze's table drops them and keeps the columns aligned", async () => {
    const r = await run(["analyze", ...files]);
    expect(r.code).toBe(0);
    expect(r.out()).not.toMatch(CONTROL);
    expect(r.out()).toContain("\n  default/web-f8f44             5984d6875f  05:41:31 ±1s g=5s  05:41:31 ±1s       05:41:31 ±1s  05:41:36 ±1s (0)  05:41:36 ~\n");
    expect(r.out()).toContain("  high      sigterm-before-deregistration  05:41:31.000  2.0 s     possible    web-f8f44 svc web\n");
  });

  it("analyze -o markdown drops them", async () => {
    const r = await run(["analyze", "-o", "markdown", ...files]);
    expect(r.code).toBe(0);
    expect(r.out()).toContain("f8f44");
    expect(r.out()).not.toMatch(CONTROL);
  });

  it("analyze -o json keeps the name exactly", async () => {
    const r = await run(["analyze", "-o", "json", ...files]);
    const doc = JSON.parse(r.out()) as { pods: { name: string }[] };
    expect(doc.pods.map((p) => p.name)).toContain(EVIL);
  });

  it("import prints a file name carrying them without them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ds-esc-import-"));
    const evilFile = join(dir, "rec\x1b]0;evil\x07\x1b[2J.jsonl");
    writeFileSync(evilFile, readFileSync(join(ROLLOUT, "pods.jsonl")));
    const r = await run(["import", "--cluster", "esc", evilFile], { DRAINSCOPE_DATA_DIR: join(dir, "data") });
    expect(r.err()).toBe("");
    expect(r.code).toBe(0);
    expect(r.out()).toContain(`${join(dir, "rec.jsonl")}: `);
    expect(r.out()).not.toMatch(CONTROL);
  });
});
