/** Reduce a Pod spec to what termination analysis needs: owner, node, IPs, grace, preStop, probes, ports. */
import type { ContainerSummary, PodSpecSummary, PreStopSummary } from "../model/events";
import type { Pod } from "../k8s/objects";
import { parseTimestamp } from "../model/time";

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_SECONDS = 30;

const SHELLS = new Set(["sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash", "/usr/bin/bash"]);
const SLEEP_BINARIES = new Set(["sleep", "/bin/sleep", "/usr/bin/sleep"]);

/**
 * Read `sleep N` out of an exec preStop. `["sh","-c","sleep 5"]` and `["sleep","5"]` are sleep-only (SIGTERM
 * follows Killing by exactly min(N, grace)); `sleep 5 && nginx -s quit` sleeps at least N, then more.
 */
export function parseExecSleep(command: readonly string[]): { seconds: number; sleepOnly: boolean } | undefined {
  const [first, second, ...rest] = command;
  if (first === undefined) return undefined;
  if (SLEEP_BINARIES.has(first) && second !== undefined && rest.length === 0) {
    const seconds = parseSeconds(second);
    return seconds === undefined ? undefined : { seconds, sleepOnly: true };
  }
  if (SHELLS.has(first) && second === "-c" && rest.length >= 1) {
    const script = (rest[0] ?? "").trim();
    const match = /^(?:exec\s+)?(?:\/bin\/|\/usr\/bin\/)?sleep\s+([0-9]+(?:\.[0-9]+)?s?)\s*(;|&&)?\s*(.*)$/s.exec(script);
    if (!match) return undefined;
    const seconds = parseSeconds(match[1] ?? "");
    if (seconds === undefined) return undefined;
    const tail = (match[3] ?? "").trim();
    const sleepOnly = tail === "" || /^(exit 0|true|:)\s*;?$/.test(tail);
    return { seconds, sleepOnly };
  }
  return undefined;
}

function parseSeconds(text: string): number | undefined {
  const value = Number(text.endsWith("s") ? text.slice(0, -1) : text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

type ContainerSpec = NonNullable<Pod["spec"]>["containers"][number];

export function summarizePreStop(container: ContainerSpec): PreStopSummary {
  const hook = container.lifecycle?.preStop;
  if (!hook) return { kind: "none" };
  if (hook.sleep) return { kind: "sleep", sleepSeconds: hook.sleep.seconds, sleepOnly: true };
  if (hook.exec) {
    const command = hook.exec.command ?? [];
    const sleep = parseExecSleep(command);
    const text = command.join(" ").slice(0, 200);
    return sleep
      ? { kind: "exec", sleepSeconds: sleep.seconds, sleepOnly: sleep.sleepOnly, command: text }
      : { kind: "exec", command: text };
  }
  if (hook.httpGet) return { kind: "http", command: `GET ${hook.httpGet.path ?? "/"}` };
  return { kind: "exec" };
}

function summarizeContainer(container: ContainerSpec): ContainerSummary {
  return {
    name: container.name,
    ports: (container.ports ?? []).map((p) => p.containerPort),
    preStop: summarizePreStop(container),
    readinessProbe: Boolean(container.readinessProbe),
    livenessProbe: Boolean(container.livenessProbe),
    startupProbe: Boolean(container.startupProbe),
  };
}

export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  const single = pod.status?.podIP;
  if (single && !ips.includes(single)) ips.unshift(single);
  return ips;
}

export function summarizePodSpec(pod: Pod): PodSpecSummary {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  const createdAt = parseTimestamp(pod.metadata.creationTimestamp);
  // Built by assignment in the key order conditional spreads gave (the stored payload is its JSON).
  const out: { -readonly [K in keyof PodSpecSummary]: PodSpecSummary[K] } = {} as PodSpecSummary;
  if (owner) out.owner = owner.uid ? { kind: owner.kind, name: owner.name, uid: owner.uid } : { kind: owner.kind, name: owner.name };
  if (pod.spec?.nodeName) out.node = pod.spec.nodeName;
  out.podIPs = podIPs(pod);
  if (pod.status?.hostIP) out.hostIP = pod.status.hostIP;
  out.terminationGracePeriodSeconds = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  out.containers = (pod.spec?.containers ?? []).map(summarizeContainer);
  out.readinessGates = (pod.spec?.readinessGates ?? []).map((g) => g.conditionType);
  out.labels = { ...(pod.metadata.labels ?? {}) };
  if (createdAt !== undefined) out.createdAt = createdAt;
  return out;
}
