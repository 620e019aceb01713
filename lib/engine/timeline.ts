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
function budgetFor(lane: PodLane, opts: EngineOptions): number {
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

export function computeTimeline(events: readonly LifecycleEvent[], opts: EngineOptions): Timeline {
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
  // A window that starts after `now` is a forecast (e.g. SIGTERM expected when a preStop sleep ends):
  // it has not happened, so it is not reported yet.
  const riskWindows = drafts.map((d) => makeWindow(d, gaps)).filter((w) => w.start <= opts.now).sort(byStart);
  return {
    now: opts.now,
    pods: lanes,
    services,
    riskWindows,
    episodes: buildEpisodes(lanes, riskWindows, opts.episodeGapMs ?? DEFAULT_EPISODE_GAP_MS, opts.live ?? false),
    lint: lintWorkloads(lanes, c),
    suggestions: suggestSettings(lanes, (lane) => budgetFor(lane, opts)),
    gaps,
  };
}
