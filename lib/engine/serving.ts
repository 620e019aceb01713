import type { ContainerSummary, PodSpecSummary } from "../model/events";

/** The container that serves traffic: the first with a port, else the first. */
export function servingContainerOf(spec: PodSpecSummary | undefined): ContainerSummary | undefined {
  const containers = spec?.containers ?? [];
  return containers.find((c) => c.ports.length > 0) ?? containers[0];
}
