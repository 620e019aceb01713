/**
 * Versioned schema migrations, one numbered step per dialect, applied in one transaction when a store
 * opens. `schema_migrations` records what ran; a database migrated by a newer Drainscope (a version this
 * build does not know) refuses to open rather than be written with the wrong shape.
 *
 * Append new steps at the end and never edit a released one: databases in the field already ran it.
 *
 * Schema (both dialects):
 * - `events`: one row per observation, the whole event as JSON text in `payload` (returned verbatim, so
 *   an export/import round trip is lossless) plus the columns the queries filter on (see columns.ts).
 *   Indexes are partial where a query only ever looks at one kind of row, so each write touches few trees.
 * - `pod_spans`: one row per pod — first start, last end, removed? — kept up to date on append. It answers
 *   "which pods were alive in [from, to]" without scanning every pod's history.
 * - `cluster_stats`, `cluster_namespaces`: what `clusters()` and `stats()` report, kept up to date on
 *   append and recounted on prune, so the home page does not count millions of rows on every refresh.
 *   A namespace is listed while it holds a pod or a ReplicaSet / Deployment / Service.
 *
 * Version 2 (retention by the store's own clock, imports kept): `events.recorded_at` is when the row was
 * written here (existing rows: the migration's time) and `events.imported` marks rows an import brought;
 * `pod_spans` folds both per pod (`last_recorded`, `imported`); `cluster_stats.origin` says whether a
 * cluster was first written by a watcher / ingest (`watched`) or by an import (`imported`). Existing
 * clusters count as watched: nothing before this version recorded where rows came from.
 *
 * Version 3 (open gaps survive a crash or restart): `sync_state` holds, per cluster, resource and
 * namespace ('' = all), the last moment the watcher was in sync. A dashboard that starts again reads it and
 * records the time since as a watcher gap, so its own downtime (or a kill -9 mid-outage) is never silent.
 *
 * Version 4 (cheaper appends): SQLite drops `pod_spans_end` and `pod_spans_live`. No statement of
 * query-sql.ts or span-sql.ts uses them in SQLite's plans (EXPLAIN QUERY PLAN, with and without ANALYZE,
 * wide and narrow windows: the pod part reads `pod_spans_namespace` or the primary key), yet every
 * `pod_spans` upsert rewrote both, one upsert per pod per append. PostgreSQL keeps them: its planner can
 * combine the two for a window query without a namespace (BitmapOr), and its appends were not measured here.
 */
import type { Database } from "better-sqlite3";
import type { PoolClient } from "pg";
import { StoreOpenFailure } from "./types";

/** A step's SQL; a function when it needs the migration's time (e.g. to stamp existing rows). */
type StepSql = string | ((nowMs: number) => string);

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: StepSql;
  readonly postgres: StepSql;
}

const sqlOf = (step: StepSql, nowMs: number): string => (typeof step === "string" ? step : step(Math.floor(nowMs)));

// Partial indexes for retention: only rows it may delete (watched, about no pod / ended pods).
const INDEXES_V2 = `
CREATE INDEX events_recorded ON events (cluster, recorded_at) WHERE pod_uid IS NULL AND imported = 0;
CREATE INDEX pod_spans_recorded ON pod_spans (cluster, last_recorded) WHERE removed = 1 AND imported = 0;
`;

// Every index leads with the cluster: queries and retention run one cluster at a time (there are few),
// so each is an equality plus at most one range, which SQLite plans well without statistics.
const INDEXES_V1 = `
CREATE UNIQUE INDEX events_key ON events (cluster, id);
CREATE INDEX events_time ON events (cluster, at);
CREATE INDEX events_pod ON events (cluster, pod_uid) WHERE pod_uid IS NOT NULL;
CREATE INDEX events_service ON events (cluster, service, pod_uid) WHERE service IS NOT NULL;
CREATE INDEX events_loose ON events (cluster, hi) WHERE pod_uid IS NULL;
CREATE INDEX events_object ON events (cluster, namespace, type, object_name, at) WHERE object_name IS NOT NULL;
CREATE INDEX pod_spans_end ON pod_spans (cluster, last_hi);
CREATE INDEX pod_spans_live ON pod_spans (cluster, first_lo) WHERE removed = 0;
CREATE INDEX pod_spans_namespace ON pod_spans (cluster, namespace);
CREATE TABLE cluster_namespaces (cluster TEXT NOT NULL, namespace TEXT NOT NULL, PRIMARY KEY (cluster, namespace));
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "events and pod spans",
    sqlite: `
CREATE TABLE events (
  rid INTEGER PRIMARY KEY,
  cluster TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  namespace TEXT NOT NULL,
  pod_uid TEXT,
  service TEXT,
  object_name TEXT,
  at INTEGER NOT NULL,
  lo INTEGER NOT NULL,
  hi INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE TABLE pod_spans (
  cluster TEXT NOT NULL,
  pod_uid TEXT NOT NULL,
  namespace TEXT NOT NULL,
  first_lo INTEGER NOT NULL,
  last_hi INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  PRIMARY KEY (cluster, pod_uid)
) WITHOUT ROWID;
CREATE TABLE cluster_stats (cluster TEXT PRIMARY KEY, events INTEGER NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL);
${INDEXES_V1}`,
    // COLLATE "C": byte order, like SQLite's BINARY, and cheaper than a locale for keys nobody reads.
    postgres: `
CREATE TABLE events (
  cluster text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  namespace text COLLATE "C" NOT NULL,
  pod_uid text COLLATE "C",
  service text COLLATE "C",
  object_name text COLLATE "C",
  at bigint NOT NULL,
  lo bigint NOT NULL,
  hi bigint NOT NULL,
  seq bigint NOT NULL,
  payload text NOT NULL
);
CREATE TABLE pod_spans (
  cluster text COLLATE "C" NOT NULL,
  pod_uid text COLLATE "C" NOT NULL,
  namespace text COLLATE "C" NOT NULL,
  first_lo bigint NOT NULL,
  last_hi bigint NOT NULL,
  removed smallint NOT NULL,
  PRIMARY KEY (cluster, pod_uid)
);
CREATE TABLE cluster_stats (cluster text COLLATE "C" PRIMARY KEY, events bigint NOT NULL, first_at bigint NOT NULL, last_at bigint NOT NULL);
${INDEXES_V1}`,
  },
  {
    version: 2,
    name: "recorded-at and origin for retention",
    // `now` is an integer the migration computed, never input: safe to write into the SQL text.
    sqlite: (now) => `
ALTER TABLE events ADD COLUMN recorded_at INTEGER NOT NULL DEFAULT ${now};
ALTER TABLE events ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pod_spans ADD COLUMN last_recorded INTEGER NOT NULL DEFAULT ${now};
ALTER TABLE pod_spans ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cluster_stats ADD COLUMN origin TEXT NOT NULL DEFAULT 'watched';
${INDEXES_V2}`,
    // PostgreSQL stores a constant default without rewriting the table; dropping it afterwards keeps
    // every later insert honest about its own time.
    postgres: (now) => `
ALTER TABLE events ADD COLUMN recorded_at bigint NOT NULL DEFAULT ${now};
ALTER TABLE events ALTER COLUMN recorded_at DROP DEFAULT;
ALTER TABLE events ADD COLUMN imported smallint NOT NULL DEFAULT 0;
ALTER TABLE pod_spans ADD COLUMN last_recorded bigint NOT NULL DEFAULT ${now};
ALTER TABLE pod_spans ALTER COLUMN last_recorded DROP DEFAULT;
ALTER TABLE pod_spans ADD COLUMN imported smallint NOT NULL DEFAULT 0;
ALTER TABLE cluster_stats ADD COLUMN origin text COLLATE "C" NOT NULL DEFAULT 'watched';
${INDEXES_V2}`,
  },
  {
    version: 3,
    name: "watcher sync state",
    sqlite: `CREATE TABLE sync_state (cluster TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, in_sync_at INTEGER NOT NULL, PRIMARY KEY (cluster, resource, namespace)) WITHOUT ROWID;`,
    postgres: `CREATE TABLE sync_state (cluster text COLLATE "C" NOT NULL, resource text COLLATE "C" NOT NULL, namespace text COLLATE "C" NOT NULL, in_sync_at bigint NOT NULL, PRIMARY KEY (cluster, resource, namespace));`,
  },
  {
    version: 4,
    name: "pod span indexes no SQLite query uses",
    sqlite: "DROP INDEX IF EXISTS pod_spans_end; DROP INDEX IF EXISTS pod_spans_live;",
    // Recorded as run, so both dialects share one version number; nothing changes (see the header).
    postgres: "SELECT 1",
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

const CREATE_TABLE = (versionType: string): string =>
  `CREATE TABLE IF NOT EXISTS schema_migrations (version ${versionType} PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;

function tooNew(found: number): StoreOpenFailure {
  return new StoreOpenFailure(
    "schema-too-new",
    `the database schema is version ${found}, newer than this Drainscope knows (${LATEST_SCHEMA_VERSION}); upgrade Drainscope or point it at another database`,
  );
}

function pending(current: number): readonly Migration[] {
  if (current > LATEST_SCHEMA_VERSION) throw tooNew(current);
  return MIGRATIONS.filter((m) => m.version > current);
}

/** Returns the schema version after migrating. Throws `StoreOpenFailure` for a newer schema. */
export function migrateSqlite(db: Database, nowMs: number): number {
  const run = db.transaction((): number => {
    db.exec(CREATE_TABLE("INTEGER"));
    const row = db.prepare<[], { v: number | null }>("SELECT max(version) AS v FROM schema_migrations").get();
    const record = db.prepare<[number, string, number]>("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    let version = row?.v ?? 0;
    for (const m of pending(version)) {
      db.exec(sqlOf(m.sqlite, nowMs));
      record.run(m.version, m.name, nowMs);
      version = m.version;
    }
    return version;
  });
  // IMMEDIATE takes the write lock first, so two processes opening one new file migrate one after the other.
  return run.immediate();
}

/** An arbitrary constant: the advisory lock that serialises migrations across replicas opening at once. */
const MIGRATION_LOCK = 4_242_001;

export async function migratePostgres(client: PoolClient, nowMs: number): Promise<number> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(CREATE_TABLE("integer"));
    const res = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    let version = res.rows[0]?.v ?? 0;
    for (const m of pending(version)) {
      await client.query(sqlOf(m.postgres, nowMs));
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, nowMs]);
      version = m.version;
    }
    await client.query("COMMIT");
    return version;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
