/**
 * Suggested preStop sleep and grace from what was measured: the slowest time from delete request to
 * "out of every routing set" (+ the propagation budget), and the longest SIGTERM → exit drain.
 * e.g. LB took 11 s → sleep 15 s (11 + 2 s budget, rounded up to 5 s).
 */
import { ceilTo } from "../rules/format";
import { SECOND_MS } from "../model/time";
import { groupByWorkload } from "./lint";
import { deregisteredAt, routableIntervals } from "./membership";
import { servingContainerOf } from "./serving";
import type { PodLane, Suggestion } from "./types";

function propagationMs(l: PodLane): number | undefined {
  const t0 = l.keyTimes.deleteRequested?.at ?? l.keyTimes.killing?.at;
  if (t0 === undefined) return undefined;
  const routable = routableIntervals(l.endpoints, l.lbMembers);
  if (routable.length === 0) return undefined;
  const d = deregisteredAt(routable, t0);
  return d === undefined ? undefined : Math.max(0, d - t0);
}

function drainMs(l: PodLane): number | undefined {
  const { sigterm, exited } = l.keyTimes;
  return sigterm?.exact && exited ? Math.max(0, exited.at - sigterm.at) : undefined;
}

/** `budgetOf`: the propagation budget that applies to a pod (per-service overrides included). */
export function suggestSettings(lanes: readonly PodLane[], budgetOf: (lane: PodLane) => number): Suggestion[] {
  const out: Suggestion[] = [];
  for (const group of groupByWorkload(lanes).values()) {
    const props = group.map(propagationMs).filter((v): v is number => v !== undefined);
    if (props.length === 0) continue;
    const budgetMs = Math.max(...group.map(budgetOf));
    const lane = group.find((l) => l.spec) ?? group[0];
    if (!lane) continue;
    const measured = Math.max(...props);
    const drains = group.map(drainMs).filter((v): v is number => v !== undefined);
    const drain = drains.length ? Math.max(...drains) : undefined;
    const container = servingContainerOf(lane.spec);
    const currentSleep = container?.preStop.sleepSeconds ?? (container?.preStop.kind === "none" ? 0 : undefined);
    const currentGrace = lane.spec?.terminationGracePeriodSeconds ?? 30;
    const neededSleep = (measured + budgetMs) / SECOND_MS;
    const suggestedSleep = Math.max(5, ceilTo(neededSleep, 5));
    const suggestedGrace = Math.max(currentGrace, ceilTo(suggestedSleep + (drain ?? 0) / SECOND_MS + 5, 5));
    const needsChange = currentSleep === undefined || currentSleep < neededSleep || suggestedGrace > currentGrace;
    const measuredText = `${(measured / SECOND_MS).toFixed(1)} s`;
    const budgetText = `${budgetMs / SECOND_MS} s`;
    const graceText = suggestedGrace > currentGrace ? ` and terminationGracePeriodSeconds to ${suggestedGrace} s` : "";
    const message =
      currentSleep === 0
        ? `${lane.workload}: no preStop sleep, and routing took up to ${measuredText} to drop a pod (+${budgetText} for consumers to catch up): add a preStop sleep of ${suggestedSleep} s${graceText}.`
        : currentSleep !== undefined && currentSleep < neededSleep
          ? `${lane.workload}: preStop sleep of ${currentSleep} s is shorter than the ${measuredText} routing took to drop a pod (+${budgetText}): raise it to ${suggestedSleep} s${graceText}.`
          : `${lane.workload}: routing dropped pods within ${measuredText}; a preStop sleep of ${suggestedSleep} s and a grace of ${suggestedGrace} s cover it${needsChange ? "" : " (current settings are enough)"}.`;
    out.push({
      namespace: lane.namespace,
      workload: lane.workload,
      measuredPropagationMs: measured,
      ...(drain !== undefined ? { measuredDrainMs: drain } : {}),
      ...(currentSleep !== undefined ? { currentPreStopSleepSeconds: currentSleep } : {}),
      suggestedPreStopSleepSeconds: suggestedSleep,
      currentGraceSeconds: currentGrace,
      suggestedGraceSeconds: suggestedGrace,
      needsChange,
      message,
    });
  }
  return out;
}
