/**
 * F5 BIG-IP pool members (seed 003: CIS manages the pools) from iControl REST:
 *
 * - `GET /mgmt/tm/ltm/pool/<~Partition~pool>/members` → `items[]` with `address` ("10.1.2.3", or
 *   "10.1.2.3%2" in route domain 2), `name` ("10.1.2.3:8080", IPv6 "fd00::7.8080"), `state` ("up",
 *   "down", "user-down", "unchecked", …), `session` ("monitor-enabled", "user-enabled", "user-disabled"),
 *   `ratio`;
 * - `GET …/members/stats` → `entries{<selfLink>: {nestedStats: {entries: {addr, port,
 *   "serverside.curConns", "status.availabilityState", "status.enabledState", …}}}}`.
 *
 * State: forced offline (`state: user-down`) → `removed` (takes no connections at all); disabled
 * (`session: user-disabled`, or enabledState disabled) → `draining` (only persistent and existing
 * connections); monitor down / availability offline → `unhealthy`; otherwise `active`. A member CIS
 * deletes disappears from the list → `removed` by the diff.
 */
import { z } from "zod";
import type { MemberSnapshot } from "./members";

const MemberSchema = z.object({
  name: z.string(),
  address: z.string().optional(),
  state: z.string().optional(),
  session: z.string().optional(),
  ratio: z.number().optional(),
});
export const BigipMembersSchema = z.object({ items: z.array(MemberSchema).optional() });

const statValue = z.object({ value: z.union([z.number(), z.string()]).optional(), description: z.string().optional() }).passthrough();
export const BigipMemberStatsSchema = z.object({
  entries: z.record(z.string(), z.object({ nestedStats: z.object({ entries: z.record(z.string(), statValue) }) })).optional(),
});

/** "10.1.2.3%2" → "10.1.2.3". */
const stripRouteDomain = (a: string) => a.replace(/%\d+$/, "");

/** "10.1.2.3:8080" → port 8080; IPv6 names use a dot: "fd00::7.8080". */
function memberPort(name: string): number | undefined {
  const bare = name.replace(/^.*\//, "");
  const m = bare.includes("::") || (bare.match(/:/g) ?? []).length > 1 ? /\.(\d+)$/.exec(bare) : /:(\d+)$/.exec(bare);
  const port = Number(m?.[1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

export interface BigipStat {
  readonly connections?: number;
  readonly availability?: string;
  readonly enabled?: string;
}

/** Member stats keyed by "address:port" (route domain stripped). */
export function parseBigipStats(json: unknown): Map<string, BigipStat> | { error: string } {
  const parsed = BigipMemberStatsSchema.safeParse(json);
  if (!parsed.success) return { error: `not a BIG-IP members/stats answer: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const out = new Map<string, BigipStat>();
  for (const { nestedStats } of Object.values(parsed.data.entries ?? {})) {
    const e = nestedStats.entries;
    const addr = e.addr?.description;
    const port = Number(e.port?.value);
    if (!addr || !Number.isFinite(port)) continue;
    const cx = Number(e["serverside.curConns"]?.value);
    out.set(`${stripRouteDomain(addr)}|${port}`, {
      ...(Number.isFinite(cx) ? { connections: cx } : {}),
      ...(e["status.availabilityState"]?.description ? { availability: e["status.availabilityState"].description } : {}),
      ...(e["status.enabledState"]?.description ? { enabled: e["status.enabledState"].description } : {}),
    });
  }
  return out;
}

export function bigipState(m: { state?: string; session?: string }, s: BigipStat | undefined): MemberSnapshot["state"] {
  if (m.state === "user-down") return "removed";
  if (m.session === "user-disabled" || s?.enabled === "disabled" || s?.enabled === "disabled-by-parent") return "draining";
  if (m.state === "down" || s?.availability === "offline") return "unhealthy";
  return "active";
}

export interface BigipPoolOptions {
  /** The LB name for this pool, e.g. "Common/web_pool". */
  readonly lb: string;
  readonly service?: string;
  readonly namespace?: string;
}

/** One pool's members + stats → members. */
export function bigipMembers(membersJson: unknown, stats: ReadonlyMap<string, BigipStat>, o: BigipPoolOptions): MemberSnapshot[] | { error: string } {
  const parsed = BigipMembersSchema.safeParse(membersJson);
  if (!parsed.success) return { error: `not a BIG-IP pool members answer: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const out: MemberSnapshot[] = [];
  for (const m of parsed.data.items ?? []) {
    const port = memberPort(m.name);
    const address = m.address ? stripRouteDomain(m.address) : undefined;
    if (!address || port === undefined) continue; // FQDN members without a resolved address
    const s = stats.get(`${address}|${port}`);
    const state = bigipState(m, s);
    out.push({
      lb: o.lb,
      source: "bigip",
      member: address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`,
      state,
      weight: state === "active" || state === "unhealthy" ? (m.ratio ?? 1) : 0,
      ...(s?.connections !== undefined ? { connections: s.connections } : {}),
      ...(o.service ? { service: o.service } : {}),
      ...(o.namespace ? { namespace: o.namespace } : {}),
    });
  }
  return out;
}

/** "/Common/web_pool" → "~Common~web_pool" (iControl REST's path form). */
export function poolPathSegment(fullPath: string): string {
  return fullPath.replace(/\//g, "~");
}
