/**
 * Choosing and opening a store: the expected failures come back as values with a one-line message.
 * (Unreachable PostgreSQL is covered in postgres.test.ts, next to a real server.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openStore, SQLITE_FILE, storeOptionsFromEnv } from "./open-store";
import type { OpenResult } from "./types";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "drainscope-open-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function expectError(r: OpenResult, code: string): string {
  if (r.ok) throw new Error("expected the store not to open");
  expect(r.error.code).toBe(code);
  expect(r.error.message).not.toMatch(/\n\s+at /);
  return r.error.message;
}

describe("openStore", () => {
  it("opens SQLite in the data directory, creating it, when no DATABASE_URL is set", async () => {
    const dir = join(tempDir(), "nested", "data");
    for (const databaseUrl of [undefined, "", "  "]) {
      const r = await openStore({ dataDir: dir, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.store.kind).toBe("sqlite");
      expect(r.store.location).toBe(join(dir, SQLITE_FILE));
      await r.store.close();
    }
  });

  it("opens SQLite with the page cache it is asked for, 64 MiB otherwise", async () => {
    const pragma = vi.spyOn(Database.prototype, "pragma");
    try {
      const cacheSettings = async (sqliteCacheKiB?: number): Promise<string[]> => {
        pragma.mockClear();
        const r = await openStore({ dataDir: tempDir(), ...(sqliteCacheKiB !== undefined ? { sqliteCacheKiB } : {}) });
        if (!r.ok) throw new Error(r.error.message);
        await r.store.close();
        return pragma.mock.calls.map(([sql]) => sql).filter((sql) => sql.startsWith("cache_size"));
      };
      expect(await cacheSettings(2048)).toEqual(["cache_size = -2048"]);
      expect(await cacheSettings()).toEqual(["cache_size = -65536"]);
    } finally {
      pragma.mockRestore();
    }
  });

  it("refuses a DATABASE_URL that is not PostgreSQL rather than silently using SQLite", async () => {
    const msg = expectError(await openStore({ databaseUrl: "mysql://u:pw@db/x", dataDir: tempDir() }), "bad-url");
    expect(msg).toContain('got "mysql:…"');
    expect(msg).not.toContain("pw");
  });

  it("reports a data directory that cannot be created", async () => {
    const file = join(tempDir(), "plain-file");
    writeFileSync(file, "not a directory");
    const msg = expectError(await openStore({ dataDir: join(file, "data") }), "unwritable");
    expect(msg).toContain(join(file, "data"));
    expect(msg).toContain("DRAINSCOPE_DATA_DIR");
  });

  it("reports a file that is not a database", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, SQLITE_FILE), "this is not a SQLite database, just text that is long enough to be a header".repeat(20));
    expect(expectError(await openStore({ dataDir: dir }), "corrupt")).toContain(SQLITE_FILE);
  });

  it("reads its settings from the environment it is given", () => {
    expect(storeOptionsFromEnv({})).toEqual({});
    expect(storeOptionsFromEnv({ DATABASE_URL: "postgres://h/db", DRAINSCOPE_DATA_DIR: "/var/lib/ds" })).toEqual({
      databaseUrl: "postgres://h/db",
      dataDir: "/var/lib/ds",
    });
  });
});
