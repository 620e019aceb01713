/**
 * Every piece of timeline view state lives in the URL, so reloading or sharing a link reopens the same view.
 * Times are written as ISO 8601 (readable in a postmortem) and read as ISO or epoch ms. Invalid values are
 * dropped, never thrown: a hand-edited link still opens.
 */
import type { EpochMs } from "../model/time";
import type { TimeWindow } from "./time-scale";

export interface TimelineViewState {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly service?: string;
  readonly workload?: string;
  readonly episode?: string;
  /** Visible window. */
  readonly range?: TimeWindow;
  /** Brushed range (for its duration readout). */
  readonly brush?: TimeWindow;
  /** Selected pod (uid): its drawer is open. */
  readonly pod?: string;
  /** Selected risk window id. */
  readonly risk?: string;
  /** Pinned pods (uids), drawn above the others. */
  readonly pinned: readonly string[];
  readonly follow: boolean;
  /** Ruler reads time relative to the delete ("T+1.5 s") instead of the clock. */
  readonly axis?: "t0";
  /** Times in the browser's zone instead of UTC. */
  readonly tz?: "local";
  /** Lane filters (lib/view/lane-filter.ts): pod-name search, node, only pods with risk, hide idle lanes. */
  readonly search?: string;
  readonly node?: string;
  readonly riskOnly?: true;
  readonly hideIdle?: true;
  /** Replacement summary lanes shown expanded (`rev:<workload>:<revision>`, lib/view/replacement-lanes.ts). */
  readonly expand?: readonly string[];
}

export const EMPTY_VIEW_STATE: TimelineViewState = { pinned: [], follow: false };

type Params = { get(name: string): string | null };

function parseTime(v: string | null): EpochMs | undefined {
  if (v === null || v === "") return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function parseWindow(from: string | null, to: string | null): TimeWindow | undefined {
  const start = parseTime(from);
  const end = parseTime(to);
  return start !== undefined && end !== undefined && end > start ? { start, end } : undefined;
}

function parseRange(v: string | null): TimeWindow | undefined {
  if (!v) return undefined;
  const [a, b] = v.split("~");
  return parseWindow(a ?? null, b ?? null);
}

const text = (v: string | null, max = 600): string | undefined => (v && v.length <= max ? v : undefined);

/** A workload name and a revision (number, hash or ReplicaSet name): DNS-label characters only. */
const EXPAND_KEY = /^rev:[0-9a-z.-]{1,253}:[0-9a-zA-Z.—-]{1,253}$/;
const MAX_EXPANDED = 50;

export function parseViewState(p: Params): TimelineViewState {
  const pinned = (p.get("pin") ?? "").split(",").filter((s) => /^[0-9a-zA-Z-]{1,64}$/.test(s));
  const expand = (p.get("expand") ?? "").split(",").filter((s) => EXPAND_KEY.test(s)).slice(0, MAX_EXPANDED);
  return {
    ...opt("cluster", text(p.get("cluster"), 253)),
    ...opt("namespace", text(p.get("namespace"), 253)),
    ...opt("service", text(p.get("service"), 253)),
    ...opt("workload", text(p.get("workload"), 253)),
    ...opt("episode", text(p.get("episode"))),
    ...opt("range", parseWindow(p.get("from"), p.get("to"))),
    ...opt("brush", parseRange(p.get("brush"))),
    ...opt("pod", text(p.get("pod"), 64)),
    ...opt("risk", text(p.get("risk"))),
    pinned,
    follow: p.get("follow") === "1",
    ...opt("axis", p.get("axis") === "t0" ? ("t0" as const) : undefined),
    ...opt("tz", p.get("tz") === "local" ? ("local" as const) : undefined),
    ...opt("search", text(p.get("q"), 100)),
    ...opt("node", text(p.get("node"), 253)),
    ...opt("riskOnly", p.get("risky") === "1" ? (true as const) : undefined),
    ...opt("hideIdle", p.get("idle") === "hide" ? (true as const) : undefined),
    ...(expand.length > 0 ? { expand } : {}),
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const iso = (t: EpochMs) => new Date(t).toISOString();

/** The query string for a view state, keys in a fixed order so equal states give equal URLs. */
export function serializeViewState(s: TimelineViewState): string {
  const q = new URLSearchParams();
  if (s.cluster) q.set("cluster", s.cluster);
  if (s.namespace) q.set("namespace", s.namespace);
  if (s.service) q.set("service", s.service);
  if (s.workload) q.set("workload", s.workload);
  if (s.episode) q.set("episode", s.episode);
  if (s.range) {
    q.set("from", iso(s.range.start));
    q.set("to", iso(s.range.end));
  }
  if (s.brush) q.set("brush", `${iso(s.brush.start)}~${iso(s.brush.end)}`);
  if (s.pod) q.set("pod", s.pod);
  if (s.risk) q.set("risk", s.risk);
  if (s.pinned.length > 0) q.set("pin", s.pinned.join(","));
  if (s.follow) q.set("follow", "1");
  if (s.axis) q.set("axis", s.axis);
  if (s.tz) q.set("tz", s.tz);
  if (s.search) q.set("q", s.search);
  if (s.node) q.set("node", s.node);
  if (s.riskOnly) q.set("risky", "1");
  if (s.hideIdle) q.set("idle", "hide");
  if (s.expand && s.expand.length > 0) q.set("expand", s.expand.join(","));
  return q.toString();
}

/** The API query for the data behind a view (the visible range is not part of it when an episode is set). */
export function timelineApiQuery(s: TimelineViewState, fetchWindow: TimeWindow | undefined): string {
  const q = new URLSearchParams();
  if (s.cluster) q.set("cluster", s.cluster);
  if (s.namespace) q.set("namespace", s.namespace);
  if (s.episode) {
    q.set("episode", s.episode);
  } else {
    if (s.service) q.set("service", s.service);
    if (s.workload) q.set("workload", s.workload);
    if (fetchWindow) {
      q.set("from", String(fetchWindow.start));
      q.set("to", String(fetchWindow.end));
    }
  }
  return q.toString();
}
