"use client";
import { SeverityBadge } from "@/components/common/badges";
import type { Severity } from "@/lib/view/badge-types";
import { formatClock } from "@/lib/view/format";
import { windowDurationText } from "@/lib/view/window-text";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import type { EpochMs } from "@/lib/model/time";

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "info"];
const asSeverity = (s: string): Severity => SEVERITIES.find((x) => x === s) ?? "info";

/** The risk windows of the view, worst first; clicking one zooms the swimlane to it. */
/** `now`: the data's clock; `live` false means the data ends there, so an open window is open at its end. */
/**
 * `unavailable`: why the view has no result (load error, no data): said instead of "no risk window", which
 * would read as all-clear.
 */
export function RiskList({ risks, selected, now, live, unavailable, onPick }: { risks: readonly ViewRiskWindow[]; selected?: string; now: EpochMs; live: boolean; unavailable?: string; onPick: (w: ViewRiskWindow) => void }) {
  const shown = risks.slice(0, 200);
  return (
    <section aria-labelledby="risk-h" className="flex min-h-0 flex-col">
      <h2 id="risk-h" className="flex items-baseline gap-2 border-b border-line px-3 py-2 text-sm font-semibold">
        Risk windows <span className="font-normal text-fg-muted">{risks.length}</span>
      </h2>
      {unavailable !== undefined ? (
        <p className="px-3 py-3 text-sm text-fg-muted" data-testid="risks-unavailable">
          {unavailable}
        </p>
      ) : risks.length === 0 ? (
        <p className="px-3 py-3 text-sm text-fg-muted" data-testid="no-risks">
          No risk window in this view.
        </p>
      ) : null}
      <ol className="min-h-0 flex-1 overflow-y-auto" data-testid="risk-list">
        {shown.map((w) => (
          <li key={w.id}>
            <button
              type="button"
              data-testid="risk-item"
              data-rule={w.rule}
              data-pods={w.podUids.join(" ")}
              aria-pressed={w.id === selected}
              onClick={() => onPick(w)}
              className={`block w-full border-b border-l-4 border-b-line px-3 py-2 text-left text-xs hover:bg-surface-sunken ${w.id === selected ? "bg-surface-sunken" : ""} ${
                w.severity === "critical" ? "border-l-risk-critical" : w.severity === "high" ? "border-l-risk-high" : w.severity === "medium" ? "border-l-risk-medium" : "border-l-line"
              }`}
            >
              <div className="flex items-center gap-2">
                <SeverityBadge severity={asSeverity(w.severity)} />
                <span className="truncate font-mono font-semibold">{w.rule}</span>
              </div>
              <div className="mt-1 text-fg-muted">
                {formatClock(w.startMs)} · <span data-testid="risk-duration">{windowDurationText(w, now, live)}</span> · {w.confidence}
                {w.pods.length > 0 ? ` · ${w.pods.length === 1 ? w.pods[0] : `${w.pods.length} pods`}` : w.service ? ` · service ${w.service}` : ""}
              </div>
              <p className="mt-1 text-fg">{w.explanation}</p>
              {w.fix ? (
                <p className="mt-1 text-fg">
                  <span className="font-semibold">Fix: </span>
                  {w.fix}
                </p>
              ) : null}
            </button>
          </li>
        ))}
      </ol>
      {risks.length > shown.length ? <p className="px-3 py-2 text-xs text-fg-muted">… and {risks.length - shown.length} more (zoom or filter to narrow).</p> : null}
    </section>
  );
}
