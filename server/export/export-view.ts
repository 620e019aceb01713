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
import { selectView } from "../../lib/export/view-selection";
import { VIEW_METADATA_KEY, viewMetadataText } from "../../lib/export/view-metadata";
import { addPngText } from "../../lib/export/png-text";
import { EmptyRangeError, episodeStart, getTimeline, NOTHING_LIVE, NotFoundError, type IsLive } from "../queries/timeline";
import type { LaneFilter } from "../../lib/view/lane-filter";
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

/** The query with its time range made concrete (the one the view shows), so a bundle reopens exactly this window. */
function concreteQuery(q: TimelineQuery, cluster: string, range: { from: number; to: number }): TimelineQuery {
  return { ...q, cluster, from: range.from, to: range.to };
}

function viewOf(q: TimelineQuery, pinned: readonly string[]): BundleView {
  return {
    ...(q.namespace ? { namespace: q.namespace } : {}),
    ...(q.service ? { service: q.service } : {}),
    ...(q.workload ? { workload: q.workload } : {}),
    ...(q.episode ? { episode: q.episode } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(pinned.length > 0 ? { pinned } : {}),
  };
}

/** What narrows the view's document to the screen: the pinned lanes (uids) and the lane filters. The range is the query's. */
export interface ExportSelection {
  readonly pinned?: readonly string[];
  /** Replacement summaries expanded on screen (`rev:<workload>:<revision>`); collapsed ones export no pod lanes. */
  readonly expanded?: readonly string[];
  readonly filter?: LaneFilter;
  readonly selected?: string;
}

/**
 * One view as a file: the view on screen. The document is the one the timeline page draws (an episode is
 * computed whole), narrowed by lib/export/view-selection to the visible range (`from`/`to`, also inside
 * an episode), the lane filters and the pinned lanes: exactly the lanes on screen. Without a range or episode it covers what the timeline page would
 * show: the latest episode, else the last day of the data. A range without any observation is an
 * `EmptyRangeError`, never an empty export with a verdict.
 */
function without<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

export async function exportView(
  store: Store,
  query: TimelineQuery,
  format: ExportFormat,
  now: number,
  env?: Readonly<Record<string, string | undefined>>,
  isLive: IsLive = NOTHING_LIVE,
  openGaps: readonly WatcherGap[] = [],
  selection: ExportSelection = {},
): Promise<ExportResult> {
  const cluster = await resolveCluster(store, query.cluster);
  // An episode is computed whole, as the timeline page fetches it; its visible range only narrows it.
  const dataQuery: TimelineQuery = query.episode ? { ...without(query, "from", "to"), cluster } : { ...query, cluster };
  const visible = query.episode && query.from !== undefined && query.to !== undefined ? { from: query.from, to: query.to } : undefined;
  // Gaps still open (the watcher out of sync now) count like closed ones: windows over them are `possible`.
  const whole = await getTimeline(store, dataQuery, now, openGaps, isLive);
  if (whole.noData !== null) throw new EmptyRangeError(whole.noData);
  const pinned = (selection.pinned ?? []).filter((u) => whole.lanes.some((l) => l.uid === u));
  const doc = selectView(whole, {
    ...(visible ? { range: visible } : {}),
    pinned,
    ...(query.episode ? { episode: query.episode } : {}),
    ...(selection.expanded ? { expanded: selection.expanded } : {}),
    ...(selection.filter ? { filter: selection.filter } : {}),
    ...(selection.selected !== undefined ? { selected: selection.selected } : {}),
  });
  const q = concreteQuery(query, cluster, doc.range);
  const input: ExportInput = { cluster, view: viewOf(q, pinned), doc };
  const out = (body: string | Buffer): ExportResult => ({ body, contentType: EXPORT_CONTENT_TYPES[format], fileName: exportFileName(input, format) });
  switch (format) {
    case "json": {
      // Exactly the observations the timeline was computed from (getTimeline's own store query).
      const start = q.episode ? episodeStart(q.episode) : undefined;
      // The observations of the whole data query (an episode's, or the range's): the bundle recomputes the
      // same engine result, and its view (range, pins) narrows it again on import.
      const events = await store.query({
        cluster,
        ...(q.namespace ? { namespace: q.namespace } : {}),
        ...(q.episode ? {} : q.service ? { service: q.service } : {}),
        from: start !== undefined ? start - EPISODE_MARGIN_MS : doc.range.from,
        to: start !== undefined ? start + 3600_000 : doc.range.to,
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
      return out(Buffer.from(addPngText(await svgToPng(timelineSvg(input), svgLayout(input), env), VIEW_METADATA_KEY, viewMetadataText(input))));
  }
}
