// `drainscope import` draws one updating progress line on stderr when (and only when) stderr is a terminal.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io";
import { main } from "../main";
import { progressWriter } from "./import";

const FILE = join(__dirname, "../../../../shared/fixtures/real-v1.24-rollout/pods.jsonl");

async function run(argv: string[], errIsTTY: boolean) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-prog-")) }, errIsTTY };
  const code = await main(argv, io);
  return { code, out, err };
}

describe("import progress", () => {
  it("on a terminal: updates in place with \\r, reaches 100 %, and is wiped before the result is printed", async () => {
    const r = await run(["import", "--cluster", "tty", FILE], true);
    expect(r.code).toBe(0);
    expect(r.err.startsWith("\r[")).toBe(true);
    expect(r.err).toMatch(/\r\[#{24}\] 100% [\d.]+ [KM]B \/ [\d.]+ [KM]B · [\d,]+ lines\/s · ETA 0s *\r +\r$/);
    expect(r.err).not.toContain("\n");
    expect(r.out).toMatch(/^imported into cluster "tty": \d+ observation/m);
  });

  it("into a pipe or a log: nothing at all on stderr", async () => {
    const r = await run(["import", "--cluster", "pipe", FILE], false);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
  });

  it("redraws at most every 100 ms (always at the end), and clears the widest line it drew", () => {
    let clock = 0;
    const written: string[] = [];
    const w = progressWriter((t) => written.push(t), () => clock);
    const p = (bytes: number) => ({ bytes, totalBytes: 1000, lines: bytes / 10, file: "f" });
    w.update(p(100)); // drawn (first)
    clock = 50;
    w.update(p(200)); // skipped: 50 ms later
    clock = 1000;
    w.update(p(1000)); // drawn: the end
    clock = 1050;
    w.update({ ...p(1000), lines: 500 }); // skipped: the end was drawn 50 ms ago (a .gz file still decompressing)
    w.clear();
    expect(written).toEqual([
      "\r[##......................]  10% 100 B / 1.0 KB · 0 lines/s · ETA …",
      "\r[########################] 100% 1.0 KB / 1.0 KB · 100 lines/s · ETA 0s",
      `\r${" ".repeat(70)}\r`,
    ]);
  });
});
