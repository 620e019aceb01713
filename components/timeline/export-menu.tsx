"use client";
/**
 * Export menu for the timeline toolbar: plain download links to /api/export for the view on screen (the
 * same query the page fetches, with the visible window), one per format. No client-side rendering: the
 * server draws the SVG/PNG, so the files match `drainscope export` exactly.
 */
import type { TimeWindow } from "@/lib/view/time-scale";
import { timelineApiQuery, type TimelineViewState } from "@/lib/view/url-state";

const FORMATS = [
  { format: "png", label: "PNG image" },
  { format: "svg", label: "SVG image" },
  { format: "md", label: "Markdown summary" },
  { format: "csv", label: "CSV of risk windows" },
  { format: "json", label: "Bundle (re-importable JSON)" },
  { format: "trace", label: "Trace for Perfetto" },
] as const;

export function exportHref(state: TimelineViewState, window: TimeWindow | undefined, format: string): string {
  const qs = timelineApiQuery(state, window ? { start: Math.floor(window.start), end: Math.ceil(window.end) } : undefined);
  return `/api/export?format=${encodeURIComponent(format)}${qs ? `&${qs}` : ""}`;
}

export function ExportMenu({ state, window }: { readonly state: TimelineViewState; readonly window: TimeWindow | undefined }) {
  return (
    <details className="relative" data-testid="export-menu">
      <summary className="cursor-pointer list-none rounded border border-line px-2 py-0.5 hover:bg-surface-sunken" title="Export this view">
        Export ▾
      </summary>
      <ul className="absolute right-0 z-20 mt-1 w-56 rounded border border-line bg-surface py-1 shadow-lg" role="menu">
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
