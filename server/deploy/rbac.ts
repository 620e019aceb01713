/**
 * Does a set of rendered RBAC rules allow a request? The subset of Kubernetes' RBAC evaluation the
 * deploy tests need: apiGroups, resources, verbs, resourceNames, with "*" honoured so a wildcard rule
 * is caught by the "read-only" assertions rather than silently allowed here.
 */
import { z } from "zod";

export const PolicyRuleSchema = z.object({
  apiGroups: z.array(z.string()).default([]),
  resources: z.array(z.string()).default([]),
  verbs: z.array(z.string()),
  resourceNames: z.array(z.string()).optional(),
});
export type PolicyRule = z.output<typeof PolicyRuleSchema>;

export interface RbacRequest {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  readonly name?: string;
}

const has = (list: readonly string[], v: string) => list.includes(v) || list.includes("*");

export function allows(rules: readonly PolicyRule[], req: RbacRequest): boolean {
  return rules.some(
    (r) =>
      has(r.apiGroups, req.group) &&
      has(r.resources, req.resource) &&
      has(r.verbs, req.verb) &&
      (r.resourceNames === undefined || r.resourceNames.length === 0 || (req.name !== undefined && r.resourceNames.includes(req.name))),
  );
}

/** "/api/v1" → "" (core), "/apis/apps/v1" → "apps". */
export function apiGroupOf(prefix: string): string {
  const m = /^\/apis\/([^/]+)\/[^/]+$/.exec(prefix);
  if (m?.[1]) return m[1];
  if (/^\/api\/v1$/.test(prefix)) return "";
  throw new Error(`not an API path prefix: ${prefix}`);
}
