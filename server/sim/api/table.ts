/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which kubectl asks for
 * on `get` and `get -w`. Columns follow the real printers for the resources kubectl users look at.
 */
import { humanDuration } from "../core/time-format";
import type { ResourceInfo } from "../k8s/resources";
import type { KubeObject, Pod } from "../k8s/types";
import type { Status } from "./status";
import type { BookmarkObject, WatchEncoder } from "./watch-stream";

interface Column {
  readonly name: string;
  readonly type: "string" | "integer" | "date";
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

function col(name: string, priority = 0, format = ""): Column {
  return { name, type: "string", format, description: name, priority };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Read a nested field from an object of unknown shape. */
function field(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  return cur;
}

function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function age(obj: KubeObject, now: number): string {
  const created = Date.parse(obj.metadata.creationTimestamp);
  return Number.isFinite(created) ? humanDuration(now - created) : "<unknown>";
}

function isPod(obj: KubeObject): obj is Pod {
  return obj.kind === "Pod" && isRecord(field(obj, "status"));
}

/** The STATUS column kubectl shows for a pod. */
export function podStatusReason(pod: Pod): string {
  let reason: string = pod.status.phase;
  for (const cs of pod.status.containerStatuses ?? []) {
    if (cs.state.waiting?.reason) reason = cs.state.waiting.reason;
    else if (cs.state.terminated?.reason) reason = cs.state.terminated.reason;
    else if (cs.state.terminated) reason = `ExitCode:${cs.state.terminated.exitCode}`;
  }
  if (pod.metadata.deletionTimestamp) reason = "Terminating";
  return reason;
}

function podCells(obj: KubeObject): (string | number)[] {
  if (!isPod(obj)) return ["", "", "", ""];
  const statuses = obj.status.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
  return [`${ready}/${obj.spec.containers.length}`, podStatusReason(obj), restarts, obj.status.podIP ?? "<none>", obj.spec.nodeName ?? "<none>"];
}

const NAME = col("Name", 0, "name");

function podRow(o: KubeObject, now: number): (string | number)[] {
  const [ready = "", status = "", restarts = 0, ip = "", node = ""] = podCells(o);
  return [o.metadata.name, ready, status, restarts, age(o, now), ip, node];
}

function rowCells(resource: ResourceInfo, o: KubeObject, now: number): (string | number)[] {
  switch (resource.name) {
    case "pods":
      return podRow(o, now);
    case "deployments":
      return [
        o.metadata.name,
        `${num(field(o, "status", "readyReplicas"))}/${num(field(o, "spec", "replicas"))}`,
        num(field(o, "status", "updatedReplicas")),
        num(field(o, "status", "availableReplicas")),
        age(o, now),
      ];
    case "replicasets":
      return [o.metadata.name, num(field(o, "spec", "replicas")), num(field(o, "status", "replicas")), num(field(o, "status", "readyReplicas")), age(o, now)];
    case "services": {
      const ports = field(o, "spec", "ports");
      const portText = Array.isArray(ports) ? ports.map((p) => `${num(field(p, "port"))}/${String(field(p, "protocol") ?? "TCP")}`).join(",") : "<none>";
      const ingress = field(o, "status", "loadBalancer", "ingress");
      const external = Array.isArray(ingress) && ingress.length > 0 ? ingress.map((i) => String(field(i, "ip") ?? "")).join(",") : "<none>";
      return [o.metadata.name, String(field(o, "spec", "type") ?? ""), String(field(o, "spec", "clusterIP") ?? ""), external, portText, age(o, now)];
    }
    case "endpointslices": {
      const eps = field(o, "endpoints");
      const addrs = Array.isArray(eps)
        ? eps.flatMap((e) => {
            const a = field(e, "addresses");
            return Array.isArray(a) && typeof a[0] === "string" ? [a[0]] : [];
          })
        : [];
      const shown = addrs.length === 0 ? "<unset>" : addrs.slice(0, 3).join(",") + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : "");
      const ports = field(o, "ports");
      const portText = Array.isArray(ports) && ports.length > 0 ? ports.map((p) => num(field(p, "port"))).join(",") : "<unset>";
      return [o.metadata.name, String(field(o, "addressType") ?? ""), portText, shown, age(o, now)];
    }
    case "events": {
      const last = String(field(o, "lastTimestamp") ?? field(o, "eventTime") ?? o.metadata.creationTimestamp);
      const seen = Number.isFinite(Date.parse(last)) ? humanDuration(now - Date.parse(last)) : "<unknown>";
      const involved = `${String(field(o, "involvedObject", "kind") ?? "").toLowerCase()}/${String(field(o, "involvedObject", "name") ?? "")}`;
      return [seen, String(field(o, "type") ?? ""), String(field(o, "reason") ?? ""), involved, String(field(o, "message") ?? "")];
    }
    case "nodes":
      return [o.metadata.name, field(o, "spec", "unschedulable") === true ? "Ready,SchedulingDisabled" : "Ready", "<none>", age(o, now), "v1.24.17"];
    case "namespaces":
      return [o.metadata.name, String(field(o, "status", "phase") ?? "Active"), age(o, now)];
  }
}

function columnsFor(resource: ResourceInfo): readonly Column[] {
  switch (resource.name) {
    case "pods":
      return [NAME, col("Ready"), col("Status"), { ...col("Restarts"), type: "integer" }, col("Age"), col("IP", 1), col("Node", 1)];
    case "deployments":
      return [NAME, col("Ready"), { ...col("Up-to-date"), type: "integer" }, { ...col("Available"), type: "integer" }, col("Age")];
    case "replicasets":
      return [NAME, { ...col("Desired"), type: "integer" }, { ...col("Current"), type: "integer" }, { ...col("Ready"), type: "integer" }, col("Age")];
    case "services":
      return [NAME, col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), col("Age")];
    case "endpointslices":
      return [NAME, col("AddressType"), col("Ports"), col("Endpoints"), col("Age")];
    case "events":
      return [col("Last Seen"), col("Type"), col("Reason"), col("Object"), col("Message")];
    case "nodes":
      return [NAME, col("Status"), col("Roles"), col("Age"), col("Version")];
    case "namespaces":
      return [NAME, col("Status"), col("Age")];
  }
}

/** True when the client accepts a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => /(^|;)\s*as=Table(\s*;|$)/.test(part) && /g=meta\.k8s\.io/.test(part));
}

function rowObject(o: KubeObject, includeObject: string | undefined): object | undefined {
  if (includeObject === "None") return undefined;
  if (includeObject === "Object") return o;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

function row(resource: ResourceInfo, o: KubeObject, now: number, includeObject: string | undefined): object {
  const object = rowObject(o, includeObject);
  const cells = rowCells(resource, o, now);
  return object ? { cells, object } : { cells };
}

export function tableForList(
  resource: ResourceInfo,
  objects: readonly KubeObject[],
  metadata: object,
  now: number,
  includeObject: string | undefined,
): object {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: columnsFor(resource),
    rows: objects.map((o) => row(resource, o, now, includeObject)),
  };
}

export function tableForObject(resource: ResourceInfo, obj: KubeObject, now: number, includeObject: string | undefined): object {
  return tableForList(resource, [obj], { resourceVersion: obj.metadata.resourceVersion }, now, includeObject);
}

function isKubeObject(o: KubeObject | Status | BookmarkObject): o is KubeObject {
  return o.kind !== "Status" && "name" in o.metadata;
}

/** Watch events as one-row Tables; ERROR and BOOKMARK objects pass through unchanged. */
export function tableEncoder(resource: ResourceInfo, now: () => number, includeObject: string | undefined): WatchEncoder {
  return (type, object) => {
    if (!isKubeObject(object) || type === "BOOKMARK" || type === "ERROR") return JSON.stringify({ type, object });
    return JSON.stringify({ type, object: tableForObject(resource, object, now(), includeObject) });
  };
}
