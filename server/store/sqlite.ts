/**
 * The default store: one SQLite file (better-sqlite3), nothing to set up.
 *
 * Durability: WAL journal with `synchronous = NORMAL`. A commit is in the WAL file before `append`
 * returns, so a crashed or `kill -9`ed process loses nothing it committed and the file always opens
 * consistent. What NORMAL gives up, against FULL, is the fsync of the WAL on every commit: after a power
 * loss or kernel crash the last transactions before the next checkpoint may roll back (never corrupt).
 * That costs at most the last batch, which the watcher's next relist re-observes (appends are
 * idempotent), and it buys several times the write throughput on slow disks. Use PostgreSQL where that
 * trade is not acceptable.
 *
 * better-sqlite3 is synchronous: a big query blocks the event loop for its duration (~0.6 s for the
 * 150,000 events of an 11,000-pod rollout, see bench.ts). The async interface leaves room for a worker.
 */
import Database from "better-sqlite3";
import type { EpochMs, LifecycleEvent } from "../../lib/model/events";
import { byKey, isStorable, clusterDeltas, namespacePairs, podSpans, refuseUnstorable, toRow, type EventRow, type WriteStamp } from "./columns";
import { migrateSqlite } from "./migrations";
import { contextSql, deleteClusterSql, gapsSql, livePodUidsSql, looseEventsSql, podEventsSql, pruneSql, sqliteParams, WATCHED_CLUSTERS_SQL, type Statement } from "./query-sql";
import { dataSpanSql, toDataSpan } from "./span-sql";
import { assembleResult, namespacesInvolved, parseInto, summarise, surroundings, withRejected, type BadRowSink } from "./results";
import { StoreOpenFailure, type AppendResult, type ClusterSummary, type DataSpan, type DataSpanQuery, type EventQuery, type LivePodsQuery, type Store, type StoreStats, type SyncMark } from "./types";

export interface SqliteStoreOptions {
  readonly file: string;
  /** The store's clock: rows' recorded-at (retention), `stats().lastWriteAt` and migration records. */
  readonly now?: () => EpochMs;
  /** Where a skipped unreadable row is reported (default: console.warn). */
  readonly warn?: (line: string) => void;
  /** SQLite's page cache for this connection, in KiB (default 64 MiB, for the dashboard's reads). */
  readonly cacheKiB?: number;
}

/** The page cache a store opens with unless told otherwise (KiB). */
export const DEFAULT_CACHE_KIB = 65536;

/** `importRows`' page cache (KiB, as PRAGMA cache_size takes it when negative). */
const IMPORT_CACHE_SIZE = -16384;

type Row14 = [string, string, string, string, string | null, string | null, string | null, number, number, number, number, string, number, number];

const INSERT_EVENT = `INSERT INTO events (cluster, id, type, namespace, pod_uid, service, object_name, at, lo, hi, seq, payload, recorded_at, imported)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster, id) DO NOTHING`;
/** An import adopts rows already stored: they become imported, so retention leaves them alone too. */
const ADOPT_EVENT = "UPDATE events SET imported = 1 WHERE cluster = ? AND id = ? AND imported = 0";
const UPSERT_SPAN = `INSERT INTO pod_spans (cluster, pod_uid, namespace, first_lo, last_hi, removed, last_recorded, imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (cluster, pod_uid) DO UPDATE SET first_lo = min(first_lo, excluded.first_lo),
  last_hi = max(last_hi, excluded.last_hi), removed = max(removed, excluded.removed),
  last_recorded = max(last_recorded, excluded.last_recorded), imported = max(imported, excluded.imported)`;
const ADD_STATS = `INSERT INTO cluster_stats (cluster, events, first_at, last_at, origin) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (cluster) DO UPDATE SET events = events + excluded.events,
  first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`;
const ADD_NAMESPACE = "INSERT INTO cluster_namespaces (cluster, namespace) VALUES (?, ?) ON CONFLICT DO NOTHING";

function sqliteCode(err: unknown): string {
  return err instanceof Error && "code" in err && typeof err.code === "string" ? err.code : "";
}

function openFailure(file: string, err: unknown): StoreOpenFailure | undefined {
  const code = sqliteCode(err);
  const why = err instanceof Error ? err.message : String(err);
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || code === "SQLITE_PERM" || code === "SQLITE_IOERR")
    return new StoreOpenFailure("unwritable", `cannot open ${file} for writing (${why}); set DRAINSCOPE_DATA_DIR to a writable directory`);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT")
    return new StoreOpenFailure("corrupt", `${file} is not a usable Drainscope database (${why}); move it aside to start afresh`);
  return undefined;
}

/** Opens (creating if needed) and migrates. Throws `StoreOpenFailure` for expected failures. */
export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const now = opts.now ?? Date.now;
  let db: Database.Database | undefined;
  try {
    db = new Database(opts.file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // Several processes may share the file (a watcher and a dashboard): wait for the writer, don't fail.
    db.pragma("busy_timeout = 5000");
    db.pragma(`cache_size = -${opts.cacheKiB ?? DEFAULT_CACHE_KIB}`);
    migrateSqlite(db, now());
    return new SqliteStore(db, opts.file, now, opts.warn ?? ((l) => console.warn(l)));
  } catch (err) {
    db?.close();
    throw openFailure(opts.file, err) ?? err;
  }
}

class SqliteStore implements Store {
  readonly kind = "sqlite";
  private readonly insertEvent: Database.Statement<Row14>;
  private readonly adoptEvent: Database.Statement<[string, string]>;
  private readonly upsertSpan: Database.Statement<[string, string, string, number, number, number, number, number]>;
  private readonly addStats: Database.Statement<[string, number, number, number, string]>;
  private readonly addNamespace: Database.Statement<[string, string]>;
  private readonly statements = new Map<string, Database.Statement<[Record<string, unknown>], string>>();
  private lastWriteMs: number | undefined;
  private lastWriteAt: EpochMs | undefined;

  private readonly badRow: BadRowSink;

  /** Committed event writes (append, import, prune, delete) through this connection: see `dataVersion`. */
  private writes = 0;

  constructor(private readonly db: Database.Database, readonly location: string, private readonly now: () => EpochMs, warn: (line: string) => void) {
    this.badRow = (why) => warn(`store ${location}: skipped an unreadable row (${why})`);
    this.insertEvent = db.prepare<Row14>(INSERT_EVENT);
    this.adoptEvent = db.prepare(ADOPT_EVENT);
    this.upsertSpan = db.prepare(UPSERT_SPAN);
    this.addStats = db.prepare(ADD_STATS);
    this.addNamespace = db.prepare(ADD_NAMESPACE);
  }

  private writeBatch = (rows: readonly EventRow[], stamp: WriteStamp): number => {
    const inserted: EventRow[] = [];
    const recorded = Math.floor(stamp.recordedAt);
    const imported = stamp.imported ? 1 : 0;
    for (const r of rows) {
      const res = this.insertEvent.run(r.cluster, r.id, r.type, r.namespace, r.podUid, r.service, r.objectName, r.at, r.lo, r.hi, r.seq, r.payload, recorded, imported);
      if (res.changes > 0) inserted.push(r);
      else if (stamp.imported) this.adoptEvent.run(r.cluster, r.id);
    }
    const origin = stamp.imported ? "imported" : "watched";
    for (const d of clusterDeltas(inserted)) this.addStats.run(d.cluster, d.events, d.firstAt, d.lastAt, origin);
    for (const [cluster, namespace] of namespacePairs(inserted)) this.addNamespace.run(cluster, namespace);
    for (const s of podSpans(rows)) this.upsertSpan.run(s.cluster, s.podUid, s.namespace, s.firstLo, s.lastHi, s.removed ? 1 : 0, recorded, imported);
    return inserted.length;
  };

  private write(storable: readonly LifecycleEvent[], imported: boolean): number {
    const started = performance.now();
    const rows = storable.map(toRow).sort(byKey);
    const inserted = this.db.transaction(this.writeBatch).immediate(rows, { recordedAt: this.now(), imported });
    this.writes++;
    this.lastWriteMs = performance.now() - started;
    this.lastWriteAt = this.now();
    return inserted;
  }

  async append(events: readonly LifecycleEvent[]): Promise<AppendResult> {
    const storable = events.filter(isStorable);
    if (storable.length === 0) return withRejected({ inserted: 0, duplicates: 0 }, events.length);
    const inserted = this.write(storable, false);
    return withRejected({ inserted, duplicates: storable.length - inserted }, events.length - storable.length);
  }

  async importEvents(events: readonly LifecycleEvent[]): Promise<AppendResult> {
    refuseUnstorable(events);
    if (events.length === 0) return { inserted: 0, duplicates: 0 };
    const inserted = this.write(events, true);
    return { inserted, duplicates: events.length - inserted };
  }

  /**
   * `importEvents` for rows built (and checked with `unstorableReason`) while an import was read:
   * `batches()` yields them in write order (`byKey` across all of them). One transaction.
   */
  async importRows(batches: () => Iterable<readonly EventRow[]>): Promise<AppendResult> {
    const started = performance.now();
    const stamp = { recordedAt: this.now(), imported: true };
    // A big import dirties every page it touches: with the 64 MiB cache that is 64 MiB more RSS. A smaller
    // cache spills dirty pages to the WAL sooner, which the commit writes there anyway.
    const cache = Number(this.db.pragma("cache_size", { simple: true }));
    this.db.pragma(`cache_size = ${IMPORT_CACHE_SIZE}`);
    let inserted = 0;
    let total = 0;
    try {
      this.db
        .transaction(() => {
          for (const rows of batches()) {
            inserted += this.writeBatch(rows, stamp);
            total += rows.length;
          }
        })
        .immediate();
    } finally {
      this.db.pragma(`cache_size = ${cache}`);
    }
    this.writes++;
    this.lastWriteMs = performance.now() - started;
    this.lastWriteAt = this.now();
    return { inserted, duplicates: total - inserted };
  }

  /** Payload strings of a statement; statements are cached by text (the shapes are few). */
  private payloads(s: Statement): string[] {
    let stmt = this.statements.get(s.text);
    if (!stmt) {
      stmt = this.db.prepare<[Record<string, unknown>], string>(s.text).pluck();
      this.statements.set(s.text, stmt);
    }
    return stmt.all(sqliteParams(s.values));
  }

  async query(q: EventQuery): Promise<LifecycleEvent[]> {
    // One read transaction: all parts see the same snapshot even while another process writes.
    return this.db.transaction((): LifecycleEvent[] => {
      const clusters = q.cluster !== undefined ? [q.cluster] : this.clusterNames();
      const podEvents: LifecycleEvent[] = [];
      for (const cluster of clusters) parseInto(podEvents, this.payloads(podEventsSql(cluster, q, "sqlite")), this.badRow);
      const around = surroundings(q, podEvents);
      if (!around) return [];
      const loose: LifecycleEvent[] = [];
      let extra: string[] = [];
      for (const cluster of clusters) {
        parseInto(loose, this.payloads(looseEventsSql(cluster, around, "sqlite")), this.badRow);
        extra = extra.concat(this.payloads(gapsSql(cluster, around, "sqlite")));
      }
      for (const { cluster, namespaces } of namespacesInvolved([podEvents, loose])) {
        extra = extra.concat(this.payloads(contextSql(cluster, namespaces, around.to, "sqlite")));
      }
      return assembleResult(podEvents, loose, parseInto([], extra, this.badRow));
    })();
  }

  private clusterNames(): string[] {
    return this.db.prepare<[], string>("SELECT cluster FROM cluster_stats ORDER BY cluster").pluck().all();
  }

  async clusters(): Promise<ClusterSummary[]> {
    const read = this.db.transaction(() => ({
      totals: this.db
        .prepare<[], { cluster: string; n: number; first_at: number; last_at: number; origin: string }>(
          "SELECT cluster, events AS n, first_at, last_at, origin FROM cluster_stats ORDER BY cluster",
        )
        .all(),
      namespaces: this.db.prepare<[], { cluster: string; namespace: string }>("SELECT cluster, namespace FROM cluster_namespaces").all(),
    }));
    const { totals, namespaces } = read();
    return summarise(totals, namespaces, this.badRow);
  }

  async dataSpan(q: DataSpanQuery): Promise<DataSpan | undefined> {
    const s = dataSpanSql(q, "sqlite");
    return toDataSpan(this.db.prepare<[Record<string, unknown>], { first_at: number | null; last_at: number | null }>(s.text).get(sqliteParams(s.values)));
  }

  async livePodUids(q: LivePodsQuery): Promise<string[]> {
    const s = livePodUidsSql(q, "sqlite");
    return this.db.prepare<[Record<string, unknown>], string>(s.text).pluck().all(sqliteParams(s.values));
  }

  async pruneBefore(cutoff: EpochMs): Promise<number> {
    const run = (s: Statement): number => this.db.prepare<[Record<string, unknown>]>(s.text).run(sqliteParams(s.values)).changes;
    const deleted = this.db
      .transaction((): number => {
        let n = 0;
        for (const cluster of this.db.prepare<[], string>(WATCHED_CLUSTERS_SQL).pluck().all()) {
          const sql = pruneSql(cluster, cutoff, "sqlite");
          n += run(sql.podEvents) + run(sql.looseEvents);
          for (const s of sql.after) run(s);
        }
        return n;
      })
      .immediate();
    this.writes++;
    // Retention runs periodically: a good moment to refresh the planner's statistics, as SQLite advises.
    this.db.pragma("optimize");
    return deleted;
  }

  async deleteCluster(name: string): Promise<number> {
    const run = (st: Statement): number => this.db.prepare<[Record<string, unknown>]>(st.text).run(sqliteParams(st.values)).changes;
    const sql = deleteClusterSql(name, "sqlite");
    const n = this.db
      .transaction((): number => {
        const n = run(sql.events);
        for (const st of sql.rest) run(st);
        return n;
      })
      .immediate();
    this.writes++;
    return n;
  }

  /** This connection's writes, and `data_version`: it moves when another connection (process) commits. */
  async dataVersion(): Promise<string> {
    return `${this.writes}:${String(this.db.pragma("data_version", { simple: true }))}`;
  }

  async stats(): Promise<StoreStats> {
    const n = this.db.prepare<[], number | null>("SELECT sum(events) FROM cluster_stats").pluck().get() ?? 0;
    return {
      events: n,
      ...(this.lastWriteMs !== undefined ? { lastWriteMs: this.lastWriteMs } : {}),
      ...(this.lastWriteAt !== undefined ? { lastWriteAt: this.lastWriteAt } : {}),
    };
  }

  async saveSync(marks: readonly SyncMark[]): Promise<void> {
    if (marks.length === 0) return;
    const upsert = this.db.prepare<[string, string, string, number]>(
      "INSERT INTO sync_state (cluster, resource, namespace, in_sync_at) VALUES (?, ?, ?, ?) ON CONFLICT (cluster, resource, namespace) DO UPDATE SET in_sync_at = excluded.in_sync_at",
    );
    this.db.transaction(() => {
      for (const m of marks) upsert.run(m.cluster, m.resource, m.namespace, Math.floor(m.inSyncAt));
    }).immediate();
  }

  async loadSync(): Promise<SyncMark[]> {
    return this.db
      .prepare<[], { cluster: string; resource: string; namespace: string; in_sync_at: number }>("SELECT cluster, resource, namespace, in_sync_at FROM sync_state ORDER BY cluster, resource, namespace")
      .all()
      .map((r) => ({ cluster: r.cluster, resource: r.resource, namespace: r.namespace, inSyncAt: r.in_sync_at }));
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.pragma("optimize");
    this.db.close();
  }
}
