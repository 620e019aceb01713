"use client";
/**
 * The second toolbar row: lane search and filters (what Perfetto and Grafana users reach for first) and
 * how times read (UTC or local zone; clock or T+0). Every choice is URL state.
 */
import type { EpochMs } from "@/lib/model/time";
import { formatDateTime, plural } from "@/lib/view/format";
import type { TimelineViewState } from "@/lib/view/url-state";
import { browserZone } from "./time-axis-context";
import type { ShownLanes } from "./use-shown-lanes";

interface Props {
  readonly state: TimelineViewState;
  readonly update: (patch: Partial<TimelineViewState>) => void;
  readonly shown: ShownLanes;
  /** T+0 of the view, when it has one (the relative axis needs it). */
  readonly t0: EpochMs | undefined;
  /** Observations behind the view. */
  readonly events: number;
  /** The episode's replacement pods (uids): counted apart from its pods. */
  readonly replacements?: ReadonlySet<string>;
}

const seg = (on: boolean) => `px-2 py-0.5 ${on ? "bg-accent text-accent-fg" : "hover:bg-surface-sunken"} disabled:cursor-not-allowed disabled:opacity-50`;

const NONE: ReadonlySet<string> = new Set();

/** "6 pods" or "showing 3 of 6 pods", an episode's replacement pods not counted (the bar says them apart). */
function podCount(shown: ShownLanes, replacements: ReadonlySet<string>): string {
  const total = shown.total - replacements.size;
  const n = replacements.size === 0 ? shown.lanes.length : shown.lanes.filter((l) => !replacements.has(l.uid)).length;
  return n === total ? plural(total, "pod") : `showing ${n.toLocaleString("en-US")} of ${plural(total, "pod")}`;
}

export function LaneFilterBar({ state, update, shown, t0, events, replacements = NONE }: Props) {
  const zone = state.tz === "local" ? browserZone() : "UTC";
  const relative = state.axis === "t0" && t0 !== undefined;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-line bg-surface px-3 py-1 text-xs" data-testid="lane-filter-bar">
      <input
        type="search"
        data-testid="lane-search"
        aria-label="Search pods by name"
        placeholder="Search pods…"
        maxLength={100}
        value={state.search ?? ""}
        onChange={(e) => update({ search: e.target.value === "" ? undefined : e.target.value })}
        className="w-52 rounded border border-line bg-surface px-2 py-0.5"
      />
      {shown.nodes.length > 0 ? (
        <label className="flex items-center gap-1">
          node
          <select data-testid="node-filter" value={state.node ?? ""} onChange={(e) => update({ node: e.target.value === "" ? undefined : e.target.value })} className="max-w-48 rounded border border-line bg-surface px-1 py-0.5">
            <option value="">all ({shown.nodes.length})</option>
            {state.node && !shown.nodes.includes(state.node) ? <option value={state.node}>{state.node}</option> : null}
            {shown.nodes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="flex items-center gap-1">
        <input type="checkbox" data-testid="risk-only" checked={state.riskOnly === true} onChange={(e) => update({ riskOnly: e.target.checked ? true : undefined })} />
        only lanes with risk
      </label>
      <label className="flex items-center gap-1" title="Hide lanes with no change inside the visible range">
        <input type="checkbox" data-testid="hide-idle" checked={state.hideIdle === true} onChange={(e) => update({ hideIdle: e.target.checked ? true : undefined })} />
        hide idle lanes
      </label>
      <span className="text-fg-muted" data-testid="lane-count" data-shown={shown.lanes.length} data-total={shown.total}>
        {podCount(shown, replacements)}
        {` · ${plural(events, "event")}`}
        {replacements.size > 0 ? ` · ${plural(replacements.size, "replacement pod")}` : null}
        {shown.idleHidden > 0 ? <span data-testid="idle-hidden"> · {plural(shown.idleHidden, "idle lane")} hidden</span> : null}
      </span>
      <div className="ml-auto flex items-center gap-3">
        <div className="flex items-center gap-1" role="group" aria-label="Time axis">
          axis
          <span className="flex overflow-hidden rounded border border-line">
            <button type="button" data-testid="axis-clock" aria-pressed={!relative} onClick={() => update({ axis: undefined })} className={seg(!relative)}>
              {state.tz === "local" ? "Local" : "UTC"}
            </button>
            <button
              type="button"
              data-testid="axis-t0"
              aria-pressed={relative}
              disabled={t0 === undefined}
              title={t0 === undefined ? "T+0 is the first delete of an episode, or the selected pod's delete: open an episode or select a deleted pod" : `T+0 = ${formatDateTime(t0, zone)}`}
              onClick={() => update({ axis: "t0" })}
              className={`border-l border-line ${seg(relative)}`}
            >
              T+0
            </button>
          </span>
        </div>
        <label className="flex items-center gap-1">
          zone
          <select data-testid="tz" value={state.tz ?? "utc"} onChange={(e) => update({ tz: e.target.value === "local" ? "local" : undefined })} className="rounded border border-line bg-surface px-1 py-0.5">
            <option value="utc">UTC</option>
            <option value="local">Local ({browserZone()})</option>
          </select>
        </label>
      </div>
    </div>
  );
}
