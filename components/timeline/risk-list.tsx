"use client";
import { SeverityBadge } from "@/components/common/badges";
import { useMemo, useState } from "react";
import { formatClock, formatDuration, plural, UTC_ZONE, zoneSuffix } from "@/lib/view/format";
import { formatRelative } from "@/lib/view/time-axis";
import { groupRisks, type RiskGroup } from "@/lib/view/risk-groups";
import { windowDurationText, windowPodsText } from "@/lib/view/window-text";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import type { EpochMs } from "@/lib/model/time";
import { useTimeAxis } from "./time-axis-context";


/**
 * The risk windows of the view, worst first; clicking one zooms the swimlane to it. Many alike windows
 * (lib/view/risk-groups.ts) are one expandable entry. `now`: the data's clock; `live` false means the data
 * ends there, so an open window is open at its end. `unavailable`: why the view has no result (load
 * error, no data): said instead of "no risk window", which would read as all-clear.
 */
export function RiskList({ risks, selected, now, live, unavailable, inView, onPick }: { risks: readonly ViewRiskWindow[]; selected?: string; now: EpochMs; live: boolean; unavailable?: string; inView?: (uid: string) => boolean; onPick: (w: ViewRiskWindow) => void }) {
  const entries = useMemo(() => groupRisks(risks), [risks]);
  const shown = entries.slice(0, 200);
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
        {shown.map((e) =>
          e.kind === "window" ? (
            <RiskItem key={e.window.id} w={e.window} selected={selected} now={now} live={live} {...(inView ? { inView } : {})} onPick={onPick} />
          ) : (
            <RiskGroupItem key={e.key} g={e} selected={selected} now={now} live={live} {...(inView ? { inView } : {})} onPick={onPick} />
          ),
        )}
      </ol>
      {entries.length > shown.length ? <p className="px-3 py-2 text-xs text-fg-muted">… and {entries.length - shown.length} more (zoom or filter to narrow).</p> : null}
    </section>
  );
}

interface ItemProps {
  readonly selected: string | undefined;
  readonly now: EpochMs;
  readonly live: boolean;
  /** Whether a pod has a lane in this view (the item says which of its pods has none). */
  readonly inView?: (uid: string) => boolean;
  readonly onPick: (w: ViewRiskWindow) => void;
}

function RiskItem({ w, selected, now, live, inView, onPick }: ItemProps & { readonly w: ViewRiskWindow }) {
  const podsText = windowPodsText(w, inView);
  const { zone, t0 } = useTimeAxis();
  return (
    <li>
      <button
        type="button"
        data-testid="risk-item"
        data-rule={w.rule}
        data-pods={w.podUids.join(" ")}
        aria-pressed={w.id === selected}
        onClick={() => onPick(w)}
        className={`block w-full border-b border-l-4 border-b-line px-3 py-2 text-left text-xs hover:bg-surface-sunken ${w.id === selected ? "bg-surface-sunken" : ""} ${borderOf(w.severity)}`}
      >
        <div className="flex items-center gap-2">
          <SeverityBadge severity={w.severity} />
          <span className="truncate font-mono font-semibold">{w.rule}</span>
        </div>
        <div className="mt-1 text-fg-muted">
          {formatClock(w.startMs, true, zone)}{zone === UTC_ZONE ? "" : ` ${zoneSuffix(w.startMs, zone)}`}{t0 !== undefined ? ` (${formatRelative(w.startMs - t0)})` : ""} · <span data-testid="risk-duration">{windowDurationText(w, now, live)}</span> · {w.confidence}
          {podsText !== undefined ? <span data-testid="risk-pods" title={w.pods.join(", ")}>{` · ${podsText}`}</span> : w.service ? ` · service ${w.service}` : ""}
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
  );
}

/** Many windows alike (rule, cause, fix): one entry that says how many and how long, expanding to each. */
function RiskGroupItem({ g, selected, now, live, inView, onPick }: ItemProps & { readonly g: RiskGroup<ViewRiskWindow> }) {
  const [open, setOpen] = useState(false);
  const first = g.windows[0];
  if (!first) return null;
  const d = g.durations;
  const each = d === undefined ? "" : d.min === d.max || formatDuration(d.min) === formatDuration(d.max) ? `${formatDuration(d.min)} each` : `${formatDuration(d.min)} – ${formatDuration(d.max)}`;
  return (
    <li data-testid="risk-group" data-rule={first.rule} data-count={g.windows.length}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className={`block w-full border-b border-l-4 border-b-line px-3 py-2 text-left text-xs hover:bg-surface-sunken ${borderOf(first.severity)}`}>
        <div className="flex items-center gap-2">
          <SeverityBadge severity={first.severity} />
          <span className="truncate font-mono font-semibold">{first.rule}</span>
          <span className="ml-auto text-fg-muted">{open ? "▾" : "▸"}</span>
        </div>
        <div className="mt-1 text-fg-muted" data-testid="risk-group-summary">
          {plural(g.windows.length, "pod")} · {each}
          {g.open > 0 ? `${each ? " · " : ""}${g.open} still open` : ""} · same cause · {first.confidence}
        </div>
        {first.fix ? (
          <p className="mt-1 text-fg">
            <span className="font-semibold">Fix: </span>
            {first.fix}
          </p>
        ) : null}
      </button>
      {open ? (
        <ol className="border-l-4 border-line pl-2">
          {g.windows.slice(0, 200).map((w) => (
            <RiskItem key={w.id} w={w} selected={selected} now={now} live={live} {...(inView ? { inView } : {})} onPick={onPick} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

function borderOf(severity: string): string {
  return severity === "critical" ? "border-l-risk-critical" : severity === "high" ? "border-l-risk-high" : severity === "medium" ? "border-l-risk-medium" : "border-l-line";
}
