// `drainscope delete` through main() and with an injected terminal: removes exactly one cluster, asks
// first on a terminal, refuses without --yes when there is none to ask on.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../store/open-store";
import type { CliIo } from "../io";
import { main } from "../main";
import { deleteCommand, type Ask } from "./delete";

const ROLLOUT = join(__dirname, "../../../../shared/fixtures/real-v1.24-rollout");
const files = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl")).map((f) => join(ROLLOUT, f));

function capture(env: Record<string, string>): { io: CliIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return { io: { out: (t) => void (out += t), err: (t) => void (err += t), env }, out: () => out, err: () => err };
}

async function clusters(env: Record<string, string>): Promise<[string, string, number][]> {
  const r = await openStore({ dataDir: env.DRAINSCOPE_DATA_DIR ?? "" });
  if (!r.ok) throw new Error(r.error.message);
  try {
    return (await r.store.clusters()).map((c) => [c.name, c.origin, c.events]);
  } finally {
    await r.store.close();
  }
}

/** A store with the rollout imported twice, as clusters "a" and "b". */
async function twoClusters(): Promise<Record<string, string>> {
  const env = { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-delete-")) };
  for (const name of ["a", "b"]) expect(await main(["import", "--cluster", name, ...files], capture(env).io)).toBe(0);
  return env;
}

describe("drainscope delete", () => {
  it("deletes exactly the named cluster with --yes", async () => {
    const env = await twoClusters();
    expect(await clusters(env)).toEqual([["a", "imported", 137], ["b", "imported", 137]]);
    const c = capture(env);
    expect(await main(["delete", "--cluster", "a", "--yes"], c.io)).toBe(0);
    expect(c.out()).toMatch(/^deleted cluster "a": 137 observations \(.+drainscope\.db\)\n$/);
    expect(await clusters(env)).toEqual([["b", "imported", 137]]);
  });

  it("asks on a terminal: the typed name deletes, anything else keeps", async () => {
    const env = await twoClusters();
    const questions: string[] = [];
    const answer = (text: string): Ask => async (q) => {
      questions.push(q);
      return text;
    };
    const no = capture(env);
    expect(await deleteCommand(["--cluster", "b"], no.io, answer("yes"))).toBe(1);
    expect(no.err()).toBe("drainscope delete: not confirmed; nothing was deleted.\n");
    expect(questions[0]).toMatch(/^Delete cluster "b" \(imported, 137 observations\) from .+\? This cannot be undone\. Type the cluster name to confirm: $/);
    expect(await clusters(env)).toHaveLength(2);
    expect(await deleteCommand(["--cluster", "b"], capture(env).io, answer("b\n"))).toBe(0);
    expect((await clusters(env)).map((c) => c[0])).toEqual(["a"]);
  });

  it("refuses without --yes when standard input is not a terminal", async () => {
    const env = await twoClusters();
    const c = capture(env);
    expect(await deleteCommand(["--cluster", "a"], c.io, async () => undefined)).toBe(2);
    expect(c.err()).toMatch(/^drainscope delete: refusing to delete cluster "a" \(imported, 137 observations\) from .+ without confirmation: standard input is not a terminal\. Pass --yes to delete without asking\.\n$/);
    expect(await clusters(env)).toHaveLength(2);
  });

  it("reports usage errors and unknown clusters with exit 2, and has --help", async () => {
    const env = await twoClusters();
    const help = capture(env);
    expect(await main(["delete", "--help"], help.io)).toBe(0);
    expect(help.out()).toContain("Usage: drainscope delete --cluster NAME [--yes]");
    const none = capture(env);
    expect(await main(["delete", "--yes"], none.io)).toBe(2);
    expect(none.err().split("\n")[0]).toBe("drainscope delete: --cluster NAME is required");
    const bad = capture(env);
    expect(await main(["delete", "--cluster", "../a", "--yes"], bad.io)).toBe(2);
    expect(bad.err().split("\n")[0]).toMatch(/^drainscope delete: --cluster: "\.\.\/a" is not a valid cluster name/);
    const missing = capture(env);
    expect(await main(["delete", "--cluster", "c", "--yes"], missing.io)).toBe(2);
    expect(missing.err()).toMatch(/^drainscope delete: no cluster "c" in the store \(.+; clusters: a, b\)\n$/);
    expect(await clusters(env)).toHaveLength(2);
  });
});
