/**
 * The SQL for `Store.query` and `pruneBefore`, written once for both dialects. Only placeholders and
 * list parameters differ: SQLite binds `@pN` and expands a list with `json_each`; PostgreSQL binds `$n` and
 * takes a list as one array parameter (both stay one statement however long the list is).
 *
 * A query runs in four parts (see `EventQuery`); the pod part is the big one and is answered by choosing
 * pods from `pod_spans` and then reading their events through the `events_pod` index, never by scanning
 * the window for pod events first.
 */
import type { EpochMs } from "../../lib/model/events";
import { OPEN_END } from "./columns";
import type { EventQuery, LivePodsQuery } from "./types";

export type Dialect = "sqlite" | "postgres";

export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}

  add(v: unknown): string {
    this.values.push(v);
    // Numbered in both dialects, so the text may use the values in any order (see `sqliteParams`).
    return this.dialect === "sqlite" ? `@p${this.values.length}` : `$${this.values.length}`;
  }

  /** `column IN list`, as one parameter. */
  inList(column: string, list: readonly string[]): string {
    return this.dialect === "sqlite"
      ? `${column} IN (SELECT value FROM json_each(${this.add(JSON.stringify(list))}))`
      : `${column} = ANY(${this.add(list)}::text[])`;
  }
}

/** better-sqlite3 binds numbered names from an object: `@p1` ← `{ p1: … }`. */
export function sqliteParams(values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  values.forEach((v, i) => (out[`p${i + 1}`] = v));
  return out;
}

/** Conditions meaning "the interval [lo, hi] overlaps [from, to]". */
function overlaps(p: Params, q: EventQuery, lo: string, hi: string): string[] {
  const out: string[] = [];
  if (q.from !== undefined) out.push(`${hi} >= ${p.add(Math.floor(q.from))}`);
  if (q.to !== undefined) out.push(`${lo} <= ${p.add(Math.ceil(q.to))}`);
  return out;
}

const where = (terms: readonly string[]): string => (terms.length ? `WHERE ${terms.join(" AND ")}` : "");
const limitClause = (p: Params, limit: number | undefined): string => (limit === undefined ? "" : `LIMIT ${p.add(limit)}`);

/** `Store.livePodUids`: pods not removed, first seen by `to`, from `pod_spans` alone. */
export function livePodUidsSql(q: LivePodsQuery, dialect: Dialect): Statement {
  const p = new Params(dialect);
  const terms = [`cluster = ${p.add(q.cluster)}`, "removed = 0", `first_lo <= ${p.add(Math.ceil(q.to))}`];
  if (q.namespace !== undefined) terms.push(`namespace = ${p.add(q.namespace)}`);
  return { text: `SELECT pod_uid FROM pod_spans ${where(terms)} ORDER BY pod_uid`, values: p.values };
}

/**
 * Every event of every pod of `cluster` whose lifetime overlaps the window and matches the filters.
 * The pods are chosen first (MATERIALIZED) and drive the join (CROSS JOIN fixes SQLite's join order;
 * PostgreSQL plans it from statistics): reading the cluster's events to test each one's pod would scan
 * weeks of history for a five-minute window.
 */
export function podEventsSql(cluster: string, q: EventQuery, dialect: Dialect): Statement {
  const p = new Params(dialect);
  const terms = [`s.cluster = ${p.add(cluster)}`];
  if (q.namespace !== undefined) terms.push(`s.namespace = ${p.add(q.namespace)}`);
  if (q.podUids !== undefined) terms.push(p.inList("s.pod_uid", q.podUids));
  if (q.service !== undefined) {
    const ns = q.namespace !== undefined ? ` AND v.namespace = ${p.add(q.namespace)}` : "";
    terms.push(`s.pod_uid IN (SELECT v.pod_uid FROM events v WHERE v.cluster = ${p.add(cluster)} AND v.service = ${p.add(q.service)} AND v.pod_uid IS NOT NULL${ns})`);
  }
  if (q.to !== undefined) terms.push(`s.first_lo <= ${p.add(Math.ceil(q.to))}`);
  // A pod not yet removed is alive up to now, so it overlaps any window that starts after its first event.
  if (q.from !== undefined) terms.push(`(s.removed = 0 OR s.last_hi >= ${p.add(Math.floor(q.from))})`);
  const order = q.limit === undefined ? "" : "ORDER BY s.first_lo, s.pod_uid";
  const text = `WITH chosen AS MATERIALIZED (SELECT s.pod_uid FROM pod_spans s ${where(terms)} ${order} ${limitClause(p, q.limit)})
SELECT e.payload FROM chosen c CROSS JOIN events e WHERE e.cluster = ${p.add(cluster)} AND e.pod_uid = c.pod_uid`;
  return { text, values: p.values };
}

/** Events of `cluster` about no pod, in the window, matching the filters. */
export function looseEventsSql(cluster: string, q: EventQuery, dialect: Dialect): Statement {
  const p = new Params(dialect);
  const terms = ["pod_uid IS NULL", `cluster = ${p.add(cluster)}`, ...overlaps(p, q, "lo", "hi")];
  if (q.namespace !== undefined) terms.push(`namespace = ${p.add(q.namespace)}`);
  if (q.service !== undefined) terms.push(`service = ${p.add(q.service)}`);
  const order = q.limit === undefined ? "" : "ORDER BY at, seq, id";
  return { text: `SELECT payload FROM events ${where(terms)} ${order} ${limitClause(p, q.limit)}`, values: p.values };
}

/**
 * Per ReplicaSet / Deployment / Service of these namespaces, the latest `*-seen` event at or before `to`,
 * or the earliest one when every version is later (better some owner chain than none).
 */
export function contextSql(cluster: string, namespaces: readonly string[], to: EpochMs | undefined, dialect: Dialect): Statement {
  const p = new Params(dialect);
  let order = "at DESC, seq DESC, id DESC";
  if (to !== undefined) {
    const t = p.add(Math.ceil(to));
    order = `CASE WHEN at <= ${t} THEN 0 ELSE 1 END, CASE WHEN at <= ${t} THEN -at ELSE at END, CASE WHEN at <= ${t} THEN -seq ELSE seq END, id DESC`;
  }
  const text = `SELECT payload FROM (SELECT payload, ROW_NUMBER() OVER (PARTITION BY namespace, type, object_name ORDER BY ${order}) AS rn
FROM events WHERE object_name IS NOT NULL AND cluster = ${p.add(cluster)} AND ${p.inList("namespace", namespaces)}) latest WHERE rn = 1`;
  return { text, values: p.values };
}

/** Watcher gaps of `cluster` overlapping the window, cluster-wide or of the namespace asked for. */
export function gapsSql(cluster: string, q: EventQuery, dialect: Dialect): Statement {
  const p = new Params(dialect);
  const terms = ["pod_uid IS NULL", `cluster = ${p.add(cluster)}`, `type = 'watcher-gap'`, ...overlaps(p, q, "lo", "hi")];
  if (q.namespace !== undefined) terms.push(`namespace IN ('', ${p.add(q.namespace)})`);
  return { text: `SELECT payload FROM events ${where(terms)}`, values: p.values };
}

/**
 * Retention for one watched cluster, in order (see `Store.pruneBefore`), by recorded time: the events of
 * pods that were removed, hold no imported row and had every row recorded before the cutoff; other
 * watched events recorded before it (keeping each object's latest version and open gaps) — these two
 * report the deleted events — then the spans, and the summaries recounted from what is left. The recount
 * first locks the cluster's summary row (PostgreSQL), so it waits for in-flight appends and its counts,
 * read after the lock in a fresh snapshot, include them: without the lock a concurrent append's increment
 * could be overwritten.
 */
export function pruneSql(cluster: string, cutoff: EpochMs, dialect: Dialect): { podEvents: Statement; looseEvents: Statement; after: Statement[] } {
  const ended = (p: Params, c: string): string =>
    `cluster = ${c} AND removed = 1 AND imported = 0 AND last_recorded < ${p.add(Math.floor(cutoff))}`;
  const a = new Params(dialect);
  const ac = a.add(cluster);
  const podEvents = {
    text: `DELETE FROM events WHERE cluster = ${ac} AND pod_uid IN (SELECT pod_uid FROM pod_spans WHERE ${ended(a, ac)})`,
    values: a.values,
  };
  const b = new Params(dialect);
  const bc = b.add(cluster);
  const looseEvents = {
    text: `DELETE FROM events WHERE pod_uid IS NULL AND imported = 0 AND cluster = ${bc} AND recorded_at < ${b.add(Math.floor(cutoff))}
  AND hi < ${b.add(OPEN_END)} AND (object_name IS NULL OR at < (
  SELECT max(o.at) FROM events o WHERE o.object_name IS NOT NULL AND o.cluster = ${bc}
    AND o.namespace = events.namespace AND o.type = events.type AND o.object_name = events.object_name))`,
    values: b.values,
  };
  const c = new Params(dialect);
  const spans = { text: `DELETE FROM pod_spans WHERE ${ended(c, c.add(cluster))}`, values: c.values };
  return { podEvents, looseEvents, after: [spans, ...recountSql(cluster, dialect)] };
}

/** Recount a cluster's summary rows from what is left, dropping them when nothing is. */
function recountSql(cluster: string, dialect: Dialect): Statement[] {
  /** The statements below bind only the cluster. */
  const one = new Params(dialect);
  const k = one.add(cluster);
  const byCluster = (text: string): Statement => ({ text, values: one.values });
  return [
    ...(dialect === "postgres" ? [byCluster(`SELECT 1 FROM cluster_stats WHERE cluster = ${k} FOR UPDATE`)] : []),
    // min/max are index seeks on events_time; the count scans that index's range for the cluster.
    byCluster(`UPDATE cluster_stats SET events = (SELECT count(*) FROM events WHERE cluster = ${k}),
  first_at = coalesce((SELECT min(at) FROM events WHERE cluster = ${k}), first_at),
  last_at = coalesce((SELECT max(at) FROM events WHERE cluster = ${k}), last_at)
WHERE cluster = ${k}`),
    byCluster(`DELETE FROM cluster_stats WHERE cluster = ${k} AND events = 0`),
    byCluster(`DELETE FROM cluster_namespaces WHERE cluster = ${k}
  AND NOT EXISTS (SELECT 1 FROM pod_spans s WHERE s.cluster = ${k} AND s.namespace = cluster_namespaces.namespace)
  AND NOT EXISTS (SELECT 1 FROM events o WHERE o.object_name IS NOT NULL AND o.cluster = ${k} AND o.namespace = cluster_namespaces.namespace)`),
  ];
}

/** Clusters retention looks at: only those a watcher or ingest created. */
export const WATCHED_CLUSTERS_SQL = "SELECT cluster FROM cluster_stats WHERE origin = 'watched' ORDER BY cluster";

/** Removing one cluster: its events (the count returned), then its spans, namespaces and summary. */
export function deleteClusterSql(cluster: string, dialect: Dialect): { events: Statement; rest: Statement[] } {
  const p = new Params(dialect);
  const k = p.add(cluster);
  const st = (text: string): Statement => ({ text, values: p.values });
  return {
    events: st(`DELETE FROM events WHERE cluster = ${k}`),
    rest: [st(`DELETE FROM pod_spans WHERE cluster = ${k}`), st(`DELETE FROM cluster_namespaces WHERE cluster = ${k}`), st(`DELETE FROM cluster_stats WHERE cluster = ${k}`), st(`DELETE FROM sync_state WHERE cluster = ${k}`)],
  };
}
