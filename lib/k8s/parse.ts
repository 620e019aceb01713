/**
 * Edge parsing: plain JSON (from a watch stream, a recording, an upload) into typed objects.
 * Returns errors as values with a message a person can act on; never throws on bad input.
 */
import type { z } from "zod";
import {
  CoreEventSchema,
  DeploymentSchema,
  EndpointSliceSchema,
  EventsV1EventSchema,
  LoadBalancerMemberSchema,
  PodSchema,
  ReplicaSetSchema,
  ServiceSchema,
  SUPPORTED_KINDS,
  type KubeObject,
} from "./objects";
import { isCheckedPod } from "./pod-check";

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function describeZodError(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(object)";
    const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
    return missing ? `missing field ${path}` : `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return first.join("; ") + more;
}

function wrap<T>(schema: z.ZodType<T>, raw: unknown, make: (value: T) => KubeObject): ParseResult<KubeObject> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: make(parsed.data) } : { ok: false, error: describeZodError(parsed.error) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseKubeObject(raw: unknown): ParseResult<KubeObject> {
  if (!isRecord(raw)) return { ok: false, error: "object is not a JSON object" };
  const kind = raw.kind;
  if (typeof kind !== "string") return { ok: false, error: "missing field object.kind" };
  switch (kind) {
    case "Pod":
      return wrap(PodSchema, raw, (value) => ({ kind: "Pod", value }));
    case "EndpointSlice":
      return wrap(EndpointSliceSchema, raw, (value) => ({ kind: "EndpointSlice", value }));
    case "Event":
      return raw.apiVersion === "events.k8s.io/v1"
        ? wrap(EventsV1EventSchema, raw, (value) => ({ kind: "EventV1", value }))
        : wrap(CoreEventSchema, raw, (value) => ({ kind: "Event", value }));
    case "ReplicaSet":
      return wrap(ReplicaSetSchema, raw, (value) => ({ kind: "ReplicaSet", value }));
    case "Deployment":
      return wrap(DeploymentSchema, raw, (value) => ({ kind: "Deployment", value }));
    case "Service":
      return wrap(ServiceSchema, raw, (value) => ({ kind: "Service", value }));
    case "LoadBalancerMember":
      return wrap(LoadBalancerMemberSchema, raw, (value) => ({ kind: "LoadBalancerMember", value }));
    default:
      return { ok: false, error: `unknown kind "${kind}" (expected one of ${SUPPORTED_KINDS.join(", ")})` };
  }
}

/**
 * `parseKubeObject` for callers that normalize the object at once and keep none of it (the watcher, the
 * simulator, benchmarks): a valid Pod, by far the most frequent object, is checked and returned as is
 * instead of copied (pod-check.ts). Everything else, and every error and its message, is zod's as before.
 * Callers that hold many objects (recordings, imports) keep `parseKubeObject`: its stripped copies are
 * smaller than the objects as they arrive.
 */
export function readKubeObject(raw: unknown): ParseResult<KubeObject> {
  if (isCheckedPod(raw)) return { ok: true, value: { kind: "Pod", value: raw } };
  return parseKubeObject(raw);
}
