/**
 * The SQLite store: the contract suite on a temp file per test, plus what only a file can show — a
 * writer killed with SIGKILL mid-append leaves a database that opens, passes integrity_check and holds
 * every batch the writer reported committed.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { storeContract, type StoreTarget } from "./contract";
import { retentionContract } from "./contract-retention";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "./migrations";
import { openStore, SQLITE_FILE } from "./open-store";

function sqliteTarget(): StoreTarget {
  const dir = mkdtempSync(join(tmpdir(), "drainscope-sqlite-"));
  return {
    open: (opts) => openStore({ dataDir: dir, ...opts }),
    exec: async (sql) => {
      const db = new Database(join(dir, SQLITE_FILE));
      db.exec(sql);
      db.close();
    },
    setSchemaVersion: async (version) => {
      const db = new Database(join(dir, SQLITE_FILE));
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)").run(version);
      db.close();
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe("SQLite store", () => {
  storeContract(async () => sqliteTarget());
  retentionContract(async () => sqliteTarget());
});

describe("SQLite schema migration 2", () => {
  it("stamps rows stored before it with the migration's time and counts their clusters as watched", async () => {
    const target = sqliteTarget();
    const dir = mkdtempSync(join(tmpdir(), "drainscope-v1-"));
    try {
      // A database as version 1 left it, with one cluster's rows.
      const db = new Database(join(dir, SQLITE_FILE));
      const v1 = MIGRATIONS[0]?.sqlite;
      if (typeof v1 !== "string") throw new Error("migration 1 is plain SQL");
      db.exec(v1);
      db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL); INSERT INTO schema_migrations VALUES (1, 'v1', 0)");
      db.exec(`INSERT INTO events (cluster, id, type, namespace, pod_uid, service, object_name, at, lo, hi, seq, payload) VALUES ('old', 'a', 'k8s-event', 'default', NULL, NULL, NULL, 1, 1, 1, 0, '{}')`);
      db.exec("INSERT INTO cluster_stats VALUES ('old', 1, 1, 1)");
      db.close();
      const migratedAt = Date.UTC(2030, 0, 1);
      const opened = await openStore({ dataDir: dir, now: () => migratedAt });
      if (!opened.ok) throw new Error(opened.error.message);
      await opened.store.close();
      const after = new Database(join(dir, SQLITE_FILE), { readonly: true });
      expect(after.prepare("SELECT recorded_at, imported FROM events").get()).toEqual({ recorded_at: migratedAt, imported: 0 });
      expect(after.prepare("SELECT origin FROM cluster_stats").pluck().get()).toBe("watched");
      expect(after.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(LATEST_SCHEMA_VERSION);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.dispose();
    }
  });
});

const WRITER = fileURLToPath(new URL("./kill9-writer.ts", import.meta.url));

/** Runs the writer until it has reported `atLeast` commits, then SIGKILLs it; resolves with every count it printed. */
function runAndKill(dir: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], { stdio: ["ignore", "pipe", "pipe"] });
    const counts: number[] = [];
    let buffered = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m?.[1]) counts.push(Number(m[1]));
      }
      if (counts.length >= atLeast && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(counts);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

describe("SQLite store under kill -9", () => {
  it("keeps every committed batch and stays intact when the writer is SIGKILLed mid-append", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drainscope-kill9-"));
    try {
      // Twice, so the second run also proves the file reopens and takes writes after a kill.
      let printed = 0;
      for (const round of [1, 2]) {
        const counts = await runAndKill(dir, 15 * round);
        expect(counts.length).toBeGreaterThanOrEqual(15);
        printed = Math.max(printed, ...counts);
        const opened = await openStore({ dataDir: dir });
        if (!opened.ok) throw new Error(opened.error.message);
        expect((await opened.store.stats()).events).toBeGreaterThanOrEqual(printed);
        await opened.store.close();
        const db = new Database(join(dir, SQLITE_FILE), { readonly: true });
        expect(db.prepare("PRAGMA integrity_check").pluck().get()).toBe("ok");
        const stored = db.prepare("SELECT count(*) FROM events").pluck().get();
        expect(stored).toBeGreaterThanOrEqual(printed);
        // The summary row is written in the same transaction, so it cannot drift from the rows.
        expect(db.prepare("SELECT sum(events) FROM cluster_stats").pluck().get()).toBe(stored);
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
