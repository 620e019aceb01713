/**
 * `drainscope watch` is a process that only writes: it opens its SQLite store with a small page cache
 * (WATCH_SQLITE_CACHE_KIB), not the dashboard's 64 MiB.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_CACHE_KIB } from "../../store/sqlite";
import type { CliIo } from "../io";
import { WATCH_SQLITE_CACHE_KIB, watchCommand } from "./watch";

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("drainscope watch", () => {
  it("opens the SQLite store with the small page cache, and stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drainscope-watch-"));
    dirs.push(dir);
    const pragma = vi.spyOn(Database.prototype, "pragma");
    let err = "";
    // Store only (no cluster): the store opens as it does when watching, and nothing is watched.
    const io: CliIo = { out: () => undefined, err: (t) => void (err += t), env: { DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_LOG_FORMAT: "text" } };
    const before = new Set([...process.listeners("SIGTERM"), ...process.listeners("SIGINT")]);
    const done = watchCommand([], io);
    let stop: (() => void) | undefined;
    for (let i = 0; i < 500 && !stop; i++) {
      await new Promise((r) => setTimeout(r, 10));
      stop = process.listeners("SIGTERM").find((l) => !before.has(l)) as (() => void) | undefined;
    }
    if (!stop) throw new Error(`watch did not start: ${err}`);
    process.removeListener("SIGTERM", stop);
    for (const l of process.listeners("SIGINT")) if (!before.has(l)) process.removeListener("SIGINT", l);
    stop();
    expect(await done).toBe(0);
    expect(WATCH_SQLITE_CACHE_KIB).toBeLessThan(DEFAULT_CACHE_KIB);
    expect(pragma.mock.calls.map(([sql]) => sql).filter((sql) => sql.startsWith("cache_size"))).toEqual([`cache_size = -${WATCH_SQLITE_CACHE_KIB}`]);
  });
});
