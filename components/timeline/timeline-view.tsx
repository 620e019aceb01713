"use client";
/**
 * The timeline page: data container for the swimlane, chart, risk list and pod drawer. Server data is in
 * TanStack Query; every piece of view state is mirrored into the URL (replaceState, debounced); the
 * visible window lives in a ViewStore so zoom and pan redraw the canvas without a React render.
 */
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { AppHeader } from "@/components/common/app-header";
import { nowLineLabel } from "@/lib/view/encoding";
import { layoutLanes, type LaneLayout } from "@/lib/view/lane-layout";
import { newestActivePod } from "@/lib/view/newest-activity";
import { episodeReplacements, type EpisodeReplacements } from "@/lib/view/replacement-lanes";
import { toViewWindows, type ViewRiskWindow } from "@/lib/view/timeline-doc";
import { parseViewState, serializeViewState, type TimelineViewState } from "@/lib/view/url-state";
import { fitWindow } from "@/lib/view/viewport";
import { createTimeAxis, relativeZero } from "@/lib/view/time-axis";
import { createCursorStore } from "./cursor-store";
import { LaneFilterBar } from "./lane-filter-bar";
import { Legend } from "./legend";
import { PodDrawer } from "./pod-drawer";
import { RiskList } from "./risk-list";
import { SERVICE_CHART_PX, ServiceChart } from "./service-chart";
import { Swimlane } from "./swimlane";
import { TimelineToolbar } from "./timeline-toolbar";
import { useFollowClock } from "./use-follow-clock";
import { useTimelineData } from "./use-timeline-data";
import { useShownLanes } from "./use-shown-lanes";
import { useTimelineKeys } from "./use-timeline-keys";
import { browserZone, TimeAxisContext } from "./time-axis-context";
import { useSettledWindow } from "./use-view-windows";
import { createViewStore } from "./view-store";

/** Charts visible at once; the rest scroll in the chart strip (none is dropped). */
const CHART_STRIP_MAX_PX = 3.5 * SERVICE_CHART_PX;

const noSubscribe = () => () => {};

/** Client-only: the initial window depends on the clock and the canvas on the window size. */
export function TimelineView() {
  const mounted = useSyncExternalStore(noSubscribe, () => true, () => false);
  return mounted ? <TimelineInner /> : <p className="p-6 text-sm text-fg-muted">Loading timeline…</p>;
}

function TimelineInner() {
  const params = useSearchParams();
  const [initial] = useState(() => parseViewState(params));
  const [openedAt] = useState(() => Date.now());
  const [pagePath] = useState(() => window.location.pathname);
  const [state, setState] = useState<TimelineViewState>(initial);
  const [view] = useState(() => createViewStore(initial.range ?? { start: openedAt - 3_600_000, end: openedAt }));
  // React sees the window only once it settles (chart, URL): zoom and pan frames are canvas-only.
  const committed = useSettledWindow(view, 150);
  // The charts follow in a background render React can interrupt: their re-render for a settled window
  // (chart library work per point) would otherwise be one long task right after a pan.
  const chartWindow = useDeferredValue(committed);
  const [reveal, setReveal] = useState<{ uid: string } | undefined>(initial.pod ? { uid: initial.pod } : undefined);
  const [chartWidth, setChartWidth] = useState(0);
  const [chartScrollbar, setChartScrollbar] = useState(0);
  const [scrollbar, setScrollbar] = useState(0);

  const update = useCallback((patch: Partial<TimelineViewState>) => setState((s) => ({ ...s, ...patch })), []);

  const { doc, query: q, streamStatus } = useTimelineData(state, view, initial.range !== undefined);

  // The URL follows the state (debounced: zooming must not flood the history API).
  // Only while the page is still the timeline: a navigation away (e.g. Log out) must not get this query.
  useEffect(() => {
    const t = setTimeout(() => {
      if (window.location.pathname !== pagePath) return;
      const qs = serializeViewState({ ...state, range: committed });
      if (`?${qs}` !== window.location.search) window.history.replaceState(window.history.state, "", `${pagePath}?${qs}`);
    }, 200);
    return () => clearTimeout(t);
  }, [state, committed, pagePath]);

  const clock = useFollowClock(state.follow, view, update, openedAt);

  const docNow = doc ? Date.parse(doc.generatedFor.now) : openedAt;
  const now = state.follow ? Math.max(clock, docNow) : docNow;
  // The dashed line is the clock when following or live, else where the recorded data ends.
  const lineLive = state.follow || (doc?.live ?? true);
  // In follow mode live data must not reorder the lanes on screen: keep the previous order (new pods go last).
  const [stableLayout] = useState(() => {
    let last: LaneLayout | undefined;
    return (lanes: Parameters<typeof layoutLanes>[0], pinned: readonly string[], keep: boolean, replaced: EpisodeReplacements | undefined, expand: readonly string[] | undefined) =>
      (last = layoutLanes(lanes, pinned, keep ? last?.podOrder : undefined, replaced ? { ...replaced, expanded: new Set(expand) } : undefined));
  });
  // An episode's replacement pods: one summary lane per revision, expanded ones (URL `expand`) pod by pod.
  const replaced = useMemo(() => (doc ? episodeReplacements(doc.episodes, state.episode) : undefined), [doc, state.episode]);
  const toggleSummary = useCallback((key: string) => setState((s) => {
    const open = s.expand ?? [];
    const expand = open.includes(key) ? open.filter((k) => k !== key) : [...open, key];
    return { ...s, expand };
  }), []);
  const risks = useMemo(() => toViewWindows(doc?.riskWindows ?? [], doc ? Date.parse(doc.generatedFor.now) : undefined), [doc]);
  const shown = useShownLanes(doc, state, risks, committed);
  const layout = useMemo(() => stableLayout(shown.lanes, state.pinned, state.follow, replaced, state.expand), [stableLayout, shown.lanes, state.pinned, state.follow, replaced, state.expand]);
  // How times read: zone (UTC or the browser's) and clock or T+0 (the episode's first delete, else the selected pod's).
  const t0 = useMemo(() => (doc ? relativeZero(doc.lanes, state.episode !== undefined, state.pod) : undefined), [doc, state.episode, state.pod]);
  const axis = useMemo(() => createTimeAxis(state.axis === "t0" ? "t0" : "utc", state.tz === "local" ? browserZone() : "UTC", t0), [state.axis, state.tz, t0]);
  const [cursor] = useState(createCursorStore);
  // No result to judge: the risk list must not read as all-clear.
  const unavailable = q.isError ? "No verdict: the view could not be loaded (see the error)." : !doc ? "Loading…" : doc.noData ? "No verdict: there is no data in this view." : undefined;
  // Follow: keep the newest activity on screen (new pods sort last so nothing on screen moves: scroll
  // to them instead).
  // A selected pod keeps the user's reveal.
  const newest = useMemo(() => (state.follow && !state.pod && doc ? newestActivePod(doc.lanes) : undefined), [state.follow, state.pod, doc]);
  const followReveal = useMemo(() => (newest ? { uid: newest } : undefined), [newest]);
  const shownReveal = followReveal ?? reveal;
  // Pods with a lane in this document: a risk item naming others says so (windowPodsText).
  const inView = useMemo(() => {
    const uids = new Set(doc?.lanes.map((l) => l.uid));
    return (uid: string) => uids.has(uid);
  }, [doc]);
  const selectedLane = useMemo(() => doc?.lanes.find((l) => l.uid === state.pod), [doc, state.pod]);

  const fit = useCallback(() => {
    if (!doc) return;
    // An episode view fits back onto the episode's activity: the range it opened on (lib/view/episode-range.ts).
    if (state.episode && !doc.noData) {
      view.set({ start: doc.range.from, end: doc.range.to });
      return;
    }
    const ep = doc.episodes[0];
    const start = ep ? Date.parse(ep.start) : doc.range.from;
    const end = ep && ep.end ? Date.parse(ep.end) : ep ? now : doc.range.to;
    view.set(ep ? fitWindow(start, end, 0.15) : { start, end });
  }, [doc, now, view, state.episode]);

  const pickRisk = useCallback(
    (w: ViewRiskWindow) => {
      const end = w.endMs ?? now;
      view.set(fitWindow(w.startMs, end, 1));
      update({ risk: w.id, follow: false });
      const first = w.podUids[0];
      if (first) setReveal({ uid: first });
    },
    [now, update, view],
  );

  const selectPod = useCallback(
    (uid: string | undefined) => {
      update(uid ? { pod: uid } : { pod: undefined });
      if (uid) setReveal({ uid });
    },
    [update],
  );

  useTimelineKeys(view, update, { state, layout, risks, fit, pickRisk, selectPod });

  const chartRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = chartRef.current;
    if (!el) return;
    // The strip's own scrollbar (many services) takes the place of the swimlane's in the right margin.
    const measure = () => {
      setChartWidth(el.clientWidth);
      setChartScrollbar(el.offsetWidth - el.clientWidth);
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [doc]);

  const title = state.episode ? state.episode.split(":").slice(0, 3).join(" · ") : [state.service && `service ${state.service}`, state.workload && `workload ${state.workload}`].filter(Boolean).join(" · ") || "all pods";
  const series = doc?.serviceCounts ?? [];

  return (
    <TimeAxisContext.Provider value={axis}>
    <div className="flex h-dvh flex-col">
      <AppHeader>
        <nav aria-label="Breadcrumb" className="flex min-w-0 items-center gap-1 truncate text-sm">
          <Link href="/" className="text-accent hover:underline">
            Home
          </Link>
          <span className="text-fg-muted">/</span>
          <span className="font-medium">{state.cluster ?? "all clusters"}</span>
          {state.namespace ? (
            <>
              <span className="text-fg-muted">/</span>
              <span>{state.namespace}</span>
            </>
          ) : null}
          <span className="text-fg-muted">/</span>
          <h1 className="truncate font-semibold">{title}</h1>
        </nav>
      </AppHeader>
      <TimelineToolbar doc={doc} state={state} view={view} committed={committed} update={update} fit={fit} streamStatus={streamStatus} fetching={q.isFetching} lanes={layout.podOrder} />
      {doc && !doc.noData ? <LaneFilterBar state={state} update={update} shown={shown} t0={t0} events={doc.eventCount} {...(replaced ? { replacements: replaced.uids } : {})} /> : null}
      <div className="border-b border-line bg-surface px-3 py-1">
        <Legend live={lineLive} />
      </div>
      <div className="flex min-h-0 flex-1">
        <main className="flex min-w-0 flex-1 flex-col bg-surface">
          {q.isError ? (
            <p className="p-4 text-sm text-risk-critical" role="alert" data-testid="timeline-error">
              Could not load the timeline: {q.error.message}
            </p>
          ) : null}
          {q.isPending ? <p className="p-4 text-sm text-fg-muted">Loading timeline…</p> : null}
          {doc?.noData ? (
            <p className="p-4 text-sm text-fg-muted" data-testid="no-data" role={doc.dataSpan === null ? "alert" : undefined}>
              {doc.noData.replace(/^no data/, "No data")}.{" "}
              {doc.dataSpan === null ? "Check the cluster and namespace names, or open one from the home page." : "Zoom out (S), pan, or open an episode from the home page."}
            </p>
          ) : doc && doc.lanes.length === 0 ? (
            <p className="p-4 text-sm text-fg-muted">No pod in this range. Zoom out (S) or pick another range.</p>
          ) : doc && shown.lanes.length === 0 ? (
            <p className="p-4 text-sm text-fg-muted" data-testid="no-lane-match">
              No pod matches the lane filters ({shown.total} hidden). Clear the search or filters above.
            </p>
          ) : null}
          {doc ? (
            <>
              <Swimlane
                layout={layout}
                risks={risks}
                gaps={doc.gaps}
                now={now}
                nowLabel={nowLineLabel(lineLive)}
                view={view}
                {...(state.brush ? { brush: state.brush } : {})}
                onBrush={(b) => update({ brush: b })}
                {...(state.pod ? { selectedPod: state.pod } : {})}
                onSelectPod={selectPod}
                onToggleSummary={toggleSummary}
                {...(state.risk ? { selectedRisk: state.risk } : {})}
                {...(shownReveal ? { reveal: shownReveal } : {})}
                onScrollbarWidth={setScrollbar}
                axis={axis}
                cursor={cursor}
              />
              {series.length > 3 ? (
                <p className="shrink-0 border-t border-line px-3 py-0.5 text-xs text-fg-muted" data-testid="chart-count">
                  {series.length} services: scroll the charts for all of them
                </p>
              ) : null}
              <div ref={chartRef} className="shrink-0 overflow-y-auto" style={{ maxHeight: CHART_STRIP_MAX_PX }} data-testid="service-charts">
                {series.map((s) => (
                  <ServiceChart key={`${s.namespace}/${s.service}`} series={s} window={chartWindow} width={chartWidth} rightPx={Math.max(0, scrollbar - chartScrollbar)} now={now} risks={risks} cursor={cursor} />
                ))}
              </div>
            </>
          ) : null}
        </main>
        <div className="flex w-[360px] shrink-0 flex-col border-l border-line bg-surface">
          {state.pod ? (
            <div className="relative min-h-0 flex-1">
              <PodDrawer uid={state.pod} {...(state.cluster ? { cluster: state.cluster } : {})} {...(selectedLane ? { lane: selectedLane } : {})} windows={risks} now={now} live={doc?.live ?? true} onClose={() => update({ pod: undefined })} />
            </div>
          ) : (
            <RiskList risks={risks} {...(state.risk ? { selected: state.risk } : {})} now={now} live={doc?.live ?? true} {...(unavailable !== undefined ? { unavailable } : {})} inView={inView} onPick={pickRisk} />
          )}
        </div>
      </div>
    </div>
    </TimeAxisContext.Provider>
  );
}
