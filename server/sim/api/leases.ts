/**
 * coordination.k8s.io/v1 Leases for leader election, served the way a real API server does: GET, POST
 * (create) and PUT (update) on `/apis/coordination.k8s.io/v1/namespaces/NS/leases[/NAME]`, optimistic
 * concurrency by `metadata.resourceVersion` (a stale one gets 409 Conflict with the real Status body),
 * 409 AlreadyExists on a second create, 404 on a missing lease, 400 on a body that is not a Lease for that
 * URL. Requests are authenticated by the API server and authorised per verb by auth.ts (403 with the
 * apiserver's message when the identity holds no rule for it; the kubeconfig's user gets `leaseHolder`).
 * Kept apart from the watched resources' ObjectStore: leases are not watched and have no controllers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { SimClock } from "../core/clock";
import type { SimRule, SimVerb } from "./auth";
import { BodyError, readJsonBody, sendJson } from "./http-util";
import { badRequestStatus, methodNotAllowedStatus, notFoundStatus, type Status } from "./status";

const GROUP = "coordination.k8s.io";
export const LEASE_RESOURCE = { name: "leases", group: GROUP } as const;

/** What deploy/base/lease-role.yaml grants, as a rule of the simulated RBAC. */
export function leaseHolder(subject: string): SimRule {
  return { subject, verbs: ["get", "create", "update"], resources: ["leases"], apiGroups: [GROUP] };
}
const PREFIX = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?\/?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

export interface LeaseRoute {
  readonly namespace: string;
  readonly name?: string;
}

export function leaseRoute(pathname: string): LeaseRoute | undefined {
  const m = PREFIX.exec(pathname);
  if (!m?.[1]) return undefined;
  const namespace = decodeURIComponent(m[1]);
  return m[2] === undefined ? { namespace } : { namespace, name: decodeURIComponent(m[2]) };
}

const LeaseBodySchema = z.object({
  apiVersion: z.literal(`${GROUP}/v1`),
  kind: z.literal("Lease"),
  metadata: z.object({
    name: z.string().regex(DNS_SUBDOMAIN, "metadata.name: must be a lowercase RFC 1123 subdomain"),
    namespace: z.string().optional(),
    resourceVersion: z.string().optional(),
    uid: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .object({
      holderIdentity: z.string().max(253).optional(),
      leaseDurationSeconds: z.number().int().positive().optional(),
      acquireTime: z.string().regex(MICRO_TIME, "spec.acquireTime: must be an RFC 3339 MicroTime").optional(),
      renewTime: z.string().regex(MICRO_TIME, "spec.renewTime: must be an RFC 3339 MicroTime").optional(),
      leaseTransitions: z.number().int().nonnegative().optional(),
    })
    .strict()
    .default({}),
});
type LeaseBody = z.output<typeof LeaseBodySchema>;

interface StoredLease {
  readonly uid: string;
  readonly creationTimestamp: string;
  readonly resourceVersion: number;
  readonly body: LeaseBody;
}

function conflict(name: string, reason: "Conflict" | "AlreadyExists", message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details: { name, group: GROUP, kind: "leases" }, code: 409 };
}

export class LeaseStore {
  private readonly leases = new Map<string, StoredLease>();
  private nextVersion = 1;
  private nextUid = 1;

  constructor(private readonly clock: SimClock) {}

  /** `authorize` answers the 403 Status when the caller may not do `verb`, else undefined. */
  async handle(req: IncomingMessage, res: ServerResponse, route: LeaseRoute, authorize: (verb: SimVerb, name: string | undefined) => Status | undefined): Promise<void> {
    const method = req.method ?? "";
    const verb: SimVerb | undefined = method === "GET" ? (route.name ? "get" : "list") : method === "POST" ? "create" : method === "PUT" ? "update" : undefined;
    if (!verb) return sendJson(res, 405, methodNotAllowedStatus(method));
    const refused = authorize(verb, route.name);
    if (refused) return sendJson(res, 403, refused);
    if (verb === "list") return sendJson(res, 200, this.list(route.namespace));
    if (verb === "get") {
      const found = this.leases.get(`${route.namespace}/${route.name ?? ""}`);
      return found ? sendJson(res, 200, this.render(route.namespace, found)) : sendJson(res, 404, notFoundStatus("leases", route.name ?? "", GROUP));
    }
    if ((verb === "create") !== (route.name === undefined)) return sendJson(res, 405, methodNotAllowedStatus(method));
    let raw: unknown;
    try {
      raw = await readJsonBody(req);
    } catch (e) {
      if (e instanceof BodyError) return sendJson(res, 400, badRequestStatus(e.message));
      throw e;
    }
    const parsed = LeaseBodySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendJson(res, 400, badRequestStatus(`Lease in version "v1" cannot be handled as a Lease: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "bad body"}`));
    }
    const body = parsed.data;
    if (body.metadata.namespace !== undefined && body.metadata.namespace !== route.namespace) {
      return sendJson(res, 400, badRequestStatus("the namespace of the provided object does not match the namespace sent on the request"));
    }
    const key = `${route.namespace}/${body.metadata.name}`;
    const existing = this.leases.get(key);
    if (verb === "create") {
      if (body.metadata.resourceVersion) return sendJson(res, 400, badRequestStatus("resourceVersion should not be set on objects to be created"));
      if (existing) return sendJson(res, 409, conflict(body.metadata.name, "AlreadyExists", `leases.${GROUP} "${body.metadata.name}" already exists`));
      const stored: StoredLease = { uid: `lease-uid-${this.nextUid++}`, creationTimestamp: new Date(Math.floor(this.clock.now() / 1000) * 1000).toISOString().replace(".000Z", "Z"), resourceVersion: this.nextVersion++, body };
      this.leases.set(key, stored);
      return sendJson(res, 201, this.render(route.namespace, stored));
    }
    if (body.metadata.name !== route.name) return sendJson(res, 400, badRequestStatus(`the name of the object (${body.metadata.name}) does not match the name on the URL (${route.name ?? ""})`));
    if (!existing) return sendJson(res, 404, notFoundStatus("leases", body.metadata.name, GROUP));
    const rv = body.metadata.resourceVersion;
    if (rv !== undefined && rv !== String(existing.resourceVersion)) {
      return sendJson(res, 409, conflict(body.metadata.name, "Conflict", `Operation cannot be fulfilled on leases.${GROUP} "${body.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`));
    }
    const updated: StoredLease = { ...existing, resourceVersion: this.nextVersion++, body };
    this.leases.set(key, updated);
    return sendJson(res, 200, this.render(route.namespace, updated));
  }

  private list(namespace: string) {
    const items = [...this.leases.entries()].filter(([k]) => k.startsWith(`${namespace}/`)).map(([, v]) => this.render(namespace, v));
    return { kind: "LeaseList", apiVersion: `${GROUP}/v1`, metadata: { resourceVersion: String(this.nextVersion - 1) }, items };
  }

  private render(namespace: string, s: StoredLease) {
    const { resourceVersion: _ignored, ...metadata } = s.body.metadata;
    return {
      kind: "Lease",
      apiVersion: `${GROUP}/v1`,
      metadata: { ...metadata, namespace, uid: s.uid, resourceVersion: String(s.resourceVersion), creationTimestamp: s.creationTimestamp },
      spec: s.body.spec,
    };
  }
}
