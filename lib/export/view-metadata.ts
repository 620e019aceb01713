/**
 * What a picture export shows, as data: the view (cluster, query, visible range, pins) and its lanes in
 * drawing order. The SVG carries it as attributes and a <metadata> element, the PNG as a tEXt chunk
 * ("drainscope:view"), so a test — or a reader of a postmortem — can check a picture against the screen.
 */
import { layoutLanes } from "../view/lane-layout";
import { canonicalJson } from "./canonical-json";
import type { ExportInput } from "./types";

export const VIEW_METADATA_KEY = "drainscope:view";

export interface ViewMetadata {
  readonly format: "drainscope-view";
  readonly version: 1;
  readonly cluster: string;
  readonly namespace?: string;
  readonly service?: string;
  readonly workload?: string;
  readonly episode?: string;
  /** The visible range, epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly pinned: readonly string[];
  /** The lanes drawn, top to bottom. */
  readonly lanes: readonly { readonly uid: string; readonly name: string; readonly namespace: string }[];
  readonly riskWindows: number;
}

/** Lanes in the swimlane's order (lib/view/lane-layout: pinned first, then workload → revision → pod). */
export function drawnLaneOrder(input: ExportInput): ExportInput["doc"]["lanes"] {
  const byUid = new Map(input.doc.lanes.map((l) => [l.uid, l]));
  return layoutLanes(input.doc.lanes, input.view.pinned ?? []).podOrder.flatMap((u) => byUid.get(u) ?? []);
}

export function viewMetadata(input: ExportInput): ViewMetadata {
  const v = input.view;
  return {
    format: "drainscope-view",
    version: 1,
    cluster: input.cluster,
    ...(v.namespace ? { namespace: v.namespace } : {}),
    ...(v.service ? { service: v.service } : {}),
    ...(v.workload ? { workload: v.workload } : {}),
    ...(v.episode ? { episode: v.episode } : {}),
    from: input.doc.range.from,
    to: input.doc.range.to,
    pinned: (v.pinned ?? []).filter((u) => input.doc.lanes.some((l) => l.uid === u)),
    lanes: drawnLaneOrder(input).map((l) => ({ uid: l.uid, name: l.name, namespace: l.namespace })),
    riskWindows: input.doc.riskWindows.length,
  };
}

/** The metadata as one line of ASCII JSON (non-ASCII escaped), fit for a PNG tEXt chunk. */
export function viewMetadataText(input: ExportInput): string {
  return canonicalJson(viewMetadata(input)).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
