/**
 * Pod status as the kubelet writes it, built from the pod worker's view of its containers. Pure: the
 * worker decides when to write, these functions decide what (field shapes from shared/fixtures).
 */
import type { ContainerState, ContainerStateTerminated, Pod, PodPhase } from "../k8s/types";
import { setPodCondition } from "./pod-api";

export interface ContainerView {
  readonly name: string;
  readonly image: string;
  readonly containerId: string;
  readonly restartCount: number;
  readonly ready: boolean;
  readonly state: ContainerState;
  readonly lastState: ContainerState;
}

export interface PodNetwork {
  readonly hostIP: string;
  readonly podIP: string;
  readonly startTime: string;
}

/** Write container statuses and the Ready / ContainersReady conditions that follow from them. */
export function writeContainers(pod: Pod, views: readonly ContainerView[], nowIso: string, net?: PodNetwork): void {
  setPodCondition(pod, "Initialized", "True", nowIso);
  const unready = views.filter((v) => !v.ready).map((v) => v.name);
  const allReady = unready.length === 0 && views.length > 0;
  const terminal = pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
  const reason = terminal ? "PodCompleted" : allReady ? undefined : "ContainersNotReady";
  const message = terminal || allReady ? undefined : `containers with unready status: [${unready.join(" ")}]`;
  setPodCondition(pod, "ContainersReady", allReady ? "True" : "False", nowIso, reason, message);
  setPodCondition(pod, "Ready", allReady ? "True" : "False", nowIso, reason, message);
  if (net) {
    pod.status.hostIP = net.hostIP;
    pod.status.podIP = net.podIP;
    pod.status.podIPs = [{ ip: net.podIP }];
    pod.status.startTime = net.startTime;
  }
  pod.status.containerStatuses = views.map((v) => ({
    name: v.name,
    state: v.state,
    lastState: v.lastState,
    ready: v.ready,
    restartCount: v.restartCount,
    image: v.image,
    imageID: `docker.io/library/${v.image.split("/").pop() ?? v.image}@sha256:${"0".repeat(64)}`,
    containerID: v.containerId,
    started: v.state.running !== undefined,
  }));
  // Keep the field order of a real pod status: qosClass last.
  const { qosClass, ...rest } = pod.status;
  pod.status = { ...rest, qosClass };
}

/** The phase once every container of a pod being deleted has stopped. */
export function terminalPhase(exits: readonly ContainerStateTerminated[]): PodPhase {
  return exits.every((t) => t.exitCode === 0) ? "Succeeded" : "Failed";
}

/** Move the pod to its terminal phase; Ready conditions get reason PodCompleted. */
export function writeTerminalPhase(pod: Pod, phase: PodPhase, nowIso: string): void {
  pod.status.phase = phase;
  setPodCondition(pod, "ContainersReady", "False", nowIso, "PodCompleted");
  setPodCondition(pod, "Ready", "False", nowIso, "PodCompleted");
}
