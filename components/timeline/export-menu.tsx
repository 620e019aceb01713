"use client";
/**
 * Export menu for the timeline toolbar: plain download links to /api/export for the view on screen, one per
 * format (lib/export/export-query: data query, visible range, pinned lanes). The server computes the same
 * document the page draws and narrows it the same way (lib/export/view-selection); the menu says what the
 * files will hold and exposes it (data-lanes, data-range-*) for tests.
 */
import { exportHref } from "@/lib/export/export-query";
import { selectedLaneUids } from "@/lib/export/view-selection";
import { formatDuration } from "@/lib/view/format";
import type { TimeWindow } from "@/lib/view/time-scale";
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
  /** Pod uids in the swimlane's drawing order. */
  readonly lanes: readonly string[];
}

export function ExportMenu({ state, window, lanes }: Props) {
  // The lanes the files will hold, as the server selects them (view-selection.ts), in screen order.
  const exported = selectedLaneUids(lanes.map((uid) => ({ uid })), state.pinned);
  const pinnedOnly = exported.length < lanes.length;
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
