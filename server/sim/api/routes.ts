/** URL path → what the request is about. Pure, so the routing table is tested without a server. */
import { findResource, type ResourceInfo } from "../k8s/resources";

export type Route =
  | { readonly kind: "version" }
  | { readonly kind: "health" }
  | { readonly kind: "core-versions" }
  | { readonly kind: "groups" }
  | { readonly kind: "group"; readonly group: string }
  | { readonly kind: "resource-list"; readonly group: string; readonly version: string }
  | { readonly kind: "collection"; readonly resource: ResourceInfo; readonly namespace: string | undefined }
  | { readonly kind: "object"; readonly resource: ResourceInfo; readonly namespace: string | undefined; readonly name: string }
  | { readonly kind: "sim"; readonly rest: readonly string[] }
  | { readonly kind: "unknown" };

const GROUPS = new Set(["apps", "discovery.k8s.io"]);

function resourceRoute(group: string, version: string, rest: readonly string[]): Route {
  // rest: [plural] | [plural, name] | ["namespaces", ns, plural] | ["namespaces", ns, plural, name]
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const [, ns = "", plural = "", name] = rest;
    const resource = findResource(group, version, plural);
    if (!resource?.namespaced || rest.length > 4) return { kind: "unknown" };
    return name === undefined ? { kind: "collection", resource, namespace: ns } : { kind: "object", resource, namespace: ns, name };
  }
  const [plural = "", name] = rest;
  const resource = findResource(group, version, plural);
  if (!resource || rest.length > 2) return { kind: "unknown" };
  if (name === undefined) return { kind: "collection", resource, namespace: undefined };
  if (resource.namespaced) return { kind: "unknown" };
  return { kind: "object", resource, namespace: undefined, name };
}

export function routeFor(pathname: string): Route {
  const parts = pathname.split("/").filter((p) => p.length > 0).map(decodeURIComponent);
  const [first, second, third, ...rest] = parts;
  if (first === "version" && parts.length === 1) return { kind: "version" };
  if ((first === "healthz" || first === "livez" || first === "readyz") && parts.length === 1) return { kind: "health" };
  if (first === "__sim") return { kind: "sim", rest: parts.slice(1) };
  if (first === "api") {
    if (second === undefined) return { kind: "core-versions" };
    if (second !== "v1") return { kind: "unknown" };
    if (third === undefined) return { kind: "resource-list", group: "", version: "v1" };
    return resourceRoute("", "v1", [third, ...rest]);
  }
  if (first === "apis") {
    if (second === undefined) return { kind: "groups" };
    if (!GROUPS.has(second)) return { kind: "unknown" };
    if (third === undefined) return { kind: "group", group: second };
    if (third !== "v1") return { kind: "unknown" };
    if (rest.length === 0) return { kind: "resource-list", group: second, version: third };
    return resourceRoute(second, third, rest);
  }
  return { kind: "unknown" };
}
