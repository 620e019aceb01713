/**
 * Per-service rules: no ready endpoint at all, and kube-proxy's fallback to serving-but-terminating
 * endpoints. A window starts when the ready count drops to zero after the service had at least one
 * ready endpoint (a new service waiting for its first pod is not an outage).
 */
import type { EndpointChanged, EndpointRemoved } from "../model/events";
import type { GapInterval, ServiceSeries } from "../engine/types";
import { fmtDuration, fmtFor } from "./format";
import type { WindowDraft } from "./window";

interface Span {
  start: number;
  end?: number;
}

/** Slices go when their Service goes, on another watch stream: a drop this close to the deletion is teardown. */
const TEARDOWN_SLACK_MS = 2000;

function duringTeardown(series: ServiceSeries, t: number): boolean {
  return (series.deletions ?? []).some((d) => t >= d.start - TEARDOWN_SLACK_MS && (d.end === undefined || t < d.end));
}

function zeroReadySpans(series: ServiceSeries, predicate: (p: ServiceSeries["points"][number]) => boolean): Span[] {
  const spans: Span[] = [];
  let hadReady = false;
  let open: Span | undefined;
  for (const p of series.points) {
    if (p.ready > 0) {
      hadReady = true;
      if (open) {
        open.end = p.t;
        spans.push(open);
        open = undefined;
      }
      continue;
    }
    if (!hadReady) continue;
    if (!open && duringTeardown(series, p.t)) {
      // A deleted Service takes no traffic: zero endpoints then is no outage. Count again once re-created.
      hadReady = false;
      continue;
    }
    if (predicate(p)) {
      open ??= { start: p.t };
    } else if (open) {
      open.end = p.t;
      spans.push(open);
      open = undefined;
    }
  }
  if (open) spans.push(open);
  return spans;
}

function podsInvolved(events: readonly (EndpointChanged | EndpointRemoved)[], series: ServiceSeries, s: Span) {
  const seen = new Map<string, string>();
  for (const e of events) {
    if (e.service !== series.service || e.namespace !== series.namespace) continue;
    if (e.at < s.start - 1000 || (s.end !== undefined && e.at > s.end)) continue;
    seen.set(e.podUid, e.pod);
  }
  return [...seen.entries()].map(([uid, name]) => ({ uid, name }));
}

function inferredAt(events: readonly (EndpointChanged | EndpointRemoved)[], t: number | undefined): boolean {
  return t !== undefined && events.some((e) => e.at === t && e.precision === "inferred");
}

export function serviceWindows(
  series: readonly ServiceSeries[],
  endpointEvents: readonly (EndpointChanged | EndpointRemoved)[],
): WindowDraft[] {
  const out: WindowDraft[] = [];
  for (const s of series) {
    if (!s.hasSelector) continue;
    for (const span of zeroReadySpans(s, () => true)) {
      out.push({
        rule: "no-ready-endpoints",
        start: span.start,
        ...(span.end !== undefined ? { end: span.end } : {}),
        namespace: s.namespace,
        service: s.service,
        pods: podsInvolved(endpointEvents, s, span),
        uncertain: inferredAt(endpointEvents, span.start) || inferredAt(endpointEvents, span.end),
        explanation: `Service ${s.service} had no ready endpoint ${fmtFor(span.end === undefined ? undefined : span.end - span.start)}: new connections were refused or sent only to terminating pods.`,
        fix: "Keep enough ready replicas during rollouts and drains: maxUnavailable 0 with maxSurge ≥ 1, a PodDisruptionBudget, more than one replica, and readiness that reflects real availability.",
        evidence: endpointEvents.filter((e) => e.service === s.service && e.namespace === s.namespace && e.at === span.start).map((e) => e.id),
      });
    }
    for (const span of zeroReadySpans(s, (p) => p.servingTerminating > 0)) {
      out.push({
        rule: "fallback-to-terminating",
        start: span.start,
        ...(span.end !== undefined ? { end: span.end } : {}),
        namespace: s.namespace,
        service: s.service,
        pods: podsInvolved(endpointEvents, s, span),
        uncertain: inferredAt(endpointEvents, span.start) || inferredAt(endpointEvents, span.end),
        explanation: `Service ${s.service} had no ready endpoint ${fmtFor(span.end === undefined ? undefined : span.end - span.start)}, so kube-proxy fell back to serving-but-terminating pods: traffic went to pods that were shutting down.`,
        fix: "Bring new pods up before old ones leave (maxSurge ≥ 1, maxUnavailable 0) so a ready endpoint always exists.",
        evidence: [],
      });
    }
  }
  return out;
}

export function gapWindows(gaps: readonly GapInterval[], namespaceOf: (g: GapInterval) => string): WindowDraft[] {
  return gaps.map((g) => ({
    rule: "unobserved" as const,
    start: g.start,
    ...(g.end !== undefined ? { end: g.end } : {}),
    namespace: namespaceOf(g),
    pods: [],
    uncertain: false,
    explanation:
      g.end === undefined
        ? `The watcher has not seen ${g.resource} since this time (${g.reason}) and is still retrying; what changes meanwhile will be known only from end states.`
        : `The watcher did not see ${g.resource} for ${fmtDuration(g.end - g.start)} (${g.reason}); what changed then is known only from end states.`,
    evidence: [g.eventId],
  }));
}
