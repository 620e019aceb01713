/**
 * The API resources the simulated cluster serves: one table drives routing, discovery documents,
 * list kinds and Table printing, so adding a resource is one row.
 */
import type { ResourceName } from "./types";

export interface ResourceInfo {
  readonly name: ResourceName;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  readonly categories?: readonly string[];
}

const READ = ["get", "list", "watch"] as const;

export const RESOURCES: readonly ResourceInfo[] = [
  { name: "pods", singular: "pod", kind: "Pod", listKind: "PodList", group: "", version: "v1", namespaced: true, shortNames: ["po"], verbs: READ, categories: ["all"] },
  { name: "events", singular: "event", kind: "Event", listKind: "EventList", group: "", version: "v1", namespaced: true, shortNames: ["ev"], verbs: READ },
  { name: "services", singular: "service", kind: "Service", listKind: "ServiceList", group: "", version: "v1", namespaced: true, shortNames: ["svc"], verbs: READ, categories: ["all"] },
  { name: "namespaces", singular: "namespace", kind: "Namespace", listKind: "NamespaceList", group: "", version: "v1", namespaced: false, shortNames: ["ns"], verbs: READ },
  { name: "nodes", singular: "node", kind: "Node", listKind: "NodeList", group: "", version: "v1", namespaced: false, shortNames: ["no"], verbs: READ },
  { name: "endpointslices", singular: "endpointslice", kind: "EndpointSlice", listKind: "EndpointSliceList", group: "discovery.k8s.io", version: "v1", namespaced: true, shortNames: [], verbs: READ },
  { name: "deployments", singular: "deployment", kind: "Deployment", listKind: "DeploymentList", group: "apps", version: "v1", namespaced: true, shortNames: ["deploy"], verbs: READ, categories: ["all"] },
  { name: "replicasets", singular: "replicaset", kind: "ReplicaSet", listKind: "ReplicaSetList", group: "apps", version: "v1", namespaced: true, shortNames: ["rs"], verbs: READ, categories: ["all"] },
];

export const RESOURCE_NAMES: readonly ResourceName[] = RESOURCES.map((r) => r.name);

export function groupVersion(r: ResourceInfo): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}

export function resourceInfo(name: ResourceName): ResourceInfo {
  const info = RESOURCES.find((r) => r.name === name);
  if (!info) throw new Error(`unknown resource ${name}`);
  return info;
}

/** Find a resource by its URL coordinates (group "" = core). */
export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.name === plural);
}

export function resourcesInGroupVersion(group: string, version: string): readonly ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}
