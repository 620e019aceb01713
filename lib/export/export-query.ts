/**
 * The /api/export query of a timeline view state: what the Export menu links to. It is the URL state that
 * defines the picture — the data query (cluster, namespace, episode or service/workload), the visible
 * window (also inside an episode: the server computes the episode whole and narrows it to the window) and
 * the pinned lanes, and the lane filters (q, node, risky, idle: the lanes on screen) — with keys in a fixed
 * order and times as whole epoch ms. `drainscope export` takes the same options (--from, --to, --pin,
 * --search, --node, --risky, --hide-idle, --selected), so a link and the CLI give the same file.
 */
import { z } from "zod";
import type { LaneFilter } from "../view/lane-filter";
import type { TimeWindow } from "../view/time-scale";
import type { TimelineViewState } from "../view/url-state";

export function exportQuery(state: TimelineViewState, window: TimeWindow | undefined): URLSearchParams {
  const q = new URLSearchParams();
  if (state.cluster) q.set("cluster", state.cluster);
  if (state.namespace) q.set("namespace", state.namespace);
  if (state.episode) q.set("episode", state.episode);
  else {
    if (state.service) q.set("service", state.service);
    if (state.workload) q.set("workload", state.workload);
  }
  if (window && window.end > window.start) {
    q.set("from", String(Math.floor(window.start)));
    q.set("to", String(Math.ceil(window.end)));
  }
  if (state.pinned.length > 0) q.set("pin", state.pinned.join(","));
  if (state.expand && state.expand.length > 0) q.set("expand", state.expand.join(","));
  if (state.search) q.set("q", state.search);
  if (state.node) q.set("node", state.node);
  if (state.riskOnly) q.set("risky", "1");
  if (state.hideIdle) {
    q.set("idle", "hide");
    // The selected pod is never hidden as idle (like the pins), so it is part of the picture then.
    if (state.pod) q.set("pod", state.pod);
  }
  return q;
}

/** The lane filters of an export query (the timeline URL's q, node, risky, idle, pod), held to the URL's limits. */
export const ExportLaneFilterSchema = z
  .object({
    q: z.string().min(1).max(100).optional(),
    node: z.string().min(1).max(253).optional(),
    risky: z.literal("1").optional(),
    idle: z.literal("hide").optional(),
    pod: z.string().regex(/^[0-9a-zA-Z-]{1,64}$/, "expected a pod uid (letters, digits, dashes)").optional(),
  })
  .transform((f): { filter: LaneFilter; selected?: string } => ({
    filter: { ...(f.q !== undefined ? { search: f.q } : {}), ...(f.node !== undefined ? { node: f.node } : {}), ...(f.risky ? { riskOnly: true } : {}), ...(f.idle ? { hideIdle: true } : {}) },
    ...(f.idle && f.pod !== undefined ? { selected: f.pod } : {}),
  }));
export type ExportLaneFilter = z.output<typeof ExportLaneFilterSchema>;

export function exportHref(state: TimelineViewState, window: TimeWindow | undefined, format: string): string {
  const qs = exportQuery(state, window).toString();
  return `/api/export?format=${encodeURIComponent(format)}${qs ? `&${qs}` : ""}`;
}
