/** The resources the watcher lists and watches, with their API paths. List items carry no kind: we add it. */
export interface WatchedResource {
  readonly name: "pods" | "endpointslices" | "events" | "services" | "replicasets" | "deployments";
  readonly kind: string;
  readonly apiVersion: string;
  /** Path prefix: "/api/v1" or "/apis/GROUP/VERSION". */
  readonly prefix: string;
}

export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  { name: "pods", kind: "Pod", apiVersion: "v1", prefix: "/api/v1" },
  { name: "endpointslices", kind: "EndpointSlice", apiVersion: "discovery.k8s.io/v1", prefix: "/apis/discovery.k8s.io/v1" },
  // core/v1 Events show events.k8s.io/v1 writes too (one storage): watching both would double them.
  { name: "events", kind: "Event", apiVersion: "v1", prefix: "/api/v1" },
  { name: "services", kind: "Service", apiVersion: "v1", prefix: "/api/v1" },
  { name: "replicasets", kind: "ReplicaSet", apiVersion: "apps/v1", prefix: "/apis/apps/v1" },
  { name: "deployments", kind: "Deployment", apiVersion: "apps/v1", prefix: "/apis/apps/v1" },
];

export function resourcePath(r: WatchedResource, namespace: string | undefined): string {
  return namespace ? `${r.prefix}/namespaces/${encodeURIComponent(namespace)}/${r.name}` : `${r.prefix}/${r.name}`;
}
