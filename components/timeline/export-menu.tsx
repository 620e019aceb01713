"use client";
/**
 * Export menu for the timeline toolbar: plain download links to /api/export for the view on screen, one per
 * format (lib/export/export-query: data query, visible range, pinned lanes, lane filters). The server
 * computes the same document the page draws and narrows it with the same function (lib/export/view-selection
 * viewLaneUids); the menu says what the files will hold and exposes it (data-lanes, data-range-*) for tests.
 */
import { useMemo } from "react";
import { exportHref } from "@/lib/export/export-query";
import { viewLaneUids } from "@/lib/export/view-selection";
import { formatDuration } from "@/lib/view/format";
import type { TimeWindow } from "@/lib/view/time-scale";
import { toViewWindows, type TimelineDoc } from "@/lib/view/timeline-doc";
import type { TimelineViewState } from "@/lib/view/url-state";

const FORMATS = [
  { format: "png", label: "PNG image" },
  { format: "svg", label: "SVG image" },
  { format: "md", label: "Markdown summary" },
  { format: "csv", label: "CSV of risk windows" },
  { format: "json", label: "Bundle (re-importable JSON)" },
  { format: "trace", label: "Trace for Perfetto" },
] as const;

interface Props {
  readonly state: TimelineViewState;
  readonly window: TimeWindow | undefined;
  readonly doc: TimelineDoc | undefined;
  /** Pod uids in the swimlane's drawing order. */
  readonly lanes: readonly string[];
}

export function ExportMenu({ state, window, doc, lanes }: Props) {
  // The lanes the files will hold, as the server selects them (view-selection.ts: lane filters, collapsed
  // replacement summaries, then pins),
  // judged on the range the link sends (whole ms), in screen order.
  const { pinned, search, node, riskOnly, hideIdle, pod, episode, expand } = state;
  const exported = useMemo(() => {
    if (!doc) return [...lanes];
    const range = window ? { start: Math.floor(window.start), end: Math.ceil(window.end) } : { start: doc.range.from, end: doc.range.to };
    const filter = { ...(search ? { search } : {}), ...(node ? { node } : {}), ...(riskOnly ? { riskOnly } : {}), ...(hideIdle ? { hideIdle } : {}) };
    const sel = { pinned, filter, ...(hideIdle && pod ? { selected: pod } : {}), ...(episode ? { episode } : {}), ...(expand ? { expanded: expand } : {}) };
    const uids = viewLaneUids(doc.lanes, doc.episodes, toViewWindows(doc.riskWindows), sel, range);
    const at = new Map(lanes.map((u, i) => [u, i]));
    return uids.sort((a, b) => (at.get(a) ?? Infinity) - (at.get(b) ?? Infinity));
  }, [doc, window, lanes, pinned, search, node, riskOnly, hideIdle, pod, episode, expand]);
  const pinnedOnly = pinned.some((u) => exported.includes(u));
  const what = `${exported.length} ${pinnedOnly ? "pinned " : ""}pod${exported.length === 1 ? "" : "s"}${window ? ` · ${formatDuration(window.end - window.start)}` : ""}`;
  return (
    <details
      className="relative"
      data-testid="export-menu"
      data-lanes={exported.join(",")}
      {...(window ? { "data-range-from": Math.floor(window.start), "data-range-to": Math.ceil(window.end) } : {})}
    >
      <summary className="cursor-pointer list-none rounded border border-line px-2 py-0.5 hover:bg-surface-sunken" title={`Export this view: ${what}`}>
        Export ▾
      </summary>
      <ul className="absolute right-0 z-20 mt-1 w-72 rounded border border-line bg-surface py-1 shadow-lg" role="menu">
        <li role="none" className="border-b border-line px-3 pb-1 text-fg-muted" data-testid="export-scope">
          The view on screen: {what}
        </li>
        {FORMATS.map((f) => (
          <li key={f.format} role="none">
            <a role="menuitem" href={exportHref(state, window, f.format)} download className="block px-3 py-1 hover:bg-surface-sunken" data-testid={`export-${f.format}`}>
              {f.label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
