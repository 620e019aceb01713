/**
 * Export, the I/O half: resolve the view's cluster, read the store and the timeline with the same query
 * the timeline page uses, and render one format. Shared by `drainscope export` and GET /api/export.
 */
import type { TimelineQuery } from "../../lib/api/contracts";
import type { WatcherGap } from "../../lib/model/events";
import { makeBundle, serializeBundle, type BundleView } from "../../lib/export/bundle";
import { riskWindowsCsv } from "../../lib/export/csv";
import { postmortemMarkdown } from "../../lib/export/markdown";
import { svgLayout, timelineSvg } from "../../lib/export/svg";
import { serializeTrace } from "../../lib/export/trace";
import { EXPORT_CONTENT_TYPES, exportBaseName, exportFileName, type ExportFormat, type ExportInput } from "../../lib/export/types";
import { EmptyRangeError, episodeStart, getTimeline, NOTHING_LIVE, NotFoundError, type IsLive } from "../queries/timeline";
import type { Store } from "../store/types";
import { svgToPng } from "./png";

export interface ExportResult {
  readonly body: string | Buffer;
  readonly contentType: string;
  readonly fileName: string;
}

/** Several clusters and none named: the caller must choose (a bundle holds one cluster). */
export class AmbiguousClusterError extends Error {
  override name = "AmbiguousClusterError";
}

const EPISODE_MARGIN_MS = 30_000;

async function resolveCluster(store: Store, cluster: string | undefined): Promise<string> {
  const all = (await store.clusters()).map((c) => c.name);
  if (cluster !== undefined) {
    if (!all.includes(cluster)) throw new NotFoundError(`no cluster "${cluster}" in the store (known: ${all.join(", ") || "none"})`);
    return cluster;
  }
  if (all.length === 1 && all[0] !== undefined) return all[0];
  throw new AmbiguousClusterError(all.length === 0 ? "the store is empty: nothing to export" : `the store holds several clusters (${all.join(", ")}): choose one with cluster=`);
}

/** The query with its time range made concrete (the one the view chose), so a bundle reopens exactly this window. */
function concreteQuery(q: TimelineQuery, cluster: string, range: { from: number; to: number }): TimelineQuery {
  if (q.episode) return { ...q, cluster };
  return { ...q, cluster, from: range.from, to: range.to };
}

function viewOf(q: TimelineQuery): BundleView {
  return {
    ...(q.namespace ? { namespace: q.namespace } : {}),
    ...(q.service ? { service: q.service } : {}),
    ...(q.workload ? { workload: q.workload } : {}),
    ...(q.episode ? { episode: q.episode } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
  };
}

/**
 * One view as a file. Without a range or episode it covers what the timeline page would show: the latest
 * episode, else the last day of the data. A range without any observation is an `EmptyRangeError`, never
 * an empty export with a verdict.
 */
export async function exportView(
  store: Store,
  query: TimelineQuery,
  format: ExportFormat,
  now: number,
  env?: Readonly<Record<string, string | undefined>>,
  isLive: IsLive = NOTHING_LIVE,
  openGaps: readonly WatcherGap[] = [],
): Promise<ExportResult> {
  const cluster = await resolveCluster(store, query.cluster);
  // Gaps still open (the watcher out of sync now) count like closed ones: windows over them are `possible`.
  const doc = await getTimeline(store, { ...query, cluster }, now, openGaps, isLive);
  if (doc.noData !== null) throw new EmptyRangeError(doc.noData);
  const q = concreteQuery(query, cluster, doc.range);
  const input: ExportInput = { cluster, view: viewOf(q), doc };
  const out = (body: string | Buffer): ExportResult => ({ body, contentType: EXPORT_CONTENT_TYPES[format], fileName: exportFileName(input, format) });
  switch (format) {
    case "json": {
      // Exactly the observations the timeline was computed from (getTimeline's own store query).
      const start = q.episode ? episodeStart(q.episode) : undefined;
      const events = await store.query({
        cluster,
        ...(q.namespace ? { namespace: q.namespace } : {}),
        ...(q.episode ? {} : q.service ? { service: q.service } : {}),
        from: start !== undefined ? start - EPISODE_MARGIN_MS : (q.from ?? doc.range.from),
        to: start !== undefined ? start + 3600_000 : (q.to ?? doc.range.to),
      });
      return out(serializeBundle(makeBundle(cluster, input.view, events)));
    }
    case "csv":
      return out(riskWindowsCsv(doc.riskWindows));
    case "md":
      return out(postmortemMarkdown(input, { pngFile: `${exportBaseName(input)}.png` }));
    case "trace":
      return out(serializeTrace(input));
    case "svg":
      return out(timelineSvg(input));
    case "png":
      return out(await svgToPng(timelineSvg(input), svgLayout(input), env));
  }
}
