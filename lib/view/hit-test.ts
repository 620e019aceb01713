/** What is under the pointer: a marker (within a few pixels), else the phase or membership interval. */
import type { EpochMs } from "../model/time";
import type { Row } from "./lane-layout";
import { clusterMarkers } from "./label-layout";
import { podMarkers, type Marker } from "./markers";
import type { TimeScale } from "./time-scale";

export type Hit =
  | {
      readonly kind: "marker";
      readonly row: Row;
      readonly marker: Marker;
      /** Every marker drawn in the same glyph (lib/view/label-layout.ts clusters), in time order: the tooltip lists them. */
      readonly cluster: readonly Marker[];
    }
  | { readonly kind: "phase"; readonly row: Row; readonly phase: string; readonly start: EpochMs; readonly end?: EpochMs }
  | { readonly kind: "membership"; readonly row: Row; readonly label: string; readonly state: string; readonly start: EpochMs; readonly end?: EpochMs }
  | { readonly kind: "header"; readonly row: Row };

const MARKER_SLOP_PX = 6;

export function hitTest(row: Row | undefined, x: number, scale: TimeScale): Hit | undefined {
  if (!row) return undefined;
  const t = scale.pxToTime(x);
  switch (row.kind) {
    case "workload":
    case "revision":
    case "summary": // a replacement summary lane: its tooltip says what it sums up; a click expands it
      return { kind: "header", row };
    case "pod": {
      let best: Marker | undefined;
      let bestDist = MARKER_SLOP_PX;
      const markers = podMarkers(row.lane);
      for (const m of markers) {
        const d = Math.abs(scale.timeToPx(m.at) - x);
        if (d <= bestDist) {
          best = m;
          bestDist = d;
        }
      }
      if (best) {
        const found = best;
        const all = markers.map((m) => ({ m, x: scale.timeToPx(m.at) }));
        const cluster = clusterMarkers(all).find((c) => c.markers.includes(found))?.markers ?? [found];
        return { kind: "marker", row, marker: found, cluster };
      }
      const p = row.lane.phases.find((ph) => ph.start <= t && (ph.end === undefined || t < ph.end || (ph.end === ph.start && t <= ph.end)));
      return p ? { kind: "phase", row, phase: p.kind, start: p.start, ...(p.end !== undefined ? { end: p.end } : {}) } : undefined;
    }
    case "endpoint": {
      const lane = row.lane.endpoints[row.index];
      const iv = lane?.intervals.find((i) => i.start <= t && (i.end === undefined || t < i.end));
      return lane && iv ? { kind: "membership", row, label: `EndpointSlice ${lane.slice} (service ${lane.service})`, state: iv.state, start: iv.start, ...(iv.end !== undefined ? { end: iv.end } : {}) } : undefined;
    }
    case "lb": {
      const lane = row.lane.lbMembers[row.index];
      const iv = lane?.intervals.find((i) => i.start <= t && (i.end === undefined || t < i.end));
      return lane && iv ? { kind: "membership", row, label: `LB ${lane.lb} member ${lane.member} (${lane.lbSource})`, state: iv.state, start: iv.start, ...(iv.end !== undefined ? { end: iv.end } : {}) } : undefined;
    }
  }
}
