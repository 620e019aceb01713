/** Discovery documents (/version, /api, /apis, resource lists) so kubectl and client libraries find the resources. */
import { RESOURCES, groupVersion, resourcesInGroupVersion } from "../k8s/resources";

export const SIM_VERSION = {
  major: "1",
  minor: "24",
  gitVersion: "v1.24.17-drainscope.sim",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.20.10",
  compiler: "gc",
  platform: "linux/amd64",
} as const;

export function coreVersions(serverAddress: string): object {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDoc(name: string): object {
  const gv = { groupVersion: `${name}/v1`, version: "v1" };
  return { name, versions: [gv], preferredVersion: gv };
}

const NAMED_GROUPS = [...new Set(RESOURCES.map((r) => r.group).filter((g) => g !== ""))];

export function groupList(): object {
  return { kind: "APIGroupList", apiVersion: "v1", groups: NAMED_GROUPS.map(groupDoc) };
}

export function group(name: string): object | undefined {
  return NAMED_GROUPS.includes(name) ? { kind: "APIGroup", apiVersion: "v1", ...groupDoc(name) } : undefined;
}

export function resourceList(groupName: string, version: string): object | undefined {
  const resources = resourcesInGroupVersion(groupName, version);
  if (resources.length === 0) return undefined;
  const first = resources[0];
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: first ? groupVersion(first) : version,
    resources: resources.map((r) => ({
      name: r.name,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    })),
  };
}
