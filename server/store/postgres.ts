/**
 * The PostgreSQL store (DATABASE_URL=postgres://…): for long retention, several watchers (one per cluster)
 * and several dashboard replicas sharing one database.
 *
 * Concurrency: appends are `INSERT … ON CONFLICT DO NOTHING`, so two writers racing on the same event
 * both succeed and it is stored once. Every batch writes its rows in key order (events, then cluster
 * summaries, then pod spans), which gives all writers one lock order and rules out deadlocks between
 * overlapping batches; a deadlock or serialisation failure from anything else is retried. Migrations take
 * an advisory lock, so replicas starting together migrate once. Reads run in one REPEATABLE READ snapshot.
 *
 * Rows go in as one JSON parameter through `json_to_recordset`: one statement per chunk, not one per
 * row, no limit on parameters, and `JSON.stringify` (native) costs half the CPU of pg's per-element
 * array escaping (37k vs 25k events/s on 2 cores). Payloads are `text`, not `jsonb`: nothing queries
 * inside them, and text keeps them byte-exact and skips jsonb's parse on every write.
 */
import pg from "pg";
import type { EpochMs, LifecycleEvent } from "../../lib/model/events";
import { byKey, isStorable, podSpans, refuseUnstorable, toRow, type EventRow, type PodSpan, type WriteStamp } from "./columns";
import { migratePostgres } from "./migrations";
import { contextSql, deleteClusterSql, gapsSql, livePodUidsSql, looseEventsSql, podEventsSql, pruneSql, WATCHED_CLUSTERS_SQL, type Statement } from "./query-sql";
import { dataSpanSql, toDataSpan } from "./span-sql";
import { assembleResult, namespacesInvolved, parseInto, summarise, surroundings, withRejected, type BadRowSink } from "./results";
import { type AppendResult, type ClusterSummary, type DataSpan, type DataSpanQuery, type EventQuery, type LivePodsQuery, type Store, type StoreStats, type SyncMark } from "./types";

export interface PostgresStoreOptions {
  readonly url: string;
  /** The store's clock: rows' recorded-at (retention), `stats().lastWriteAt` and migration records. */
  readonly now?: () => EpochMs;
  /** Where a skipped unreadable row is reported (default: console.warn). */
  readonly warn?: (line: string) => void;
  /** Pool size per process. */
  readonly maxConnections?: number;
  readonly connectTimeoutMs?: number;
}

/** Rows per INSERT statement: bounds one statement's size (~2 MB of payload) within a batch's transaction. */
const CHUNK = 5000;

const INSERT_EVENTS = `WITH ins AS (
  INSERT INTO events (cluster, id, type, namespace, pod_uid, service, object_name, at, lo, hi, seq, payload, recorded_at, imported)
  SELECT r.cluster, r.id, r.type, r.namespace, r."podUid", r.service, r."objectName", r.at, r.lo, r.hi, r.seq, r.payload, $2::bigint, $3::smallint
  FROM json_to_recordset($1::json) AS r(cluster text, id text, type text, namespace text, "podUid" text, service text,
    "objectName" text, at bigint, lo bigint, hi bigint, seq bigint, payload text)
  ON CONFLICT (cluster, id) DO NOTHING
  RETURNING cluster, namespace, at, pod_uid, object_name
), stats AS (
  INSERT INTO cluster_stats (cluster, events, first_at, last_at, origin)
  SELECT cluster, count(*), min(at), max(at), $4::text FROM ins GROUP BY cluster ORDER BY cluster
  ON CONFLICT (cluster) DO UPDATE SET events = cluster_stats.events + EXCLUDED.events,
    first_at = LEAST(cluster_stats.first_at, EXCLUDED.first_at), last_at = GREATEST(cluster_stats.last_at, EXCLUDED.last_at)
  RETURNING 1
), ns AS (
  INSERT INTO cluster_namespaces (cluster, namespace)
  SELECT DISTINCT cluster, namespace FROM ins
  WHERE namespace <> '' AND (pod_uid IS NOT NULL OR object_name IS NOT NULL) ORDER BY 1, 2
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS inserted FROM ins`;

const UPSERT_SPANS = `INSERT INTO pod_spans (cluster, pod_uid, namespace, first_lo, last_hi, removed, last_recorded, imported)
SELECT u.*, $7::bigint, $8::smallint FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::smallint[]) AS u
ON CONFLICT (cluster, pod_uid) DO UPDATE SET first_lo = LEAST(pod_spans.first_lo, EXCLUDED.first_lo),
  last_hi = GREATEST(pod_spans.last_hi, EXCLUDED.last_hi), removed = GREATEST(pod_spans.removed, EXCLUDED.removed),
  last_recorded = GREATEST(pod_spans.last_recorded, EXCLUDED.last_recorded), imported = GREATEST(pod_spans.imported, EXCLUDED.imported)`;

/** An import adopts rows already stored: they become imported, so retention leaves them alone too. */
const ADOPT_EVENTS = `UPDATE events SET imported = 1 FROM json_array_elements_text($2::json) AS k(id)
WHERE events.cluster = $1 AND events.id = k.id AND events.imported = 0`;

/** deadlock_detected, serialization_failure: safe to retry a whole idempotent batch. */
const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 3;

/** Ids of a chunk per cluster (an import is one cluster, but nothing here needs to assume it). */
function idsByCluster(rows: readonly { cluster: string; id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.cluster);
    if (list) list.push(r.id);
    else out.set(r.cluster, [r.id]);
  }
  return out;
}

function pgCode(err: unknown): string {
  return err instanceof Error && "code" in err && typeof err.code === "string" ? err.code : "";
}

/** Connects, migrates, and returns the store. Throws (pg errors or `StoreOpenFailure`); open-store.ts explains them. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const now = opts.now ?? Date.now;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: "drainscope",
  });
  const store = new PostgresStore(pool, redactUrl(opts.url), now, opts.warn ?? ((l) => console.warn(l)));
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, now());
    } finally {
      client.release();
    }
    return store;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/** The URL without its password, for logs and health output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}

class PostgresStore implements Store {
  readonly kind = "postgres";
  private lastWriteMs: number | undefined;
  private lastWriteAt: EpochMs | undefined;
  private lastError: string | undefined;
  private readonly badRow: BadRowSink;
  /** Committed event writes through this store object: see `dataVersion`. */
  private writes = 0;

  constructor(private readonly pool: pg.Pool, readonly location: string, private readonly now: () => EpochMs, warn: (line: string) => void) {
    this.badRow = (why) => warn(`store ${location}: skipped an unreadable row (${why})`);
    // An idle pooled connection that drops (server restart) emits here; unhandled, it would crash the
    // process. The next call simply gets a fresh connection; keep the message for stats().
    pool.on("error", (err) => {
      this.lastError = err.message;
    });
  }

  private async inTransaction<T>(work: (c: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      // A connection that cannot even roll back is broken: destroy it rather than return it to the pool.
      let broken = false;
      try {
        await client.query(begin);
        const out = await work(client);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => (broken = true));
        if (!RETRYABLE.has(pgCode(err)) || attempt >= ATTEMPTS) throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  private async write(storable: readonly LifecycleEvent[], imported: boolean): Promise<number> {
    const rows = storable.map(toRow).sort(byKey);
    return (await this.writeRows(() => [rows], imported)).inserted;
  }

  /**
   * `importEvents` for rows built (and checked with `unstorableReason`) while an import was read:
   * `batches()` yields them in write order (`byKey` across all of them). One transaction.
   */
  async importRows(batches: () => Iterable<readonly EventRow[]>): Promise<AppendResult> {
    const { inserted, total } = await this.writeRows(batches, true);
    return { inserted, duplicates: total - inserted };
  }

  /** One transaction: every batch's rows, then the pod spans of all of them (one upsert, in key order). */
  private async writeRows(batches: () => Iterable<readonly EventRow[]>, imported: boolean): Promise<{ inserted: number; total: number }> {
    const started = performance.now();
    const stamp: WriteStamp = { recordedAt: Math.floor(this.now()), imported };
    const flag = imported ? 1 : 0;
    const out = await this.inTransaction(async (c) => {
      let n = 0;
      let total = 0;
      const spanOf = new Map<string, PodSpan>();
      for (const rows of batches()) {
        total += rows.length;
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK);
          const res = await c.query<{ inserted: number }>(INSERT_EVENTS, [JSON.stringify(chunk), stamp.recordedAt, flag, imported ? "imported" : "watched"]);
          n += res.rows[0]?.inserted ?? 0;
          if (imported) {
            for (const [cluster, ids] of idsByCluster(chunk)) await c.query(ADOPT_EVENTS, [cluster, JSON.stringify(ids)]);
          }
        }
        for (const s of podSpans(rows)) {
          const key = `${s.cluster}\u0000${s.podUid}`;
          const had = spanOf.get(key);
          if (!had) spanOf.set(key, s);
          else {
            had.firstLo = Math.min(had.firstLo, s.firstLo);
            had.lastHi = Math.max(had.lastHi, s.lastHi);
            had.removed ||= s.removed;
          }
        }
      }
      const spans = [...spanOf.values()].sort((a, b) => byKey({ cluster: a.cluster, id: a.podUid }, { cluster: b.cluster, id: b.podUid }));
      if (spans.length) {
        await c.query(UPSERT_SPANS, [
          spans.map((s) => s.cluster),
          spans.map((s) => s.podUid),
          spans.map((s) => s.namespace),
          spans.map((s) => s.firstLo),
          spans.map((s) => s.lastHi),
          spans.map((s) => (s.removed ? 1 : 0)),
          stamp.recordedAt,
          flag,
        ]);
      }
      return { inserted: n, total };
    });
    this.writes++;
    this.lastWriteMs = performance.now() - started;
    this.lastWriteAt = this.now();
    return out;
  }

  async append(events: readonly LifecycleEvent[]): Promise<AppendResult> {
    const storable = events.filter(isStorable);
    if (storable.length === 0) return withRejected({ inserted: 0, duplicates: 0 }, events.length);
    const inserted = await this.write(storable, false);
    return withRejected({ inserted, duplicates: storable.length - inserted }, events.length - storable.length);
  }

  async importEvents(events: readonly LifecycleEvent[]): Promise<AppendResult> {
    refuseUnstorable(events);
    if (events.length === 0) return { inserted: 0, duplicates: 0 };
    const inserted = await this.write(events, true);
    return { inserted, duplicates: events.length - inserted };
  }

  async query(q: EventQuery): Promise<LifecycleEvent[]> {
    const payloads = async (c: pg.PoolClient, s: Statement): Promise<string[]> => {
      const res = await c.query<[string]>({ text: s.text, values: s.values, rowMode: "array" });
      return res.rows.map((r) => r[0]);
    };
    return this.inTransaction(async (c) => {
      const clusters = q.cluster !== undefined ? [q.cluster] : await this.clusterNames(c);
      const podEvents: LifecycleEvent[] = [];
      for (const cluster of clusters) parseInto(podEvents, await payloads(c, podEventsSql(cluster, q, "postgres")), this.badRow);
      const around = surroundings(q, podEvents);
      if (!around) return [];
      const loose: LifecycleEvent[] = [];
      let extra: string[] = [];
      for (const cluster of clusters) {
        parseInto(loose, await payloads(c, looseEventsSql(cluster, around, "postgres")), this.badRow);
        extra = extra.concat(await payloads(c, gapsSql(cluster, around, "postgres")));
      }
      for (const { cluster, namespaces } of namespacesInvolved([podEvents, loose])) {
        extra = extra.concat(await payloads(c, contextSql(cluster, namespaces, around.to, "postgres")));
      }
      return assembleResult(podEvents, loose, parseInto([], extra, this.badRow));
    }, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  private async clusterNames(c: pg.PoolClient): Promise<string[]> {
    return (await c.query<{ cluster: string }>("SELECT cluster FROM cluster_stats ORDER BY cluster")).rows.map((r) => r.cluster);
  }

  async clusters(): Promise<ClusterSummary[]> {
    return this.inTransaction(async (c) => {
      const totals = await c.query<{ cluster: string; n: string; first_at: string; last_at: string; origin: string }>(
        "SELECT cluster, events AS n, first_at, last_at, origin FROM cluster_stats ORDER BY cluster",
      );
      const namespaces = await c.query<{ cluster: string; namespace: string }>("SELECT cluster, namespace FROM cluster_namespaces");
      return summarise(totals.rows, namespaces.rows, this.badRow);
    }, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  async dataSpan(q: DataSpanQuery): Promise<DataSpan | undefined> {
    const s = dataSpanSql(q, "postgres");
    const res = await this.pool.query<{ first_at: string | null; last_at: string | null }>(s.text, s.values);
    return toDataSpan(res.rows[0]);
  }

  async livePodUids(q: LivePodsQuery): Promise<string[]> {
    const s = livePodUidsSql(q, "postgres");
    return (await this.pool.query<{ pod_uid: string }>(s.text, s.values)).rows.map((r) => r.pod_uid);
  }

  async pruneBefore(cutoff: EpochMs): Promise<number> {
    return this.inTransaction(async (c) => {
      let deleted = 0;
      for (const cluster of (await c.query<{ cluster: string }>(WATCHED_CLUSTERS_SQL)).rows.map((r) => r.cluster)) {
        const sql = pruneSql(cluster, cutoff, "postgres");
        deleted += (await c.query(sql.podEvents.text, sql.podEvents.values)).rowCount ?? 0;
        deleted += (await c.query(sql.looseEvents.text, sql.looseEvents.values)).rowCount ?? 0;
        for (const s of sql.after) await c.query(s.text, s.values);
      }
      return deleted;
    }).finally(() => this.writes++);
  }

  async deleteCluster(name: string): Promise<number> {
    const sql = deleteClusterSql(name, "postgres");
    return this.inTransaction(async (c) => {
      // Lock the summary row first: an append to this cluster waits instead of racing the delete.
      await c.query("SELECT 1 FROM cluster_stats WHERE cluster = $1 FOR UPDATE", [name]);
      const n = (await c.query(sql.events.text, sql.events.values)).rowCount ?? 0;
      for (const st of sql.rest) await c.query(st.text, st.values);
      return n;
    }).finally(() => this.writes++);
  }

  /**
   * This process's writes, and every cluster's row count and time bounds: another replica's append or prune
   * changes those (a prune recounts). Only a prune and an append of exactly as many rows, between two reads,
   * that leave both time bounds where they were would go unseen; PostgreSQL has no cheap commit counter.
   */
  async dataVersion(): Promise<string> {
    const res = await this.pool.query<{ v: string | null }>("SELECT string_agg(cluster || ':' || events || ':' || first_at || ':' || last_at, ',' ORDER BY cluster) AS v FROM cluster_stats");
    return `${this.writes}|${res.rows[0]?.v ?? ""}`;
  }

  async stats(): Promise<StoreStats> {
    const res = await this.pool.query<{ n: string | null }>("SELECT sum(events) AS n FROM cluster_stats");
    return {
      events: Number(res.rows[0]?.n ?? 0),
      ...(this.lastWriteMs !== undefined ? { lastWriteMs: this.lastWriteMs } : {}),
      ...(this.lastWriteAt !== undefined ? { lastWriteAt: this.lastWriteAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  async saveSync(marks: readonly SyncMark[]): Promise<void> {
    if (marks.length === 0) return;
    await this.pool.query(
      `INSERT INTO sync_state (cluster, resource, namespace, in_sync_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (cluster, resource, namespace) DO UPDATE SET in_sync_at = excluded.in_sync_at`,
      [marks.map((m) => m.cluster), marks.map((m) => m.resource), marks.map((m) => m.namespace), marks.map((m) => String(Math.floor(m.inSyncAt)))],
    );
  }

  async loadSync(): Promise<SyncMark[]> {
    const res = await this.pool.query<{ cluster: string; resource: string; namespace: string; in_sync_at: string }>("SELECT cluster, resource, namespace, in_sync_at FROM sync_state ORDER BY cluster, resource, namespace");
    return res.rows.map((r) => ({ cluster: r.cluster, resource: r.resource, namespace: r.namespace, inSyncAt: Number(r.in_sync_at) }));
  }

  async close(): Promise<void> {
    if (this.pool.ended) return;
    await this.pool.end();
  }
}
