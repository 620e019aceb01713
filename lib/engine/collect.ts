/**
 * One pass over the sorted log: group every event by the pod, service, workload or LB member it is
 * about. Later stages work on these groups and never rescan the whole log.
 */
import {
  compareEvents,
  type ContainerKilling,
  type ContainerStarted,
  type ContainerTerminated,
  type DeleteRequested,
  type DeploymentSeen,
  type DisruptionTarget,
  type EndpointChanged,
  type EndpointRemoved,
  type InPodSignalEvent,
  type LbMemberChanged,
  type LifecycleEvent,
  type PodReadyChanged,
  type PodRemoved,
  type PodSeen,
  type PreStopFailed,
  type ReplicaSetSeen,
  type ServiceSeen,
  type WatcherGap,
} from "../model/events";

export interface PodEvents {
  readonly uid: string;
  name: string;
  namespace: string;
  seen?: PodSeen;
  firstSeen?: PodSeen;
  node?: string;
  readonly ready: PodReadyChanged[];
  readonly deletes: DeleteRequested[];
  disruption?: DisruptionTarget;
  readonly killings: ContainerKilling[];
  readonly prestopFailed: PreStopFailed[];
  readonly started: ContainerStarted[];
  readonly terminated: ContainerTerminated[];
  removed?: PodRemoved;
  readonly endpoints: (EndpointChanged | EndpointRemoved)[];
  readonly lb: LbMemberChanged[];
  readonly signals: InPodSignalEvent[];
}

export interface Collected {
  readonly pods: Map<string, PodEvents>;
  readonly replicaSets: Map<string, ReplicaSetSeen>;
  readonly deployments: Map<string, DeploymentSeen>;
  readonly services: Map<string, ServiceSeen>;
  /** Every version of each Service, in time order (deletions and re-creations). */
  readonly serviceHistory: Map<string, ServiceSeen[]>;
  /** Endpoint events in time order across all pods, for per-service counts. */
  readonly endpointEvents: (EndpointChanged | EndpointRemoved)[];
  /** LB events that name no pod: matched to pods by IP afterwards. */
  readonly unmatchedLb: LbMemberChanged[];
  readonly gaps: WatcherGap[];
}

function newPod(uid: string, name: string, namespace: string): PodEvents {
  return {
    uid,
    name,
    namespace,
    ready: [],
    deletes: [],
    killings: [],
    prestopFailed: [],
    started: [],
    terminated: [],
    endpoints: [],
    lb: [],
    signals: [],
  };
}

export function nsKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Sorting is stable, so a log already in order (as the stores return it) is used as is. */
function inOrder(events: readonly LifecycleEvent[]): readonly LifecycleEvent[] {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1] as LifecycleEvent, events[i] as LifecycleEvent) > 0) return [...events].sort(compareEvents);
  return events;
}

export function collect(events: readonly LifecycleEvent[]): Collected {
  const sorted = inOrder(events);
  const out: Collected = {
    pods: new Map(),
    replicaSets: new Map(),
    deployments: new Map(),
    services: new Map(),
    serviceHistory: new Map(),
    endpointEvents: [],
    unmatchedLb: [],
    gaps: [],
  };
  const pod = (uid: string, name: string, namespace: string): PodEvents => {
    let p = out.pods.get(uid);
    if (!p) {
      p = newPod(uid, name, namespace);
      out.pods.set(uid, p);
    }
    return p;
  };
  for (const e of sorted) {
    switch (e.type) {
      case "pod-seen": {
        const p = pod(e.podUid, e.pod, e.namespace);
        p.seen = e;
        p.firstSeen ??= e;
        if (e.spec.node) p.node = e.spec.node;
        break;
      }
      case "pod-scheduled":
        pod(e.podUid, e.pod, e.namespace).node = e.node;
        break;
      case "pod-ready-changed":
        pod(e.podUid, e.pod, e.namespace).ready.push(e);
        break;
      case "pod-phase-changed":
        pod(e.podUid, e.pod, e.namespace);
        break;
      case "disruption-target":
        pod(e.podUid, e.pod, e.namespace).disruption ??= e;
        break;
      case "delete-requested":
        pod(e.podUid, e.pod, e.namespace).deletes.push(e);
        break;
      case "container-killing":
        pod(e.podUid, e.pod, e.namespace).killings.push(e);
        break;
      case "prestop-failed":
        pod(e.podUid, e.pod, e.namespace).prestopFailed.push(e);
        break;
      case "container-started":
        pod(e.podUid, e.pod, e.namespace).started.push(e);
        break;
      case "container-terminated":
        pod(e.podUid, e.pod, e.namespace).terminated.push(e);
        break;
      case "pod-removed": {
        const p = pod(e.podUid, e.pod, e.namespace);
        p.removed ??= e;
        break;
      }
      case "endpoint-changed":
      case "endpoint-removed":
        pod(e.podUid, e.pod, e.namespace).endpoints.push(e);
        out.endpointEvents.push(e);
        break;
      case "lb-member-changed":
        if (e.podUid) pod(e.podUid, e.pod ?? e.podUid, e.namespace).lb.push(e);
        else out.unmatchedLb.push(e);
        break;
      case "in-pod-signal":
        pod(e.podUid, e.pod, e.namespace).signals.push(e);
        break;
      case "watcher-gap":
        out.gaps.push(e);
        break;
      case "replicaset-seen":
        out.replicaSets.set(nsKey(e.namespace, e.name), e);
        break;
      case "deployment-seen":
        out.deployments.set(nsKey(e.namespace, e.name), e);
        break;
      case "service-seen": {
        const key = nsKey(e.namespace, e.name);
        out.services.set(key, e);
        const h = out.serviceHistory.get(key) ?? [];
        h.push(e);
        out.serviceHistory.set(key, h);
        break;
      }
      case "k8s-event":
        break;
    }
  }
  matchLbMembersByIp(out);
  return out;
}

/** How long after a pod's removal a node-level LB member still counts as routing to it. */
const NODE_MEMBER_AFTERLIFE_MS = 120_000;

/**
 * An LB names members by address; give each the pod that held that IP at the time (newest first).
 * LBs in front of `externalTrafficPolicy: Local` services name nodes (nodeIP:nodePort) instead: such a
 * member routes to that service's pods on that node, so it is attached to each of them for the pod's
 * life (plus its state just before, and a while after its removal, when a late LB still sends traffic).
 */
function matchLbMembersByIp(c: Collected): void {
  if (c.unmatchedLb.length === 0) return;
  const byIp = new Map<string, PodEvents[]>();
  const byHost = new Map<string, PodEvents[]>();
  const add = (m: Map<string, PodEvents[]>, k: string, p: PodEvents) => {
    const list = m.get(k) ?? [];
    list.push(p);
    m.set(k, list);
  };
  for (const p of c.pods.values()) {
    for (const ip of p.seen?.spec.podIPs ?? []) add(byIp, ip, p);
    const host = p.seen?.spec.hostIP;
    if (host) add(byHost, host, p);
  }
  for (const list of byIp.values()) list.sort((a, b) => (b.firstSeen?.at ?? 0) - (a.firstSeen?.at ?? 0));
  const byNodeMember = new Map<string, LbMemberChanged[]>();
  const rest: LbMemberChanged[] = [];
  for (const e of c.unmatchedLb) {
    const ip = memberIp(e.member);
    const owner = byIp.get(ip)?.find((p) => (p.firstSeen?.at ?? 0) <= e.at) ?? byIp.get(ip)?.at(-1);
    if (owner) owner.lb.push(e);
    else if (e.service && byHost.has(ip)) {
      const key = `${e.lbSource}|${e.lb}|${e.member}|${e.service}`;
      const list = byNodeMember.get(key) ?? [];
      list.push(e);
      byNodeMember.set(key, list);
    } else rest.push(e);
  }
  for (const events of byNodeMember.values()) {
    const first = events[0];
    if (!first?.service) continue;
    const service = first.service;
    for (const p of byHost.get(memberIp(first.member)) ?? []) {
      if (p.namespace !== first.namespace && first.namespace !== "") continue;
      if (!p.endpoints.some((ep) => ep.service === service)) continue;
      const from = p.firstSeen?.at ?? Number.NEGATIVE_INFINITY;
      const to = p.removed ? p.removed.at + NODE_MEMBER_AFTERLIFE_MS : Number.POSITIVE_INFINITY;
      const before = events.filter((e) => e.at < from).at(-1);
      const during = events.filter((e) => e.at >= from && e.at <= to);
      if (before) p.lb.push(before);
      p.lb.push(...during);
    }
  }
  c.unmatchedLb.length = 0;
  c.unmatchedLb.push(...rest);
}

/** "10.0.0.5:8080" → "10.0.0.5"; "[fd00::5]:8080" → "fd00::5"; a bare address stays as is. */
export function memberIp(member: string): string {
  const v6 = /^\[([^\]]+)\]/.exec(member);
  if (v6?.[1]) return v6[1];
  const parts = member.split(":");
  return parts.length === 2 ? (parts[0] ?? member) : member;
}
