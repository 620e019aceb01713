/**
 * The /api/export query of a timeline view state: what the Export menu links to. It is the URL state that
 * defines the picture — the data query (cluster, namespace, episode or service/workload), the visible
 * window (also inside an episode: the server computes the episode whole and narrows it to the window) and
 * the pinned lanes — with keys in a fixed order and times as whole epoch ms. `drainscope export` takes the
 * same options (--from, --to, --pin), so a link and the CLI give the same file.
 */
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
  return q;
}

export function exportHref(state: TimelineViewState, window: TimeWindow | undefined, format: string): string {
  const qs = exportQuery(state, window).toString();
  return `/api/export?format=${encodeURIComponent(format)}${qs ? `&${qs}` : ""}`;
}
