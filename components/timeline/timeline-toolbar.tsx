"use client";
/** The bar above the swimlane: verdict, visible range, export, zoom/pan, follow, brush readout, counts. */
import { memo, useEffect, useRef, useState } from "react";
import { formatClock, formatDate, formatDateTime, formatDuration, UTC_ZONE, zoneLabel } from "@/lib/view/format";
import type { TimeWindow } from "@/lib/view/time-scale";
import type { TimelineDoc } from "@/lib/view/timeline-doc";
import type { TimelineViewState } from "@/lib/view/url-state";
import { panWindow, zoomWindow } from "@/lib/view/viewport";
import { ExportMenu } from "./export-menu";
import { useTimeAxis } from "./time-axis-context";
import type { StreamStatus } from "./use-live-follow";
import { ViewVerdict } from "./view-verdict";
import type { ViewStore } from "./view-store";

export interface TimelineToolbarProps {
  readonly doc: TimelineDoc | undefined;
  readonly state: TimelineViewState;
  readonly view: ViewStore;
  /** The settled visible window (what the export writes). */
  readonly committed: TimeWindow;
  readonly update: (patch: Partial<TimelineViewState>) => void;
  readonly fit: () => void;
  readonly streamStatus: StreamStatus;
  readonly fetching: boolean;
  /** Pod uids in the swimlane's drawing order (the Export menu says which of them the files hold). */
  readonly lanes: readonly string[];
}

export function TimelineToolbar({ doc, state, view, committed, update, fit, streamStatus, fetching, lanes }: TimelineToolbarProps) {
  const { zone } = useTimeAxis();
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-line bg-surface px-3 py-1.5 text-xs">
      {doc && !doc.noData ? <ViewVerdict doc={doc} episode={state.episode} /> : null}
      <RangeReadout view={view} zone={zone} />
      <ExportMenu state={state} window={committed} doc={doc} lanes={lanes} />
      <div className="flex items-center gap-1" role="group" aria-label="Zoom and pan">
        <ToolButton label="Pan left (A)" onClick={() => view.set(panWindow(view.get(), -0.2))}>◀</ToolButton>
        <ToolButton label="Zoom out (S)" onClick={() => view.set(zoomWindow(view.get(), 1.25))}>−</ToolButton>
        <ToolButton label="Zoom in (W)" onClick={() => view.set(zoomWindow(view.get(), 0.8))}>+</ToolButton>
        <ToolButton label="Pan right (D)" onClick={() => view.set(panWindow(view.get(), 0.2))}>▶</ToolButton>
        <ToolButton label="Fit to episode (F)" onClick={fit}>Fit</ToolButton>
      </div>
      <button
        type="button"
        aria-pressed={state.follow}
        data-testid="follow"
        onClick={() => update({ follow: !state.follow })}
        className={`min-w-48 rounded border px-2 py-0.5 text-center ${state.follow ? "border-ok bg-ok text-white" : "border-line hover:bg-surface-sunken"}`}
      >
        {state.follow ? `● Live${streamStatus === "live" ? "" : ` (${streamStatus})`} — pause` : "▶ Follow live"}
      </button>
      {state.brush ? (
        <span className="flex items-center gap-1 rounded border border-accent px-2 py-0.5" data-testid="brush-readout">
          selection <span className="font-mono font-semibold" data-testid="brush-duration">{formatDuration(state.brush.end - state.brush.start)}</span>
          <span className="font-mono text-fg-muted">
            ({formatDateTime(state.brush.start, zone).slice(11)} → {formatDateTime(state.brush.end, zone).slice(11)})
          </span>
          <button type="button" className="text-accent hover:underline" onClick={() => { if (state.brush) view.set(state.brush); update({ brush: undefined }); }}>
            zoom
          </button>
          <button type="button" className="text-accent hover:underline" onClick={() => update({ brush: undefined })}>
            clear
          </button>
        </span>
      ) : (
        // Zero basis: the hint takes the room left on the row and truncates there (full text on hover)
        // instead of wrapping the toolbar onto a second line.
        <span className="min-w-0 flex-1 basis-0 truncate text-fg-muted" title={HINT}>
          {HINT}
        </span>
      )}
      <span className={`ml-auto text-fg-muted ${fetching ? "" : "invisible"}`} aria-hidden={!fetching}>
        updating…
      </span>
    </div>
  );
}

/** UTC as ever ("…05:41:01.000Z → 05:42:10.000Z (1 m 09 s)"); another zone is named once, at the end. */
const HINT = "Drag to pan · Shift+drag or drag the ruler to measure · Ctrl+wheel zoom · W/S A/D F · ↑↓ pods · N/P risks · X pin";

function readoutText(w: TimeWindow, zone: string): string {
  if (zone === UTC_ZONE) return `${formatDateTime(w.start)} → ${formatDateTime(w.end).slice(11)} (${formatDuration(w.end - w.start)})`;
  return `${formatDate(w.start, zone)} ${formatClock(w.start, true, zone)} → ${formatClock(w.end, true, zone)} ${zoneLabel(w.end, zone)} (${formatDuration(w.end - w.start)})`;
}

/** The visible range, written straight into the DOM once per frame while zooming or panning: no React render. */
const RangeReadout = memo(function RangeReadout({ view, zone }: { view: ViewStore; zone: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [initial] = useState(view.get);
  useEffect(() => {
    let raf = 0;
    const write = () => {
      raf = 0;
      const el = ref.current;
      const w = view.get();
      if (!el) return;
      el.textContent = readoutText(w, zone);
      el.dataset.from = String(w.start);
      el.dataset.to = String(w.end);
    };
    write();
    const unsub = view.subscribe(() => {
      if (!raf) raf = requestAnimationFrame(write);
    });
    return () => {
      unsub();
      cancelAnimationFrame(raf);
    };
  }, [view, zone]);
  return (
    <span ref={ref} className="font-mono tabular-nums" data-testid="range-readout" data-from={initial.start} data-to={initial.end}>
      {readoutText(initial, zone)}
    </span>
  );
});

function ToolButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" title={label} aria-label={label} onClick={onClick} className="min-w-7 rounded border border-line px-1.5 py-0.5 hover:bg-surface-sunken">
      {children}
    </button>
  );
}
