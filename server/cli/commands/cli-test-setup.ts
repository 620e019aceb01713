// For CLI tests: `drainscope` run in-process against a fresh data directory that holds the real v1.24
// rollout fixture (imported once, before the file's tests).
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect } from "vitest";
import type { CliIo } from "../io";
import { main } from "../main";

const ROLLOUT = join(__dirname, "../../../../shared/fixtures/real-v1.24-rollout");

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Registers the import in `beforeAll` and returns the runner; `tmpPrefix` names the data directory. */
export function cliWithRealRollout(tmpPrefix: string): (argv: string[]) => Promise<CliRun> {
  let env: Record<string, string> | undefined;
  const run = async (argv: string[]): Promise<CliRun> => {
    if (!env) throw new Error("cliWithRealRollout: run before its beforeAll");
    let out = "";
    let err = "";
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
    const code = await main(argv, io);
    return { code, out, err };
  };
  beforeAll(async () => {
    env = { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), tmpPrefix)) };
    const files = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl")).map((f) => join(ROLLOUT, f));
    expect((await run(["import", ...files])).code).toBe(0);
  });
  return run;
}
