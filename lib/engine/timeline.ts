/**
 * The timeline engine: lifecycle events in, everything the UI, API and CLI show out. Pure and
 * deterministic; `now` is a parameter and only closes nothing — open intervals stay open.
 */
import type { LifecycleEvent } from "../model/events";
import { POD_RULES } from "../rules/pod-rules";
import { gapWindows, serviceWindows } from "../rules/service-rules";
import { makeWindow, type WindowDraft } from "../rules/window";
import { collect, nsKey } from "./collect";
import { buildEpisodes } from "./episodes";
import { buildLane } from "./lanes";
import { lintWorkloads } from "./lint";
import { buildServiceSeries } from "./service-counts";
import { suggestSettings } from "./suggest";
import {
  DEFAULT_EPISODE_GAP_MS,
  DEFAULT_PROPAGATION_BUDGET_MS,
  DEFAULT_SLOW_ENDPOINT_REMOVAL_MS,
  type EngineOptions,
  type GapInterval,
  type PodLane,
  type RiskWindow,
  type Timeline,
} from "./types";

/** The slowest of the pod's services: each has its override or the default. */
function budgetFor(lane: PodLane, opts: Omit<EngineOptions, "now">): number {
  const base = opts.propagationBudgetMs ?? DEFAULT_PROPAGATION_BUDGET_MS;
  const budgets = lane.services.map((s) => opts.serviceBudgetsMs?.[nsKey(lane.namespace, s)] ?? base);
  return budgets.length ? Math.max(...budgets) : base;
}

/** `a.localeCompare(b)` with one collator, built once, and equal strings (most of them) not collated at all. */
const collate = new Intl.Collator().compare;
const textOrder = (a: string, b: string): number => (a === b ? 0 : collate(a, b));

function byStart(a: RiskWindow, b: RiskWindow): number {
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Everything the engine derives from the events that does not depend on `now`: a cache can keep it while
 * the live clock moves (server/queries/engine-cache.ts) and finish it for each request's `now`.
 */
export interface TimelineCore {
  readonly live: boolean;
  readonly episodeGapMs: number;
  readonly pods: readonly PodLane[];
  readonly services: Timeline["services"];
  /** Every window, forecasts included, sorted by start. */
  readonly windows: readonly RiskWindow[];
  readonly lint: Timeline["lint"];
  readonly suggestions: Timeline["suggestions"];
  readonly gaps: readonly GapInterval[];
}

export function computeTimeline(events: readonly LifecycleEvent[], opts: EngineOptions): Timeline {
  return finishTimeline(computeTimelineCore(events, opts), opts.now);
}

/** The timeline as of `now`: windows that have begun by then, and the episodes they make. */
export function finishTimeline(core: TimelineCore, now: number): Timeline {
  // A window that starts after `now` is a forecast (e.g. SIGTERM expected when a preStop sleep ends):
  // it has not happened, so it is not reported yet.
  const riskWindows = core.windows.filter((w) => w.start <= now);
  return {
    now,
    pods: core.pods,
    services: core.services,
    riskWindows,
    episodes: buildEpisodes(core.pods, riskWindows, core.episodeGapMs, core.live),
    lint: core.lint,
    suggestions: core.suggestions,
    gaps: core.gaps,
  };
}

/** `opts.now` is not read here: see `finishTimeline`. */
export function computeTimelineCore(events: readonly LifecycleEvent[], opts: Omit<EngineOptions, "now">): TimelineCore {
  const c = collect(events);
  const gaps: GapInterval[] = c.gaps.map((g) => ({
    start: g.from,
    ...(g.to !== undefined ? { end: g.to } : {}),
    resource: g.resource,
    reason: g.reason,
    eventId: g.id,
  }));
  const lanes: PodLane[] = [];
  const drafts: WindowDraft[] = [];
  for (const p of c.pods.values()) {
    const lane = buildLane(p, c);
    lanes.push(lane);
    const ctx = {
      lane,
      events: p,
      budgetMs: budgetFor(lane, opts),
      slowRemovalMs: opts.slowEndpointRemovalMs ?? DEFAULT_SLOW_ENDPOINT_REMOVAL_MS,
    };
    for (const rule of POD_RULES) drafts.push(...rule(ctx));
  }
  lanes.sort((a, b) => textOrder(a.namespace, b.namespace) || textOrder(a.workload, b.workload) || textOrder(a.revision ?? "", b.revision ?? "") || (a.keyTimes.created?.at ?? 0) - (b.keyTimes.created?.at ?? 0) || textOrder(a.name, b.name));
  const services = buildServiceSeries(c.endpointEvents, c.services, c.serviceHistory);
  drafts.push(...serviceWindows(services, c.endpointEvents));
  const gapNamespace = new Map(c.gaps.map((g) => [g.id, g.namespace]));
  drafts.push(...gapWindows(gaps, (g) => gapNamespace.get(g.eventId) ?? ""));
  return {
    live: opts.live ?? false,
    episodeGapMs: opts.episodeGapMs ?? DEFAULT_EPISODE_GAP_MS,
    pods: lanes,
    services,
    windows: drafts.map((d) => makeWindow(d, gaps)).sort(byStart),
    lint: lintWorkloads(lanes, c),
    suggestions: suggestSettings(lanes, (lane) => budgetFor(lane, opts)),
    gaps,
  };
}
