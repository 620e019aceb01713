/**
 * Ingested reports → lifecycle events. In-pod signals carry the pod's own clock when it sent `at`
 * (the node's clock, millisecond precision), else the time the server received them.
 */
import type { LbIngest, SignalIngest } from "../api/contracts";
import type { InPodSignalEvent, LbMemberChanged } from "../model/events";
import { exactTime, rangeTime } from "../model/time";

export function signalToEvent(body: SignalIngest, cluster: string, receivedAt: number): InPodSignalEvent {
  const t = body.at !== undefined ? exactTime(body.at, "node") : exactTime(receivedAt, "watcher");
  return {
    id: `signal:${body.podUid}:${body.signal}:${t.at}`,
    cluster: body.cluster ?? cluster,
    namespace: body.namespace,
    pod: body.pod,
    podUid: body.podUid,
    source: "ingest",
    ...t,
    observedAt: receivedAt,
    type: "in-pod-signal",
    signal: body.signal,
  };
}

export function lbToEvents(body: LbIngest, cluster: string, receivedAt: number): LbMemberChanged[] {
  return body.members.map((m, i) => {
    // A polled change is known only between the reporter's previous poll and this one.
    const t =
      m.at === undefined
        ? exactTime(receivedAt, "watcher")
        : m.since !== undefined && m.since < m.at
          ? rangeTime(m.since, m.at, "controller", "estimated", m.at)
          : exactTime(m.at, "controller");
    return {
      id: `lb:${m.source}:${m.lb}:${m.member}:${t.at}:${m.state}:${m.connections ?? ""}`,
      cluster: body.cluster ?? cluster,
      namespace: m.namespace ?? "",
      source: m.source,
      ...t,
      observedAt: receivedAt,
      seq: i,
      type: "lb-member-changed",
      lbSource: m.source,
      lb: m.lb,
      member: m.member,
      state: m.state,
      ...(m.weight !== undefined ? { weight: m.weight } : {}),
      ...(m.connections !== undefined ? { connections: m.connections } : {}),
      ...(m.service ? { service: m.service } : {}),
    };
  });
}
