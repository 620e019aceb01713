/**
 * The PostgreSQL store: the contract suite against a real server this file starts itself (a fresh
 * database per test), plus what only PostgreSQL has to show — replicas opening and writing one database
 * at once, and a connection failure reported as a value. Skips, loudly, only where the PostgreSQL
 * binaries are not installed; CI installs them.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { storeContract, type StoreTarget } from "./contract";
import { retentionContract } from "./contract-retention";
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from "./migrations";
import { openStore } from "./open-store";
import { usePgTestDatabases } from "./pg-test-databases";
import { pgUnavailableReason } from "./pg-test-server";
import { syntheticRollout } from "./synthetic";
import type { Store } from "./types";

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`SKIPPING PostgreSQL store tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("PostgreSQL store", () => {
  const pgDatabases = usePgTestDatabases("store");
  const freshDatabase = pgDatabases.fresh;

  const pgTarget = async (): Promise<StoreTarget> => {
    const db = await freshDatabase();
    return {
      open: (opts) => openStore({ databaseUrl: db.url, ...opts }),
      exec: async (sql) => {
        const client = new pg.Client(db.url);
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      },
      setSchemaVersion: async (version) => {
        const client = new pg.Client(db.url);
        await client.connect();
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', 0)", [version]);
        await client.end();
      },
      dispose: db.drop,
    };
  };
  storeContract(pgTarget);
  retentionContract(pgTarget);

  it("lets replicas open one new database at once and write the same events concurrently", async () => {
    const db = await freshDatabase();
    const stores: Store[] = [];
    try {
      const opened = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: db.url })));
      for (const o of opened) {
        if (!o.ok) throw new Error(o.error.message);
        stores.push(o.store);
      }
      const events = syntheticRollout({ pods: 200, cluster: "replicas" });
      const results = await Promise.all(stores.map((s, i) => s.append(i === 1 ? [...events].reverse() : events)));
      expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(events.length);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(2 * events.length);
      for (const s of stores) expect((await s.stats()).events).toBe(events.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });

  it("keeps its counts exact when retention runs while another replica appends", async () => {
    const db = await freshDatabase();
    const stores: Store[] = [];
    try {
      // Retention goes by recorded time: the writer's clock says when each batch was stored.
      const clock = { now: 1_000_000 };
      for (const o of await Promise.all([1, 2].map(() => openStore({ databaseUrl: db.url, now: () => clock.now })))) {
        if (!o.ok) throw new Error(o.error.message);
        stores.push(o.store);
      }
      const [writer, pruner] = stores;
      if (!writer || !pruner) throw new Error("stores");
      const old = syntheticRollout({ pods: 200, cluster: "c", start: 1_000_000 });
      let inserted = (await writer.append(old)).inserted;
      clock.now = 10_000_000_000;
      const fresh = syntheticRollout({ pods: 400, cluster: "c", start: 10_000_000_000, namespace: "later" }).map((e) => ({ ...e, id: `fresh:${e.id}` }));
      const writes = (async () => {
        for (let i = 0; i < fresh.length; i += 250) inserted += (await writer.append(fresh.slice(i, i + 250))).inserted;
      })();
      let pruned = 0;
      for (let i = 0; i < 5; i++) pruned += await pruner.pruneBefore(5_000_000_000);
      await writes;
      expect(pruned).toBeGreaterThan(0);
      const actual = (await pruner.query({ cluster: "c" })).length;
      expect(inserted).toBe(old.length + fresh.length);
      expect(actual).toBe(inserted - pruned);
      expect((await pruner.stats()).events).toBe(actual);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });

  it("migrates a version-1 database: existing rows are recorded at the migration, their clusters watched", async () => {
    const db = await freshDatabase();
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      const v1 = MIGRATIONS[0]?.postgres;
      if (typeof v1 !== "string") throw new Error("migration 1 is plain SQL");
      await client.query("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      await client.query(v1);
      await client.query("INSERT INTO schema_migrations VALUES (1, 'v1', 0)");
      await client.query("INSERT INTO events (cluster, id, type, namespace, at, lo, hi, seq, payload) VALUES ('old', 'a', 'k8s-event', 'default', 1, 1, 1, 0, '{}')");
      await client.query("INSERT INTO cluster_stats VALUES ('old', 1, 1, 1)");
      const migratedAt = Date.UTC(2030, 0, 1);
      const opened = await openStore({ databaseUrl: db.url, now: () => migratedAt });
      if (!opened.ok) throw new Error(opened.error.message);
      await opened.store.close();
      expect((await client.query("SELECT recorded_at::text AS r, imported FROM events")).rows).toEqual([{ r: String(migratedAt), imported: 0 }]);
      expect((await client.query("SELECT origin FROM cluster_stats")).rows).toEqual([{ origin: "watched" }]);
      expect((await client.query("SELECT max(version) AS v FROM schema_migrations")).rows).toEqual([{ v: LATEST_SCHEMA_VERSION }]);
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it("reports a server that does not answer as a value, without the password", async () => {
    const server = pgDatabases.server();
    // The port of a server that just stopped listening: take ours and add one that nobody uses.
    const r = await openStore({ databaseUrl: `postgres://drainscope:s3cret@127.0.0.1:${server.port === 65535 ? 1 : server.port + 1}/x`, connectTimeoutMs: 2000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("unreachable");
      expect(r.error.message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/drainscope:\*\*\*@127\.0\.0\.1/);
      expect(r.error.message).not.toContain("s3cret");
    }
  });

  it("reports a missing database as unreachable", async () => {
    const r = await openStore({ databaseUrl: pgDatabases.server().url("no_such_db") });
    expect(r.ok ? "opened" : r.error.code).toBe("unreachable");
    if (!r.ok) expect(r.error.message).toContain("database does not exist");
  });
});
