/**
 * The bundled `drainscope watch` (as the image ships it) runs its runtime in the watch thread
 * (cli-watch-thread.mjs, see watch.ts) and still stops cleanly on SIGTERM, flushing the store.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WATCH_THREAD_FILE } from "./watch";

const root = join(__dirname, "../../..");
mkdirSync(join(root, "dist"), { recursive: true });
// Under dist/, so the bundle's externals (better-sqlite3, pino …) resolve from the project's node_modules.
const out = mkdtempSync(join(root, "dist", "test-watch-bundle-"));
const data = mkdtempSync(join(tmpdir(), "drainscope-watch-bundle-"));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

describe("bundled drainscope watch", () => {
  it("ships the watch thread next to cli.mjs, and stops on SIGTERM with exit code 0", async () => {
    execFileSync("bash", [join(root, "bin/bundle-cli.sh"), out]);
    expect(existsSync(join(out, WATCH_THREAD_FILE))).toBe(true);
    const child = spawn(process.execPath, [join(out, "cli.mjs"), "watch"], {
      env: { PATH: process.env.PATH ?? "", DRAINSCOPE_DATA_DIR: data, DRAINSCOPE_WATCH: "off", DRAINSCOPE_LOG_FORMAT: "text" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    let asked = false;
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
      // The runtime is up (its first log line): ask it to stop, once (a second signal kills, as before).
      if (!asked && err.includes("store sqlite at")) asked = child.kill("SIGTERM");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(err).toContain("watcher off (DRAINSCOPE_WATCH=off)");
    expect(err).toContain("drainscope watch: stopping (flushing the store)");
    expect(code).toBe(0);
  }, 60_000);
});
