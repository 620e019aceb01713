/**
 * Kubernetes audit logs (`audit.k8s.io/v1` Event JSON lines) → the watch notifications a watcher would
 * have seen, fed to the same normalizer as live data. Only `ResponseComplete` entries of successful
 * requests change anything. At RequestResponse level the response bodies are whole objects: a create is
 * ADDED, an update / patch (including the kubelet's `pods/status` patches with container exits) is
 * MODIFIED, a delete is DELETED — except a graceful pod delete, which only sets deletionTimestamp and so is
 * MODIFIED. An eviction (`pods/eviction` 201) deletes the pod inside the API server, so the pod's last
 * known state is replayed with the deletion stamped on. Every pod delete and eviction (and, at Metadata
 * level where there are no bodies, every status patch and slice write) also becomes a Kubernetes-event
 * observation naming the actor, with the µs stage time.
 */
import { parseKubeObject } from "../k8s/parse";
import type { KubeObject } from "../k8s/objects";
import type { KubeEvent, LifecycleEvent } from "../model/events";
import type { RecordedLine } from "../recording/parse";
import { ImportError } from "./errors";

export const AUDIT_API_VERSION = "audit.k8s.io/v1";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface ObjectRef {
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

export interface AuditEntry {
  readonly line: number;
  readonly auditID: string;
  readonly level: string;
  readonly verb: string;
  readonly user: string;
  readonly ref: ObjectRef;
  readonly code: number;
  readonly at: number;
  readonly receivedAt: number;
  readonly requestObject?: Record<string, unknown>;
  readonly responseObject?: Record<string, unknown>;
}

export interface AuditParse {
  /** Watch-like lines for the normalizer (observedAt = stage time). */
  readonly lines: RecordedLine[];
  /** Actor observations (who deleted / evicted / patched what), without a cluster yet. */
  readonly actors: AuditActor[];
  readonly entries: number;
}

export interface AuditActor {
  readonly line: number;
  readonly auditID: string;
  readonly at: number;
  readonly reason: string;
  readonly message: string;
  readonly ref: ObjectRef;
  readonly podName?: string;
  readonly podUid?: string;
}

const EXPECTED = `one audit.k8s.io/v1 Event per line ({"kind":"Event","apiVersion":"${AUDIT_API_VERSION}","stage":"ResponseComplete",…})`;
const WATCHED = new Set(["pods", "endpointslices", "events", "replicasets", "deployments", "services"]);

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === "string" ? v : undefined;
}

/** Parse and validate one line; undefined for entries that change nothing we track. */
export function parseAuditLine(file: string, lineNo: number, text: string, isLast: boolean): AuditEntry | undefined {
  const fail = (detail: string): never => {
    throw new ImportError(file, lineNo, detail);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    if (isLast && text.trimStart().startsWith("{")) fail(`truncated line: the file ends mid-object after ${text.length} characters. Expected ${EXPECTED}`);
    fail(`not valid JSON: ${e instanceof Error ? e.message : String(e)}. Expected ${EXPECTED}`);
  }
  if (!isRecord(raw)) return fail(`expected a JSON object: ${EXPECTED}`);
  if (raw.apiVersion !== AUDIT_API_VERSION || raw.kind !== "Event") {
    return fail(`expected kind "Event" and apiVersion "${AUDIT_API_VERSION}", got kind ${JSON.stringify(raw.kind ?? null)} apiVersion ${JSON.stringify(raw.apiVersion ?? null)}`);
  }
  for (const k of ["level", "auditID", "stage", "verb", "requestReceivedTimestamp", "stageTimestamp"]) {
    if (typeof raw[k] !== "string") fail(`missing field "${k}" (a string) in audit event`);
  }
  if (raw.stage !== "ResponseComplete") return undefined;
  const ref = raw.objectRef;
  if (ref === undefined) return undefined; // a non-resource request (/healthz, /metrics…)
  if (!isRecord(ref)) return fail('field "objectRef" must be an object');
  const resource = str(ref, "resource");
  if (!resource) return fail('missing field "objectRef.resource"');
  if (!WATCHED.has(resource)) return undefined;
  const user = isRecord(raw.user) ? str(raw.user, "username") : undefined;
  if (user === undefined) return fail('missing field "user.username"');
  const status = raw.responseStatus;
  const code = isRecord(status) && typeof status.code === "number" ? status.code : undefined;
  if (code === undefined) return fail('missing field "responseStatus.code" (a number)');
  const at = Date.parse(String(raw.stageTimestamp));
  const receivedAt = Date.parse(String(raw.requestReceivedTimestamp));
  if (!Number.isFinite(at)) fail(`"stageTimestamp" is not an RFC 3339 time: ${JSON.stringify(raw.stageTimestamp)}`);
  if (!Number.isFinite(receivedAt)) fail(`"requestReceivedTimestamp" is not an RFC 3339 time: ${JSON.stringify(raw.requestReceivedTimestamp)}`);
  const subresource = str(ref, "subresource");
  const uid = str(ref, "uid");
  return {
    line: lineNo,
    auditID: String(raw.auditID),
    level: String(raw.level),
    verb: String(raw.verb),
    user,
    ref: { resource, namespace: str(ref, "namespace") ?? "", name: str(ref, "name") ?? "", ...(subresource ? { subresource } : {}), ...(uid ? { uid } : {}) },
    code,
    at,
    receivedAt,
    ...(isRecord(raw.requestObject) ? { requestObject: raw.requestObject } : {}),
    ...(isRecord(raw.responseObject) ? { responseObject: raw.responseObject } : {}),
  };
}

function objectKey(o: KubeObject): string {
  const m = o.value.metadata;
  return `${o.kind}/${m.namespace ?? ""}/${m.name ?? ""}`;
}

function meta(o: Record<string, unknown>): Record<string, unknown> {
  return isRecord(o.metadata) ? o.metadata : {};
}

export function parseAuditLog(file: string, text: string): AuditParse {
  const rows = text.split("\n");
  let last = rows.length - 1;
  while (last >= 0 && (rows[last] ?? "").trim() === "") last--;
  const lines: RecordedLine[] = [];
  const actors: AuditActor[] = [];
  /** Last known raw object per kind/namespace/name, to replay on evictions and bodiless deletes. */
  const known = new Map<string, Record<string, unknown>>();
  let entries = 0;
  const emit = (entry: AuditEntry, watchType: RecordedLine["watchType"], rawObject: Record<string, unknown>) => {
    const parsed = parseKubeObject(rawObject);
    if (!parsed.ok) throw new ImportError(file, entry.line, `the ${entry.verb} ${entry.ref.resource} body is not a valid object: ${parsed.error}`);
    const key = objectKey(parsed.value);
    if (watchType === "DELETED") known.delete(key);
    else known.set(key, rawObject);
    const rv = parsed.value.value.metadata.resourceVersion ?? undefined;
    lines.push({ file, line: entry.line, watchType, object: parsed.value, observedAt: entry.at, ...(rv ? { resourceVersion: rv } : {}) });
  };
  const kindOf: Readonly<Record<string, string>> = { pods: "Pod", endpointslices: "EndpointSlice", events: "Event", replicasets: "ReplicaSet", deployments: "Deployment", services: "Service" };
  for (let i = 0; i <= last; i++) {
    const text = (rows[i] ?? "").replace(/\r$/, "");
    if (text.trim() === "") continue;
    const entry = parseAuditLine(file, i + 1, text, i === last);
    if (!entry) continue;
    entries++;
    const { ref, verb } = entry;
    const ok = entry.code >= 200 && entry.code < 300;
    const podName = ref.resource === "pods" ? ref.name : undefined;
    const lastKnown = known.get(`${kindOf[ref.resource] ?? ""}/${ref.namespace}/${ref.name}`);
    const podUid = ref.resource === "pods" ? (ref.uid ?? str(meta(lastKnown ?? {}), "uid")) : undefined;
    const actor = (reason: string, what: string) =>
      actors.push({ line: entry.line, auditID: entry.auditID, at: entry.at, reason, message: `${entry.user} ${what} (HTTP ${entry.code})`, ref, ...(podName ? { podName } : {}), ...(podUid ? { podUid } : {}) });

    if (ref.resource === "pods" && ref.subresource === "eviction" && verb === "create") {
      actor(ok ? "AuditEviction" : "AuditEvictionRefused", `${ok ? "evicted" : "tried to evict"} pod ${ref.namespace}/${ref.name}`);
      if (ok && lastKnown && !meta(lastKnown).deletionTimestamp) {
        const opts = isRecord(entry.requestObject?.deleteOptions) ? entry.requestObject.deleteOptions : {};
        const spec = isRecord(lastKnown.spec) ? lastKnown.spec : {};
        const grace = typeof opts.gracePeriodSeconds === "number" ? opts.gracePeriodSeconds : typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30;
        const deadline = new Date(Math.floor(entry.at / 1000) * 1000 + grace * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
        emit(entry, "MODIFIED", { ...lastKnown, metadata: { ...meta(lastKnown), deletionTimestamp: deadline, deletionGracePeriodSeconds: grace } });
      }
      continue;
    }
    if (ref.subresource && ref.subresource !== "status") continue;
    if (ref.resource === "pods" && verb === "delete") actor("AuditDelete", `deleted pod ${ref.namespace}/${ref.name}${typeof entry.requestObject?.gracePeriodSeconds === "number" ? ` with grace ${entry.requestObject.gracePeriodSeconds}s` : ""}`);
    if (!ok) continue;
    const body = entry.responseObject;
    const bodyIsObject = body !== undefined && body.kind !== "Status" && typeof body.kind === "string";
    if (!bodyIsObject) {
      // Metadata level (or a Status reply): no object to replay, but the write and its actor are known.
      if (ref.resource === "pods" && ref.subresource === "status") actor("AuditStatusPatch", `wrote the status of pod ${ref.namespace}/${ref.name}`);
      else if (ref.resource === "endpointslices" && verb !== "get" && verb !== "list" && verb !== "watch") actor("AuditSliceWrite", `${verb}d EndpointSlice ${ref.namespace}/${ref.name}`);
      if (verb === "delete" && lastKnown) emit(entry, "DELETED", lastKnown);
      continue;
    }
    switch (verb) {
      case "create":
        emit(entry, "ADDED", body);
        break;
      case "update":
      case "patch":
        emit(entry, "MODIFIED", body);
        break;
      case "delete": {
        if (ref.resource !== "pods") {
          emit(entry, "DELETED", body);
          break;
        }
        // A graceful delete only stamps deletionTimestamp; the object goes on the delete with grace 0
        // (the kubelet's final one, or a force delete) or when it was already being deleted.
        const grace = entry.requestObject?.gracePeriodSeconds;
        const gone = grace === 0 || Boolean(lastKnown && meta(lastKnown).deletionTimestamp) || !meta(body).deletionTimestamp;
        emit(entry, gone ? "DELETED" : "MODIFIED", body);
        break;
      }
      default:
        break;
    }
  }
  return { lines, actors, entries };
}

export function auditActorEvents(actors: readonly AuditActor[], cluster: string): LifecycleEvent[] {
  return actors.map(
    (a): KubeEvent => ({
      id: `audit:${a.auditID}:${a.reason}`,
      cluster,
      namespace: a.ref.namespace,
      source: "audit",
      at: a.at,
      range: [a.at, a.at],
      clock: "apiserver",
      precision: "exact",
      type: "k8s-event",
      reason: a.reason,
      message: a.message,
      eventType: "Normal",
      involvedKind: a.ref.resource === "pods" ? "Pod" : a.ref.resource === "endpointslices" ? "EndpointSlice" : a.ref.resource,
      involvedName: a.ref.name,
      ...(a.ref.uid ? { involvedUid: a.ref.uid } : {}),
      count: 1,
      ...(a.podName && a.podUid ? { pod: a.podName, podUid: a.podUid } : {}),
    }),
  );
}
