/**
 * A coordination.k8s.io/v1 Lease over the watcher's own transport (same kubeconfig, same auth): get,
 * create, update with the resourceVersion it read, so two replicas racing for the Lease cannot both win
 * (the API server answers the loser 409 Conflict). Responses are checked with zod at this edge.
 */
import { z } from "zod";
import type { KubeTransport } from "../watcher/kube-transport";

export interface LeaseSpec {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime?: string;
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

export interface LeaseState {
  readonly resourceVersion: string;
  readonly spec: Partial<LeaseSpec>;
}

export interface LeaseApi {
  /** undefined: there is no such Lease yet. */
  get(signal: AbortSignal): Promise<LeaseState | undefined>;
  create(spec: LeaseSpec, signal: AbortSignal): Promise<LeaseState | "conflict">;
  update(spec: LeaseSpec, resourceVersion: string, signal: AbortSignal): Promise<LeaseState | "conflict">;
}

export class LeaseError extends Error {
  override name = "LeaseError";
}

const LeaseSchema = z.object({
  metadata: z.object({ resourceVersion: z.string() }),
  spec: z
    .object({
      holderIdentity: z.string().optional(),
      leaseDurationSeconds: z.number().optional(),
      acquireTime: z.string().optional(),
      renewTime: z.string().optional(),
      leaseTransitions: z.number().optional(),
    })
    .default({}),
});

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

function stateOf(body: unknown, what: string): LeaseState {
  const parsed = LeaseSchema.safeParse(body);
  if (!parsed.success) throw new LeaseError(`${what}: the answer is not a Lease`);
  const { holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions } = parsed.data.spec;
  return {
    resourceVersion: parsed.data.metadata.resourceVersion,
    spec: {
      ...(holderIdentity !== undefined ? { holderIdentity } : {}),
      ...(leaseDurationSeconds !== undefined ? { leaseDurationSeconds } : {}),
      ...(acquireTime !== undefined ? { acquireTime } : {}),
      ...(renewTime !== undefined ? { renewTime } : {}),
      ...(leaseTransitions !== undefined ? { leaseTransitions } : {}),
    },
  };
}

function failure(what: string, status: number, body: unknown): LeaseError {
  const message = typeof body === "object" && body !== null && "message" in body && typeof body.message === "string" ? body.message : String(status);
  return new LeaseError(`${what}: ${status} ${message}`);
}

export function createLeaseApi(transport: KubeTransport, namespace: string, name: string): LeaseApi {
  const send = transport.send?.bind(transport);
  if (!send) throw new LeaseError("this cluster connection cannot write a Lease");
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const object = `${collection}/${encodeURIComponent(name)}`;
  const body = (spec: LeaseSpec, resourceVersion?: string) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec,
  });
  const what = `lease ${namespace}/${name}`;
  return {
    async get(signal) {
      const r = await send("GET", object, undefined, signal);
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw failure(`get ${what}`, r.status, r.body);
      return stateOf(r.body, `get ${what}`);
    },
    async create(spec, signal) {
      const r = await send("POST", collection, body(spec), signal);
      if (r.status === 409) return "conflict";
      if (r.status !== 201 && r.status !== 200) throw failure(`create ${what}`, r.status, r.body);
      return stateOf(r.body, `create ${what}`);
    },
    async update(spec, resourceVersion, signal) {
      const r = await send("PUT", object, body(spec, resourceVersion), signal);
      // 404: deleted meanwhile; the next round creates it again.
      if (r.status === 409 || r.status === 404) return "conflict";
      if (r.status !== 200) throw failure(`update ${what}`, r.status, r.body);
      return stateOf(r.body, `update ${what}`);
    },
  };
}
