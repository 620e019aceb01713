// The rows of a big import, kept in a temporary file and written back in batches (row-sink.ts): the store
// ends up exactly as one importEvents call of the same observations leaves it — every row, its rowid (the
// write order), pod spans, cluster totals — in SQLite and PostgreSQL; a refusal leaves the store unchanged
// with importEvents' message; the temporary file goes in every case.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { ImportError, type ImportPlan } from "../../lib/import";
import type { LifecycleEvent } from "../../lib/model/events";
import { openStore } from "../store/open-store";
import { usePgTestDatabases } from "../store/pg-test-databases";
import { pgUnavailableReason } from "../store/pg-test-server";
import { openSqliteStore } from "../store/sqlite";
import { syntheticRollout } from "../store/synthetic";
import type { Store } from "../store/types";
import { commitPlan } from "./apply";
import { ImportRowSink } from "./row-sink";

const NOW = Date.UTC(2026, 5, 1, 0, 0, 0);
const plan = (events: LifecycleEvent[]): ImportPlan => ({ cluster: "bench", events, files: [] });

/** 400 pods ≈ 6,000 observations: three batches; the same ids again (duplicates within the import, adopted rows). */
function observations(): LifecycleEvent[] {
  const events = syntheticRollout({ pods: 400 });
  const again = syntheticRollout({ pods: 40 }).map((e) => ({ ...e, seq: (e.seq ?? 0) + 1 }));
  return [...events, ...again];
}

async function viaSink(store: Store, events: readonly LifecycleEvent[]) {
  const sink = new ImportRowSink();
  for (const e of events) sink.add(e);
  return sink.commit(store, plan([]), "big.audit.log");
}

const sqliteFiles: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function sqlite(): { store: Store; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), "ds-rowsink-")), "drainscope.db");
  const store = openSqliteStore({ file, now: () => NOW });
  stores.push(store);
  sqliteFiles.push(file);
  return { store, file };
}

function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    // events in rowid order: the order the rows were written in; the others are WITHOUT ROWID tables.
    const queries = ["SELECT rowid, * FROM events ORDER BY rowid", "SELECT * FROM pod_spans", "SELECT * FROM cluster_stats", "SELECT * FROM cluster_namespaces"];
    return JSON.stringify(queries.map((q) => db.prepare(q).all()));
  } finally {
    db.close();
  }
}

const tempDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith("drainscope-import-")).sort();

/**
 * The same import into two stores that already hold some of its rows (watched: the import adopts them):
 * `a` through `importEvents` (the whole plan), `b` through the row file.
 */
async function importBothWays(a: Store, b: Store, events: LifecycleEvent[]) {
  const watched = events.slice(100, 300);
  await a.append(watched);
  await b.append(watched);
  const whole = await commitPlan(a, plan(events), "big.audit.log");
  const streamed = await viaSink(b, events);
  return { whole, streamed };
}

describe("import rows kept in a temporary file (SQLite)", () => {
  it("leave the store exactly as importEvents does: rows, rowids, spans, totals; also over rows already watched", async () => {
    const events = observations();
    const before = tempDirs();
    const a = sqlite();
    const b = sqlite();
    const { whole, streamed } = await importBothWays(a.store, b.store, events);
    expect(streamed).toEqual(whole);
    expect(whole.duplicates).toBeGreaterThan(200);
    expect(dump(b.file)).toBe(dump(a.file));
    expect(tempDirs()).toEqual(before);
  });

  it("a store without importRows (a wrapper) gets the same observations through importEvents", async () => {
    const events = observations();
    const a = sqlite();
    const b = sqlite();
    await commitPlan(a.store, plan(events), "big.audit.log");
    const inner = b.store;
    const wrapper: Store = { ...inner, kind: inner.kind, location: inner.location, importEvents: (e) => inner.importEvents(e), importRows: undefined };
    await viaSink(wrapper, events);
    expect(dump(b.file)).toBe(dump(a.file));
  });

  it("an observation the store cannot keep refuses the whole import with importEvents' message; nothing written, no file left", async () => {
    const events = observations();
    const bad = { ...events[10], at: 9e15 } as LifecycleEvent;
    const broken = [...events.slice(0, 4000), bad, ...events.slice(4000)];
    const before = tempDirs();
    const a = sqlite();
    const b = sqlite();
    const expected = await commitPlan(a.store, plan(broken), "big.audit.log").catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(ImportError);
    expect((expected as Error).message).toMatch(/^big\.audit\.log: observation 4001 \(.+\) cannot be stored: at: 9000000000000000 is not a storable time; nothing was written$/);
    const got = await viaSink(b.store, broken).catch((e: unknown) => e);
    expect(got).toBeInstanceOf(ImportError);
    expect((got as Error).message).toBe((expected as Error).message);
    expect(await b.store.query({})).toEqual([]);
    expect(tempDirs()).toEqual(before);
  });

  it("close() removes the file of an import that never got to commit (a bad line, or read again)", () => {
    const sink = new ImportRowSink();
    const before = tempDirs();
    for (const e of observations()) sink.add(e);
    expect(tempDirs().length).toBe(before.length + 1);
    sink.close();
    expect(tempDirs()).toEqual(before);
    expect(sqliteFiles.every((f) => existsSync(f))).toBe(true);
  });
});

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`SKIPPING the PostgreSQL part: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("import rows kept in a temporary file (PostgreSQL)", () => {
  const pgDatabases = usePgTestDatabases("rowsink");

  async function pgStore(): Promise<{ store: Store; url: string }> {
    const { url } = await pgDatabases.fresh();
    const opened = await openStore({ databaseUrl: url, now: () => NOW });
    if (!opened.ok) throw new Error(opened.error.message);
    stores.push(opened.store);
    return { store: opened.store, url };
  }

  async function pgDump(url: string): Promise<string> {
    const client = new pg.Client(url);
    await client.connect();
    try {
      const out: unknown[] = [];
      for (const [t, order] of [["events", "cluster, id"], ["pod_spans", "cluster, pod_uid"], ["cluster_stats", "cluster"], ["cluster_namespaces", "cluster, namespace"]]) {
        out.push((await client.query(`SELECT * FROM ${t} ORDER BY ${order}`)).rows);
      }
      return JSON.stringify(out);
    } finally {
      await client.end();
    }
  }

  it("leave the store exactly as importEvents does, also over rows already watched", async () => {
    const events = observations();
    const a = await pgStore();
    const b = await pgStore();
    const { whole, streamed } = await importBothWays(a.store, b.store, events);
    expect(streamed).toEqual(whole);
    expect(await pgDump(b.url)).toBe(await pgDump(a.url));
  }, 60_000);
});

describe("import rows: an unwritable TMPDIR", () => {
  it("is an ImportError that says so, not a crash", () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(mkdtempSync(join(tmpdir(), "ds-rowsink-")), "missing", "dir");
    try {
      const sink = new ImportRowSink();
      expect(() => {
        for (const e of observations()) sink.add(e);
      }).toThrow(/cannot write the import's temporary file \(set TMPDIR to a writable directory with room\)/);
      sink.close();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
