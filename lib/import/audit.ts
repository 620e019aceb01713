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

/**
 * The cheap test before JSON.parse, on the raw line: an entry that cannot change anything we track is
 * skipped unparsed — not the final stage, no tracked resource named anywhere in it, or a read (get, list,
 * watch: a PodList body is the most expensive line of a log and says nothing). A line that is not even
 * shaped like one JSON object, or names no audit.k8s.io/v1, is never skipped, so garbage, a watch line in
 * an audit log and a truncated last line still fail by name.
 */
export function auditLineIsNoise(text: string): boolean {
  const t = text.trim();
  if (t.charCodeAt(0) !== 123 || t.charCodeAt(t.length - 1) !== 125) return false; // not "{…}": parse it and say why
  if (!t.includes(AUDIT_API_VERSION)) return false; // not an audit event at all: parse it and say so
  if (!t.includes("ResponseComplete")) return true;
  if (!TRACKED_QUOTED.some((r) => t.includes(r))) return true;
  // The first "verb" key of an audit line is the Event's own (Go writes level, auditID, stage, requestURI, verb…).
  const at = t.indexOf('"verb"');
  return at >= 0 && READ_VERB.test(t.slice(at, at + 24));
}

const TRACKED_QUOTED = [...WATCHED].map((r) => `"${r}"`);
const READ_VERB = /^"verb"\s*:\s*"(?:get|list|watch)"/;

/**
 * An audit log read one line at a time, in file order: the bounded state is the last known object per
 * name (to replay evictions and bodiless deletes); what grows is only what the import keeps.
 */
export class AuditLogReader {
  readonly lines: RecordedLine[] = [];
  readonly actors: AuditActor[] = [];
  entries = 0;
  /** Last known raw object per kind/namespace/name, to replay on evictions and bodiless deletes. */
  private readonly known = new Map<string, Record<string, unknown>>();

  /** `onLine`: each watch-like line as it is made, instead of keeping it in `lines`. */
  constructor(
    readonly file: string,
    private readonly onLine?: (l: RecordedLine) => void,
  ) {}

  private emit(entry: AuditEntry, watchType: RecordedLine["watchType"], rawObject: Record<string, unknown>): void {
    const file = this.file;
    const parsed = parseKubeObject(rawObject);
    if (!parsed.ok) throw new ImportError(file, entry.line, `the ${entry.verb} ${entry.ref.resource} body is not a valid object: ${parsed.error}`);
    const key = objectKey(parsed.value);
    // A pod is remembered as the stripped object the import keeps anyway (shared with its line), not the
    // raw body: a busy cluster's live pods with their managedFields were most of a large import's memory.
    // Parsing a stripped pod again gives the same pod. Other kinds are few; they keep their raw body.
    if (watchType === "DELETED") this.known.delete(key);
    else this.known.set(key, parsed.value.kind === "Pod" ? (parsed.value.value as unknown as Record<string, unknown>) : rawObject);
    const rv = parsed.value.value.metadata.resourceVersion ?? undefined;
    const line: RecordedLine = { file, line: entry.line, watchType, object: parsed.value, observedAt: entry.at, ...(rv ? { resourceVersion: rv } : {}) };
    if (this.onLine) this.onLine(line);
    else this.lines.push(line);
  }

  /** One non-blank line (without its "\r"); isLast for the file's last non-blank line. */
  line(lineNo: number, text: string, isLast: boolean): void {
    if (auditLineIsNoise(text)) return;
    const entry = parseAuditLine(this.file, lineNo, text, isLast);
    if (!entry) return;
    this.entries++;
    const emit = (e: AuditEntry, t: RecordedLine["watchType"], o: Record<string, unknown>) => this.emit(e, t, o);
    const { ref, verb } = entry;
    const ok = entry.code >= 200 && entry.code < 300;
    const podName = ref.resource === "pods" ? ref.name : undefined;
    const lastKnown = this.known.get(`${KIND_OF[ref.resource] ?? ""}/${ref.namespace}/${ref.name}`);
    const podUid = ref.resource === "pods" ? (ref.uid ?? str(meta(lastKnown ?? {}), "uid")) : undefined;
    const actor = (reason: string, what: string) =>
      this.actors.push({ line: entry.line, auditID: entry.auditID, at: entry.at, reason, message: `${entry.user} ${what} (HTTP ${entry.code})`, ref, ...(podName ? { podName } : {}), ...(podUid ? { podUid } : {}) });
    if (ref.resource === "pods" && ref.subresource === "eviction" && verb === "create") {
      actor(ok ? "AuditEviction" : "AuditEvictionRefused", `${ok ? "evicted" : "tried to evict"} pod ${ref.namespace}/${ref.name}`);
      if (ok && lastKnown && !meta(lastKnown).deletionTimestamp) {
        const opts = isRecord(entry.requestObject?.deleteOptions) ? entry.requestObject.deleteOptions : {};
        const spec = isRecord(lastKnown.spec) ? lastKnown.spec : {};
        const grace = typeof opts.gracePeriodSeconds === "number" ? opts.gracePeriodSeconds : typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30;
        const deadline = new Date(Math.floor(entry.at / 1000) * 1000 + grace * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
        emit(entry, "MODIFIED", { ...lastKnown, metadata: { ...meta(lastKnown), deletionTimestamp: deadline, deletionGracePeriodSeconds: grace } });
      }
      return;
    }
    if (ref.subresource && ref.subresource !== "status") return;
    if (ref.resource === "pods" && verb === "delete") actor("AuditDelete", `deleted pod ${ref.namespace}/${ref.name}${typeof entry.requestObject?.gracePeriodSeconds === "number" ? ` with grace ${entry.requestObject.gracePeriodSeconds}s` : ""}`);
    if (!ok) return;
    const body = entry.responseObject;
    const bodyIsObject = body !== undefined && body.kind !== "Status" && typeof body.kind === "string";
    if (!bodyIsObject) {
      // Metadata level (or a Status reply): no object to replay, but the write and its actor are known.
      if (ref.resource === "pods" && ref.subresource === "status") actor("AuditStatusPatch", `wrote the status of pod ${ref.namespace}/${ref.name}`);
      else if (ref.resource === "endpointslices" && verb !== "get" && verb !== "list" && verb !== "watch") actor("AuditSliceWrite", `${verb}d EndpointSlice ${ref.namespace}/${ref.name}`);
      if (verb === "delete" && lastKnown) emit(entry, "DELETED", lastKnown);
      return;
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
}

const KIND_OF: Readonly<Record<string, string>> = { pods: "Pod", endpointslices: "EndpointSlice", events: "Event", replicasets: "ReplicaSet", deployments: "Deployment", services: "Service" };

/** A whole audit log's text at once (the same reader, fed from a string). */
export function parseAuditLog(file: string, text: string): AuditParse {
  const rows = text.split("\n");
  let last = rows.length - 1;
  while (last >= 0 && (rows[last] ?? "").trim() === "") last--;
  const reader = new AuditLogReader(file);
  for (let i = 0; i <= last; i++) {
    const row = (rows[i] ?? "").replace(/\r$/, "");
    if (row.trim() !== "") reader.line(i + 1, row, i === last);
  }
  return { lines: reader.lines, actors: reader.actors, entries: reader.entries };
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
