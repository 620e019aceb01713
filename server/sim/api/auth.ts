/**
 * Authentication and authorisation of the simulated API server, strict like a real one:
 *
 * - authentication: a client certificate signed by the client CA (user = CN, groups = O), or a bearer
 *   token it issued; a presented credential it does not know gets 401. A request with none is anonymous:
 *   401 unless anonymous reads are on (then it is `system:anonymous`, group `system:unauthenticated`);
 *   health and version stay public, like an apiserver whose anonymous auth is limited to those paths;
 * - authorisation: RBAC-like rules per subject (a user or a group name) — verbs, resources, API groups and
 *   optionally namespaces (a RoleBinding); anything not granted is 403 with the apiserver's message.
 *
 * Tokens and rules change at run time (revoke a token, take a resource away) so tests can rotate and expire
 * credentials. Every request is kept in a bounded audit log: who, with which credential, what, which code.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { forbiddenStatus, type Status } from "./status";

export interface SimIdentity {
  readonly user: string;
  readonly groups?: readonly string[];
}

/** create and update: only Leases are written (leases.ts); every other kind is read-only here. */
export type SimVerb = "get" | "list" | "watch" | "create" | "update";

export interface SimRule {
  /** A user or group name, as the subject of a (Cluster)RoleBinding. */
  readonly subject: string;
  readonly verbs: readonly (SimVerb | "*")[];
  /** Resource names (plural), or "*". */
  readonly resources: readonly string[];
  /** API groups ("" = core); default every group. */
  readonly apiGroups?: readonly string[];
  /** Only these namespaces (a RoleBinding); default every namespace and the cluster scope. */
  readonly namespaces?: readonly string[];
}

export interface SimAuthOptions {
  /** Bearer tokens the server accepts, and whose they are. */
  readonly tokens?: Readonly<Record<string, SimIdentity>>;
  readonly rules?: readonly SimRule[];
  /** Requests without credentials are `system:anonymous` and may read every resource. Default false. */
  readonly anonymousReads?: boolean;
}

/** Read access to everything, as a ClusterRoleBinding of the `view` role (plus nodes, namespaces) would give. */
export function readAll(subject: string): SimRule {
  return { subject, verbs: ["get", "list", "watch"], resources: ["*"] };
}

export const ANONYMOUS: Required<SimIdentity> = { user: "system:anonymous", groups: ["system:unauthenticated"] };

export type Authentication =
  | { readonly kind: "identity"; readonly identity: Required<SimIdentity>; readonly via: "token" | "certificate" }
  | { readonly kind: "anonymous" }
  | { readonly kind: "unauthorized"; readonly why: string };

export interface AuditEntry {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  /** The Authorization header as sent (undefined: none). */
  readonly authorization?: string;
  /** The authenticated user (undefined: not authenticated). */
  readonly user?: string;
  readonly via?: "token" | "certificate" | "anonymous";
  readonly code: number;
}

const AUDIT_LIMIT = 5000;

function groupsOf(o: unknown): string[] {
  if (typeof o === "string") return [o];
  return Array.isArray(o) ? o.filter((g): g is string => typeof g === "string") : [];
}

export class SimAuth {
  private readonly tokens = new Map<string, SimIdentity>();
  private rules: SimRule[];
  private readonly log: AuditEntry[] = [];
  private seq = 0;
  readonly anonymousReads: boolean;

  constructor(o: SimAuthOptions = {}) {
    for (const [token, identity] of Object.entries(o.tokens ?? {})) this.tokens.set(token, identity);
    this.rules = [...(o.rules ?? [])];
    this.anonymousReads = o.anonymousReads ?? false;
    if (this.anonymousReads) this.rules.push(readAll(ANONYMOUS.user));
  }

  addToken(token: string, identity: SimIdentity): void {
    this.tokens.set(token, identity);
  }

  /** The token stops working at once (expired, rotated away). */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  setRules(rules: readonly SimRule[]): void {
    this.rules = [...rules, ...(this.anonymousReads ? [readAll(ANONYMOUS.user)] : [])];
  }

  authenticate(req: IncomingMessage): Authentication {
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate === "function") {
      const cert = socket.getPeerCertificate();
      if (cert && typeof cert.subject === "object" && cert.subject !== null && Object.keys(cert.subject).length > 0) {
        if (!socket.authorized) return { kind: "unauthorized", why: `client certificate not trusted: ${String(socket.authorizationError ?? "unknown CA")}` };
        const cn = cert.subject.CN;
        const user = Array.isArray(cn) ? cn[0] : cn;
        if (!user) return { kind: "unauthorized", why: "client certificate without a common name" };
        return { kind: "identity", via: "certificate", identity: { user, groups: [...groupsOf(cert.subject.O), "system:authenticated"] } };
      }
    }
    const header = req.headers.authorization;
    if (header === undefined) return { kind: "anonymous" };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const identity = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (!identity) return { kind: "unauthorized", why: match ? "unknown bearer token" : "unsupported Authorization scheme" };
    return { kind: "identity", via: "token", identity: { user: identity.user, groups: [...(identity.groups ?? []), "system:authenticated"] } };
  }

  /** The identity a request acts as, or undefined when it must get 401. */
  subjectOf(a: Authentication): Required<SimIdentity> | undefined {
    if (a.kind === "identity") return a.identity;
    if (a.kind === "anonymous" && this.anonymousReads) return ANONYMOUS;
    return undefined;
  }

  /** undefined when allowed; else the 403 Status a real apiserver would send. */
  authorize(who: Required<SimIdentity>, verb: SimVerb, resource: { readonly name: string; readonly group: string }, namespace: string | undefined, objectName?: string): Status | undefined {
    const subjects = new Set([who.user, ...who.groups]);
    const granted = this.rules.some(
      (r) =>
        subjects.has(r.subject) &&
        (r.verbs.includes("*") || r.verbs.includes(verb)) &&
        (r.resources.includes("*") || r.resources.includes(resource.name)) &&
        (r.apiGroups === undefined || r.apiGroups.includes("*") || r.apiGroups.includes(resource.group)) &&
        (r.namespaces === undefined || (namespace !== undefined && r.namespaces.includes(namespace))),
    );
    return granted ? undefined : forbiddenStatus(who.user, verb, resource, namespace, objectName);
  }

  record(entry: Omit<AuditEntry, "seq">): void {
    this.log.push({ seq: this.seq++, ...entry });
    if (this.log.length > AUDIT_LIMIT) this.log.splice(0, this.log.length - AUDIT_LIMIT);
  }

  /** The audit log, oldest first (the last 5,000 requests). */
  audit(): readonly AuditEntry[] {
    return [...this.log];
  }
}
