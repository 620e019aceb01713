/**
 * A pod's termination in key times: delete request, Killing (preStop start), SIGTERM, exit, removal.
 * SIGTERM never appears in the API; it is estimated from Killing and the preStop hook (kubernetes-signals.md):
 * exact for no preStop and for `sleep N` (Killing + min(N, grace)), otherwise the interval [Killing, exit].
 * After a force delete the kubelet skips preStop (it runs the hook only while the pod's deletion grace is
 * above 0), so SIGTERM comes with Killing whatever the hook.
 */
import type { ContainerKilling, ContainerSummary, ContainerTerminated } from "../model/events";
import { rangeTime, SECOND_MS, shiftTime, type TimeEstimate } from "../model/time";
import type { PodEvents } from "./collect";
import { servingContainerOf } from "./serving";
import type { ExitInfo, PodKeyTimes, SigtermEstimate } from "./types";

export function servingContainer(p: PodEvents): ContainerSummary | undefined {
  return servingContainerOf(p.seen?.spec);
}

function stopKilling(p: PodEvents, container: string | undefined, after: number): ContainerKilling | undefined {
  const stops = p.killings.filter((k) => k.cause === "stop" && k.range[1] >= after);
  return stops.find((k) => k.container === container) ?? stops[0];
}

function terminationExit(p: PodEvents, container: string | undefined, after: number): ContainerTerminated | undefined {
  const exits = p.terminated.filter((t) => t.range[1] >= after);
  return exits.find((t) => t.container === container) ?? (container === undefined ? exits[0] : undefined) ?? exits[0];
}

export function computeKeyTimes(p: PodEvents): PodKeyTimes {
  const serving = servingContainer(p);
  const del = p.deletes[0];
  const lastDel = p.deletes.at(-1);
  const firstReady = p.ready.find((r) => r.ready);
  // Termination begins at the delete request, or at a Killing "Stopping container" without one
  // (kubelet-initiated: node pressure, shutdown).
  const killingEvent = stopKilling(p, serving?.name, del ? del.range[0] : Number.NEGATIVE_INFINITY);
  const graceSeconds = lastDel && !lastDel.force ? lastDel.graceSeconds : (p.seen?.spec.terminationGracePeriodSeconds ?? lastDel?.specGraceSeconds);
  const terminationStart = del?.at ?? killingEvent?.at;
  // Built by assignment, not spreads (this runs once per pod); the key order is the API's.
  const out: Mutable<PodKeyTimes> = {};
  const createdAt = p.firstSeen?.spec.createdAt;
  if (createdAt !== undefined) out.created = { at: createdAt, range: [createdAt, createdAt + SECOND_MS - 1], clock: "apiserver", precision: "second" };
  if (firstReady) out.firstReady = pick(firstReady);
  if (del) out.deleteRequested = { at: del.at, range: del.range, clock: del.clock, precision: del.precision, graceSeconds: lastDel?.graceSeconds ?? del.graceSeconds, force: del.force, eventId: del.id };
  if (p.disruption) out.disruption = { at: p.disruption.at, range: p.disruption.range, clock: p.disruption.clock, precision: p.disruption.precision, reason: p.disruption.reason };
  if (p.removed) out.removed = { at: p.removed.at, range: p.removed.range, clock: p.removed.clock, precision: p.removed.precision, via: p.removed.via };
  if (graceSeconds !== undefined) out.graceSeconds = graceSeconds;
  out.killedBySigkill = false;
  out.killedAtDeadline = false;
  if (terminationStart === undefined) return out as PodKeyTimes;

  const killing: PodKeyTimes["killing"] = killingEvent
    ? { at: killingEvent.at, range: killingEvent.range, clock: killingEvent.clock, precision: killingEvent.precision, container: killingEvent.container, inferred: false, eventId: killingEvent.id }
    : del && !del.force
      ? // No Killing event seen (missed or expired): the kubelet acts within about a second of the request.
        { ...rangeTime(del.range[0], del.range[1] + SECOND_MS, del.clock, "inferred", del.at), container: serving?.name ?? "", inferred: true }
      : undefined;
  const exitEvent = terminationExit(p, killing?.container ?? serving?.name, terminationStart - SECOND_MS);
  const exited: ExitInfo | undefined = exitEvent
    ? { at: exitEvent.at, range: exitEvent.range, clock: exitEvent.clock, precision: exitEvent.precision, container: exitEvent.container, exitCode: exitEvent.exitCode, reason: exitEvent.reason, exitKind: exitEvent.exitKind, eventId: exitEvent.id }
    : undefined;
  const preStopSkipped = lastDel?.force === true && killing !== undefined && killing.range[1] >= lastDel.range[0];
  const sigterm = killing ? estimateSigterm(p, killing, serving, graceSeconds ?? 30, exited, preStopSkipped) : undefined;
  const killedBySigkill = exited?.exitKind === "sigkill";
  const killedAtDeadline =
    killedBySigkill && killing !== undefined && exited !== undefined && isAtDeadline(killing, exited, graceSeconds ?? 30);
  if (killing) out.killing = killing;
  if (sigterm) out.sigterm = sigterm;
  if (exited) out.exited = exited;
  out.killedBySigkill = killedBySigkill;
  out.killedAtDeadline = killedAtDeadline;
  return out as PodKeyTimes;
}

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

function pick(t: TimeEstimate): TimeEstimate {
  return { at: t.at, range: t.range, clock: t.clock, precision: t.precision };
}

function estimateSigterm(
  p: PodEvents,
  killing: TimeEstimate,
  serving: ContainerSummary | undefined,
  graceSeconds: number,
  exited: ExitInfo | undefined,
  preStopSkipped: boolean,
): SigtermEstimate {
  const reported = p.signals.find((s) => s.signal === "sigterm-received" && s.at >= killing.range[0] - SECOND_MS);
  if (reported) return { ...pick(reported), exact: true, basis: "in-pod-report" };
  const prestopEnd = p.signals.find((s) => s.signal === "prestop-end" && s.at >= killing.range[0] - SECOND_MS);
  if (prestopEnd) return { ...pick(prestopEnd), exact: true, basis: "prestop-end" };
  const failed = p.prestopFailed.find((f) => f.range[1] >= killing.range[0]);
  if (failed) return { ...pick(failed), exact: true, basis: "prestop-failed" };
  if (preStopSkipped) return { ...pick(killing), exact: true, basis: "prestop-skipped" };
  const hook = serving?.preStop ?? { kind: "none" as const };
  const graceMs = graceSeconds * SECOND_MS;
  if (hook.kind === "none") return { ...pick(killing), exact: true, basis: "no-prestop" };
  const sleepMs = hook.sleepSeconds !== undefined ? Math.min(hook.sleepSeconds * SECOND_MS, graceMs) : undefined;
  if (sleepMs !== undefined && hook.sleepOnly) {
    return { ...shiftTime(killing, sleepMs, killing.precision === "inferred" ? "inferred" : "estimated"), exact: true, basis: "prestop-sleep" };
  }
  // Unknown hook duration: SIGTERM lies between the hook's start (plus any leading sleep) and the
  // earlier of the grace deadline and the exit.
  const lo = killing.range[0] + (sleepMs ?? 0);
  const deadline = killing.range[1] + graceMs;
  const hi = Math.max(lo, Math.min(deadline, exited?.range[1] ?? deadline));
  return { ...rangeTime(lo, hi, killing.clock, "estimated"), exact: false, basis: "interval" };
}

/** SIGKILL at the deadline: exit 137 (not OOM) at Killing + grace − 1 s or later (± the 1 s stamps). */
function isAtDeadline(killing: TimeEstimate, exited: ExitInfo, graceSeconds: number): boolean {
  return exited.range[1] - killing.range[0] >= graceSeconds * SECOND_MS - SECOND_MS;
}
