/**
 * Load-balancer member state from data planes that give state, not transitions (Envoy admin, HAProxy,
 * IPVS tables, BIG-IP pools, ingress-nginx backends): each poll is parsed into members, then diffed
 * against the previous poll. A member that disappears is reported `removed`; changes of state, weight or
 * connections are reported as they are seen. A member may also be listed as `removed` while the LB still
 * knows it (HAProxy maintenance, a BIG-IP member forced offline): out of rotation, not yet deleted.
 */
import type { LbMemberState } from "../model/events";
import { z } from "zod";

export interface MemberSnapshot {
  readonly lb: string;
  readonly source: string;
  /** "ip:port" */
  readonly member: string;
  readonly state: LbMemberState;
  readonly weight?: number;
  readonly connections?: number;
  readonly service?: string;
  /** The namespace of the Service behind the member, when the source knows it. */
  readonly namespace?: string;
}

export type MemberChange = MemberSnapshot;

const key = (m: { lb: string; source: string; member: string }) => `${m.source}|${m.lb}|${m.member}`;

/** Returns the changes and the new previous-state map (the input map is not modified). */
export function diffMembers(
  previous: ReadonlyMap<string, MemberSnapshot>,
  current: readonly MemberSnapshot[],
): { changes: MemberChange[]; next: Map<string, MemberSnapshot> } {
  const next = new Map<string, MemberSnapshot>();
  const changes: MemberChange[] = [];
  for (const m of current) {
    const k = key(m);
    next.set(k, m);
    const p = previous.get(k);
    if (!p || p.state !== m.state || p.weight !== m.weight || p.connections !== m.connections) changes.push(m);
  }
  for (const [k, p] of previous) {
    // Already out of rotation (listed as removed): its deletion from the table changes nothing.
    if (!next.has(k) && p.state !== "removed") changes.push({ ...p, state: "removed", connections: 0 });
  }
  return { changes, next };
}

/** Envoy admin `GET /clusters?format=json`, the fields we read. */
export const EnvoyClustersSchema = z.object({
  cluster_statuses: z
    .array(
      z.object({
        name: z.string(),
        host_statuses: z
          .array(
            z.object({
              address: z.object({ socket_address: z.object({ address: z.string(), port_value: z.number() }) }),
              stats: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).optional() })).optional(),
              health_status: z
                .object({
                  eds_health_status: z.string().optional(),
                  failed_active_health_check: z.boolean().optional(),
                  failed_outlier_check: z.boolean().optional(),
                  failed_active_degraded_check: z.boolean().optional(),
                  pending_dynamic_removal: z.boolean().optional(),
                })
                .optional(),
              weight: z.number().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});


/** Parse an Envoy admin answer into members, one LB per Envoy cluster name (`lb` prefix optional). */
export function parseEnvoyClusters(json: unknown, opts: { lbPrefix?: string; service?: (cluster: string) => string | undefined } = {}): MemberSnapshot[] | { error: string } {
  const parsed = EnvoyClustersSchema.safeParse(json);
  if (!parsed.success) return { error: `not an Envoy /clusters?format=json answer: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const out: MemberSnapshot[] = [];
  for (const c of parsed.data.cluster_statuses ?? []) {
    for (const h of c.host_statuses ?? []) {
      const hs = h.health_status ?? {};
      const eds = hs.eds_health_status ?? "HEALTHY";
      const failed = Boolean(hs.failed_active_health_check || hs.failed_outlier_check);
      const state: MemberSnapshot["state"] =
        eds === "DRAINING" || hs.pending_dynamic_removal ? "draining" : failed || eds === "UNHEALTHY" || eds === "TIMEOUT" ? "unhealthy" : "active";
      const cx = h.stats?.find((s) => s.name === "cx_active")?.value;
      const service = opts.service?.(c.name);
      out.push({
        lb: `${opts.lbPrefix ?? ""}${c.name}`,
        source: "envoy-admin",
        member: `${h.address.socket_address.address}:${h.address.socket_address.port_value}`,
        state,
        ...(h.weight !== undefined ? { weight: h.weight } : {}),
        ...(cx !== undefined ? { connections: Number(cx) } : {}),
        ...(service ? { service } : {}),
      });
    }
  }
  return out;
}
