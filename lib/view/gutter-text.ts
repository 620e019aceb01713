/**
 * The swimlane gutter's text: the full text of each row (the hover tooltip shows it) and the version that
 * fits the gutter, shortened where it says least: the pod count is kept, a workload's kind goes first, a
 * hash or pod name loses its middle ("stream-79…c7f6f7"), never its distinguishing end. Pure: the caller
 * measures text.
 */
import { plural } from "./format";
import type { Row } from "./lane-layout";

export type Measure = (text: string) => number;

/** A way to write a row: `head + middle + tail`; only `middle` may be shortened (in its middle). */
type Candidate = readonly [head: string, middle: string, tail: string];

/** Fewest characters kept on each side of an ellipsis: less would not identify anything. */
const MIN_KEEP = 3;

/** `text` with its middle replaced by "…" so that `head + it + tail` fits `maxPx`; undefined if it cannot. */
export function elideMiddle(text: string, maxPx: number, measure: Measure, head = "", tail = ""): string | undefined {
  if (measure(head + text + tail) <= maxPx) return text;
  // Keep n characters in all, the larger half at the end (hashes and pod suffixes differ there).
  let lo = 0;
  let hi = text.length - 1;
  const cut = (n: number) => `${text.slice(0, Math.floor(n / 2))}…${text.slice(text.length - Math.ceil(n / 2))}`;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(head + cut(mid) + tail) <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return Math.floor(lo / 2) >= MIN_KEEP ? cut(lo) : undefined;
}

/** The first candidate that fits whole or with its middle elided; else the last one cut at the end; undefined if nothing readable fits. */
function fitCandidates(cands: readonly Candidate[], maxPx: number, measure: Measure): string | undefined {
  for (const [head, middle, tail] of cands) {
    if (measure(head + middle + tail) <= maxPx) return head + middle + tail;
    if (middle.length > 2 * MIN_KEEP) {
      const m = elideMiddle(middle, maxPx, measure, head, tail);
      if (m !== undefined) return head + m + tail;
    }
  }
  const last = cands[cands.length - 1];
  if (!last) return undefined;
  const text = last.join("");
  let n = text.length;
  while (n > MIN_KEEP && measure(`${text.slice(0, n)}…`) > maxPx) n--;
  return n > MIN_KEEP ? `${text.slice(0, n)}…` : undefined;
}

function candidates(row: Row): Candidate[] {
  switch (row.kind) {
    case "workload": {
      const count = ` · ${plural(row.count, "pod")}`;
      const m = /^(.*) (\([^()]*\))$/.exec(row.label); // "ns/name (Deployment)": the kind is dropped first
      return m ? [[row.label, "", count], ["", m[1] ?? row.label, count]] : [["", row.label, count]];
    }
    case "revision": {
      const count = ` · ${plural(row.count, "pod")}`;
      const i = row.label.indexOf(" · "); // "revision 3 · web-7989c7f6f7": the hash loses its middle, then goes
      if (i < 0) return [["", row.label, count]];
      const rev = row.label.slice(0, i);
      return [[`${rev} · `, row.label.slice(i + 3), count], ["", rev, count]];
    }
    case "summary": // drawn and explained by the summary lane's own code; its label here for completeness
      return [["", row.group.label, ""]];
    case "pod":
      return [[row.pinned ? "★ " : "", row.lane.name, ""]];
    case "endpoint": {
      const lane = row.lane.endpoints[row.index];
      return lane ? [["ep ", lane.slice, ""]] : [];
    }
    case "lb": {
      const lane = row.lane.lbMembers[row.index];
      return lane ? [[`lb ${lane.lb} `, lane.member, ""], ["lb ", `${lane.lb} ${lane.member}`, ""]] : [];
    }
  }
}

/** What the gutter would say with unlimited room (the hover tooltip's text). */
export function gutterFullText(row: Row): string {
  const c = candidates(row)[0];
  return c ? c.join("") : "";
}

/** What the gutter draws in `maxPx`; undefined when nothing readable fits. */
export function gutterText(row: Row, maxPx: number, measure: Measure): string | undefined {
  return fitCandidates(candidates(row), maxPx, measure);
}
