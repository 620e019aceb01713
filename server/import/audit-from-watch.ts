/**
 * Test support: turn a watch recording (the simulator's, or any in the analyze line format) into the
 * RequestResponse-level audit log the API server would have written for the same writes — who wrote what,
 * with the real audit.k8s.io/v1 field names, a RequestReceived line before each ResponseComplete one, and
 * µs stage times equal to the recording's receive times. Lines without a Kubernetes object (LB members)
 * have no audit trail and are left out.
 */
export interface WatchLine {
  readonly type: string;
  readonly object: Record<string, unknown>;
  readonly observedAt: string;
}

const RESOURCES: Readonly<Record<string, { resource: string; group: string }>> = {
  Pod: { resource: "pods", group: "v1" },
  EndpointSlice: { resource: "endpointslices", group: "discovery.k8s.io/v1" },
  Event: { resource: "events", group: "v1" },
  ReplicaSet: { resource: "replicasets", group: "apps/v1" },
  Deployment: { resource: "deployments", group: "apps/v1" },
  Service: { resource: "services", group: "v1" },
};

function rec(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** "…:01.123Z" → "…:01.123457Z" (µs, as the API server writes them). */
function micros(iso: string, extraUs: number): string {
  return iso.replace(/\.(\d{3})Z$/, (_, ms: string) => `.${ms}${String(extraUs).padStart(3, "0")}Z`).replace(/:(\d{2})Z$/, (_, s: string) => `:${s}.000${String(extraUs).padStart(3, "0")}Z`);
}

export function auditLogFromWatch(lines: readonly WatchLine[]): string {
  const prior = new Map<string, Record<string, unknown>>();
  const out: string[] = [];
  let n = 0;
  for (const l of lines) {
    const kind = String(l.object.kind ?? "");
    const r = RESOURCES[kind];
    if (!r) continue;
    const meta = rec(l.object.metadata);
    const ns = String(meta.namespace ?? "");
    const name = String(meta.name ?? "");
    const key = `${kind}/${ns}/${name}`;
    const before = prior.get(key);
    const spec = rec(l.object.spec);
    const node = String(spec.nodeName ?? "node-1");
    let verb = "update";
    let subresource: string | undefined;
    let user = "system:serviceaccount:kube-system:generic-controller";
    let code = 200;
    let requestObject: Record<string, unknown> | undefined = l.object;
    let responseObject: Record<string, unknown> = l.object;
    if (l.type === "ADDED") {
      verb = "create";
      code = 201;
      user = kind === "Pod" ? "system:serviceaccount:kube-system:replicaset-controller" : kind === "EndpointSlice" ? "system:serviceaccount:kube-system:endpointslice-controller" : kind === "Event" ? `system:node:${node}` : "kubernetes-admin";
    } else if (l.type === "DELETED") {
      verb = "delete";
      if (kind === "Pod") {
        user = `system:node:${node}`;
        requestObject = { kind: "DeleteOptions", apiVersion: "meta.k8s.io/v1", gracePeriodSeconds: 0, preconditions: { uid: meta.uid } };
      } else {
        user = "system:serviceaccount:kube-system:endpointslice-controller";
        requestObject = undefined;
        responseObject = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, kind: r.resource, uid: meta.uid } };
      }
    } else if (kind === "Pod") {
      const wasDeleting = Boolean(rec(before?.metadata).deletionTimestamp);
      if (meta.deletionTimestamp && !wasDeleting) {
        verb = "delete";
        user = "system:serviceaccount:kube-system:replicaset-controller";
        requestObject = { kind: "DeleteOptions", apiVersion: "meta.k8s.io/v1", propagationPolicy: "Background", ...(typeof meta.deletionGracePeriodSeconds === "number" ? { gracePeriodSeconds: meta.deletionGracePeriodSeconds } : {}) };
      } else if (JSON.stringify(before?.status) !== JSON.stringify(l.object.status)) {
        verb = "patch";
        subresource = "status";
        user = `system:node:${node}`;
        requestObject = { status: l.object.status };
      }
    } else if (kind === "EndpointSlice") user = "system:serviceaccount:kube-system:endpointslice-controller";
    else if (kind === "Event") {
      verb = "patch";
      user = `system:node:${node}`;
    }
    if (l.type === "DELETED") prior.delete(key);
    else prior.set(key, l.object);
    n++;
    const auditID = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    const base = {
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: "RequestResponse",
      auditID,
      requestURI: `/${r.group === "v1" ? "api/v1" : `apis/${r.group}`}/namespaces/${ns}/${r.resource}${verb === "create" ? "" : `/${name}`}${subresource ? `/${subresource}` : ""}`,
      verb,
      user: { username: user, groups: ["system:authenticated"] },
      sourceIPs: ["10.0.0.10"],
      userAgent: user.startsWith("system:node:") ? "kubelet/v1.30.0" : "kube-controller-manager/v1.30.0",
      objectRef: { resource: r.resource, namespace: ns, name, ...(meta.uid ? { uid: meta.uid } : {}), apiVersion: r.group, ...(subresource ? { subresource } : {}) },
      requestReceivedTimestamp: micros(new Date(Date.parse(l.observedAt) - 2).toISOString(), 111),
    };
    out.push(JSON.stringify({ ...base, stage: "RequestReceived", stageTimestamp: base.requestReceivedTimestamp, ...(requestObject ? { requestObject } : {}) }));
    out.push(
      JSON.stringify({
        ...base,
        stage: "ResponseComplete",
        stageTimestamp: micros(l.observedAt, 457),
        responseStatus: { metadata: {}, code },
        ...(requestObject ? { requestObject } : {}),
        responseObject,
        annotations: { "authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": "" },
      }),
    );
  }
  return out.join("\n") + "\n";
}
