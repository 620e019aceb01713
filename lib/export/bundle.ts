/**
 * The Drainscope bundle: a versioned JSON document holding a view (what was being looked at) and the raw
 * observations behind it. Observations, not the computed timeline, so a colleague's import recomputes the
 * same picture with the same engine — and a better engine later reads the old bundle better.
 *
 * Layout: a header line, then one observation per line in (at, seq, id) order, each in canonical JSON, so
 * the same observations always give the same bytes and an import error can name a line.
 */
import { compareEvents, type LifecycleEvent } from "../model/events";
import { canonicalJson } from "./canonical-json";

export const BUNDLE_FORMAT = "drainscope-bundle";
export const BUNDLE_VERSION = 1;

/** The timeline view a bundle reopens: the query behind it, plus selection. Times are epoch ms. */
export interface BundleView {
  readonly namespace?: string;
  readonly service?: string;
  readonly workload?: string;
  readonly episode?: string;
  readonly from?: number;
  readonly to?: number;
  readonly pod?: string;
  readonly risk?: string;
  /** Pinned pod uids: the lanes the view was narrowed to (lib/export/view-selection.ts). */
  readonly pinned?: readonly string[];
}

export interface Bundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  readonly cluster: string;
  readonly view: BundleView;
  readonly observations: readonly LifecycleEvent[];
}

export function makeBundle(cluster: string, view: BundleView, observations: readonly LifecycleEvent[]): Bundle {
  const byId = new Map<string, LifecycleEvent>();
  for (const e of observations) if (!byId.has(e.id)) byId.set(e.id, e);
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, cluster, view, observations: [...byId.values()].sort(compareEvents) };
}

export function serializeBundle(b: Bundle): string {
  const head = `{"format":${JSON.stringify(b.format)},"version":${b.version},"cluster":${JSON.stringify(b.cluster)},"view":${canonicalJson(b.view)},"observations":[`;
  const rows = [...b.observations].sort(compareEvents).map((e) => canonicalJson(e));
  return rows.length === 0 ? `${head}]}\n` : `${head}\n${rows.join(",\n")}\n]}\n`;
}
