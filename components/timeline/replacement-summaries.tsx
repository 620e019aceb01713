"use client";
/**
 * The replacement summary lanes as buttons (lib/view/replacement-lanes.ts): the canvas draws them and a
 * click on one toggles it; these make the same toggle reachable by keyboard and screen readers (hidden
 * until focused, then shown over the gutter), and say what each lane sums up. Text only.
 */
import { memo } from "react";
import type { LaneLayout } from "@/lib/view/lane-layout";

export const ReplacementSummaries = memo(function ReplacementSummaries({ layout, onToggle }: { layout: LaneLayout; onToggle?: (key: string) => void }) {
  const rows = layout.rows.filter((r) => r.kind === "summary");
  if (rows.length === 0) return null;
  return (
    <ul aria-label="Replacement pods by revision" className="pointer-events-none absolute left-0 top-0">
      {rows.map((r) => (
        <li key={r.group.key}>
          <button
            type="button"
            data-testid="replacement-summary"
            data-key={r.group.key}
            data-count={r.group.lanes.length}
            data-y={r.y}
            aria-expanded={r.expanded}
            onClick={() => onToggle?.(r.group.key)}
            className="sr-only pointer-events-auto rounded border border-accent bg-surface px-2 py-0.5 text-xs focus:not-sr-only focus:absolute focus:left-1 focus:top-1 focus:z-30 focus:whitespace-nowrap"
          >
            {`${r.group.label} · ${r.group.detail}`}
          </button>
        </li>
      ))}
    </ul>
  );
});
