/**
 * zod schemas for the lifecycle-event union (events.ts), so observations that arrive from outside — an
 * imported bundle, a hand-edited file — are checked field by field before they reach the store. The
 * schemas follow the TypeScript types one to one; `satisfies` below keeps the two from drifting apart.
 */
import { z } from "zod";
import type { LifecycleEvent } from "./events";

const num = z.number().finite();
const str = z.string();
const strList = z.array(z.string()).readonly();

const base = {
  id: z.string().min(1).max(2000),
  cluster: z.string().min(1).max(253),
  namespace: str,
  source: str,
  observedAt: num.optional(),
  seq: num.optional(),
  at: num,
  range: z.tuple([num, num]).readonly(),
  clock: z.enum(["apiserver", "node", "controller", "watcher"]),
  precision: z.enum(["exact", "second", "estimated", "inferred"]),
};
const podRef = { pod: str, podUid: z.string().min(1) };

const preStop = z.object({
  kind: z.enum(["none", "sleep", "exec", "http"]),
  sleepSeconds: num.optional(),
  sleepOnly: z.boolean().optional(),
  command: str.optional(),
});
const container = z.object({
  name: str,
  ports: z.array(num).readonly(),
  preStop,
  readinessProbe: z.boolean(),
  livenessProbe: z.boolean(),
  startupProbe: z.boolean(),
});
const spec = z.object({
  owner: z.object({ kind: str, name: str, uid: str.optional() }).optional(),
  node: str.optional(),
  podIPs: strList,
  hostIP: str.optional(),
  terminationGracePeriodSeconds: num,
  containers: z.array(container).readonly(),
  readinessGates: strList,
  labels: z.record(z.string(), z.string()),
  createdAt: num.optional(),
});

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ ...base, type: z.literal(type), ...shape });
const podEv = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ ...base, ...podRef, type: z.literal(type), ...shape });

export const LifecycleEventSchema = z.discriminatedUnion("type", [
  podEv("pod-seen", { spec }),
  podEv("pod-scheduled", { node: str }),
  podEv("pod-ready-changed", { ready: z.boolean() }),
  podEv("pod-phase-changed", { phase: z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]) }),
  podEv("disruption-target", { reason: str, message: str.optional() }),
  podEv("delete-requested", { graceSeconds: num, deadline: num, force: z.boolean(), specGraceSeconds: num }),
  podEv("container-killing", { container: str, cause: z.enum(["stop", "probe-restart", "other-restart"]), message: str }),
  podEv("prestop-failed", { container: str, message: str }),
  podEv("container-started", { container: str, restartCount: num }),
  podEv("container-terminated", {
    container: str,
    exitCode: num,
    reason: str,
    exitKind: z.enum(["completed", "sigterm", "sigkill", "oom", "status-unknown", "error"]),
    restartCount: num,
  }),
  podEv("pod-removed", { via: z.enum(["watch", "relist", "recording-end"]) }),
  podEv("endpoint-changed", { service: str, slice: str, addresses: strList, ready: z.boolean(), serving: z.boolean(), terminating: z.boolean() }),
  podEv("endpoint-removed", { service: str, slice: str, reason: z.enum(["endpoint-gone", "slice-deleted"]) }),
  ev("lb-member-changed", {
    lbSource: str,
    lb: str,
    member: str,
    state: z.enum(["active", "draining", "removed", "unhealthy"]),
    weight: num.optional(),
    connections: num.optional(),
    service: str.optional(),
    pod: str.optional(),
    podUid: str.optional(),
  }),
  podEv("in-pod-signal", { signal: z.enum(["prestop-start", "prestop-end", "sigterm-received", "shutdown-done"]) }),
  ev("watcher-gap", { resource: str, from: num, to: num.optional(), reason: str }),
  ev("k8s-event", {
    reason: str,
    message: str,
    eventType: str,
    involvedKind: str,
    involvedName: str,
    involvedUid: str.optional(),
    count: num,
    pod: str.optional(),
    podUid: str.optional(),
  }),
  ev("replicaset-seen", { name: str, uid: str, deployment: str.optional(), revision: str.optional(), replicas: num }),
  ev("deployment-seen", {
    name: str,
    uid: str,
    replicas: num,
    strategy: str,
    maxSurge: str.optional(),
    maxUnavailable: str.optional(),
    revision: str.optional(),
  }),
  ev("service-seen", {
    name: str,
    uid: str,
    hasSelector: z.boolean(),
    serviceType: str,
    externalTrafficPolicy: str.optional(),
    publishNotReadyAddresses: z.boolean(),
    deleted: z.boolean(),
  }),
]);

/** Compile-time check that every parsed observation is a LifecycleEvent. */
export type ParsedLifecycleEvent = z.output<typeof LifecycleEventSchema>;
const _check = (e: ParsedLifecycleEvent): LifecycleEvent => e;
void _check;

/** One line per issue, at most three, with the field path inside the observation. */
export function describeEventIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `field "${i.path.join(".")}": ${i.message}` : i.message))
    .join("; ");
}
