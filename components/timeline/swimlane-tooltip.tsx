/**
 * The swimlane's hover tooltip: what is under the pointer (lib/view/hit-test.ts) in words, plus every risk
 * window covering that pod at that time. Text only: cluster data never becomes HTML.
 */
import type { EpochMs } from "@/lib/model/time";
import { describePrecision, formatDateTime, formatDuration } from "@/lib/view/format";
import { gutterFullText } from "@/lib/view/gutter-text";
import type { Hit } from "@/lib/view/hit-test";
import { isPodRow, type Row } from "@/lib/view/lane-layout";
import { MARKER_NAMES } from "@/lib/view/markers";
import type { TimeAxis } from "@/lib/view/time-axis";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";

export interface TooltipContent {
  readonly x: number;
  readonly y: number;
  readonly lines: readonly string[];
  readonly title: string;
}

/** `axis` stamps every time: in the chosen zone, and with its T+ offset when the axis reads relative. */
export function hitLines(hit: Hit, now: EpochMs, risks: readonly ViewRiskWindow[], t: EpochMs, axis: TimeAxis): { title: string; lines: string[] } {
  const stamp = axis.stamp;
  const clock = (x: EpochMs) => axis.stamp(x).slice(11); // the stamp without its date
  const lines: string[] = [];
  let title = "";
  switch (hit.kind) {
    case "marker": {
      if (hit.cluster.length > 1) {
        // One glyph for markers a few px apart: each of them, in time order (zoom in to see them apart).
        title = `${hit.cluster.length} markers`;
        for (const m of hit.cluster) lines.push(`${MARKER_NAMES[m.kind]} ${clock(m.at)} · ${m.precision}${m.detail ? ` · ${m.detail}` : ""}`);
        break;
      }
      const m = hit.marker;
      title = MARKER_NAMES[m.kind];
      lines.push(stamp(m.at));
      lines.push(describePrecision(m.precision, m.range));
      if (m.range[1] > m.range[0]) lines.push(`range ${formatDateTime(m.range[0], axis.zone)} … ${formatDateTime(m.range[1], axis.zone).slice(11)}`);
      lines.push(m.detail);
      break;
    }
    case "phase":
      title = `phase: ${hit.phase}`;
      lines.push(`${stamp(hit.start)} → ${hit.end !== undefined ? clock(hit.end) : "still open (drawn to now)"}`);
      lines.push(`duration ${formatDuration((hit.end ?? now) - hit.start)}${hit.end === undefined ? " so far" : ""}`);
      break;
    case "membership":
      title = `${hit.state}`;
      lines.push(hit.label);
      lines.push(`${stamp(hit.start)} → ${hit.end !== undefined ? clock(hit.end) : "still open"}`);
      lines.push(`duration ${formatDuration((hit.end ?? now) - hit.start)}`);
      break;
    case "header":
      if (hit.row.kind === "summary") return summaryLines(hit.row);
      // The gutter's text in full (it is shortened to fit there), e.g. "revision 2 · web-7989c7f6f7 · 3 pods".
      title = hit.row.kind === "pod" ? "" : gutterFullText(hit.row);
      break;
  }
  if (isPodRow(hit.row)) {
    const uid = hit.row.lane.uid;
    lines.unshift(`pod ${hit.row.lane.name}`);
    for (const w of risks) {
      if (w.startMs <= t && t <= (w.endMs ?? now) && (w.podUids.length === 0 || w.podUids.includes(uid))) lines.push(`⚠ ${w.severity} ${w.rule} (${formatDuration((w.endMs ?? now) - w.startMs)})`);
    }
  }
  return { title, lines };
}

/** Most replacement pods listed by name in a summary lane's tooltip (the rest counted). */
const SUMMARY_TOOLTIP_PODS = 8;

function summaryLines(row: Extract<Row, { kind: "summary" }>): { title: string; lines: string[] } {
  const g = row.group;
  const lines = [g.detail, `${g.readyCount} of ${g.lanes.length} ready · grey: up, blue: ready`];
  for (const l of g.lanes.slice(0, SUMMARY_TOOLTIP_PODS)) {
    const ready = l.keyTimes.firstReady?.at;
    lines.push(`${l.name} ${ready !== undefined ? `ready ${formatDateTime(ready).slice(11)}` : "never ready"}`);
  }
  if (g.lanes.length > SUMMARY_TOOLTIP_PODS) lines.push(`… and ${g.lanes.length - SUMMARY_TOOLTIP_PODS} more`);
  lines.push("click: show or hide each pod");
  return { title: g.label, lines };
}

export function SwimlaneTooltip({ tooltip }: { tooltip: TooltipContent | undefined }) {
  if (!tooltip) return null;
  return (
    <div
      role="tooltip"
      data-testid="tooltip"
      className="pointer-events-none absolute z-20 max-w-sm rounded border border-line bg-surface px-2 py-1 text-xs shadow-lg"
      style={{ left: tooltip.x, top: tooltip.y }}
    >
      {tooltip.title ? <div className="font-semibold">{tooltip.title}</div> : null}
      {tooltip.lines.map((l, i) => (
        <div key={i} className="font-mono text-fg-muted">
          {l}
        </div>
      ))}
    </div>
  );
}
