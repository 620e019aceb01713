/**
 * The SQL for `Store.dataSpan`: the first and last event time of a cluster (or one of its namespaces).
 * Two `ORDER BY at LIMIT 1` lookups rather than one `min(at), max(at)`: each walks the `events_time`
 * index (cluster, at) from one end and stops at the first row that matches, instead of reading them all.
 * Rows with a time no page can draw (stored before the door checks times) are left out, like every reader.
 */
import { EARLIEST_TIME, LATEST_TIME } from "../../lib/model/time-limits";
import type { Dialect, Statement } from "./query-sql";
import type { DataSpanQuery } from "./types";

export function dataSpanSql(q: DataSpanQuery, dialect: Dialect): Statement {
  const values: unknown[] = [q.cluster, EARLIEST_TIME, LATEST_TIME];
  const param = (n: number) => (dialect === "sqlite" ? `@p${n}` : `$${n}`);
  let filter = `cluster = ${param(1)} AND at >= ${param(2)} AND at < ${param(3)}`;
  if (q.namespace !== undefined) {
    values.push(q.namespace);
    filter += ` AND namespace = ${param(4)}`;
  }
  const one = (dir: "ASC" | "DESC") => `(SELECT at FROM events WHERE ${filter} ORDER BY at ${dir} LIMIT 1)`;
  return { text: `SELECT ${one("ASC")} AS first_at, ${one("DESC")} AS last_at`, values };
}

/** A row of `dataSpanSql` as a span; PostgreSQL returns bigint as a string. */
export function toDataSpan(row: { first_at: number | string | null; last_at: number | string | null } | undefined): { from: number; to: number } | undefined {
  if (!row || row.first_at === null || row.last_at === null) return undefined;
  return { from: Number(row.first_at), to: Number(row.last_at) };
}
