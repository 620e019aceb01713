/**
 * F5 BIG-IP iControl REST as an LB source: per configured pool, `GET …/pool/<~P~pool>/members` and
 * `…/members/stats`, joined by address and port (lib/lb/bigip). Credentials go into the Authorization
 * (basic) or X-F5-Auth-Token header only; errors name the path and status, never a header.
 */
import { Agent } from "node:https";
import { bigipMembers, parseBigipStats, poolPathSegment } from "../../lib/lb/bigip";
import type { MemberSnapshot } from "../../lib/lb/members";
import { fetchJson, type HttpGet, type HttpGetOptions } from "./http-source";
import type { LbSource } from "./poller";

export interface BigipPool {
  /** Full path, e.g. "/Common/web_pool" (CIS writes pools into its partition). */
  readonly path: string;
  readonly service?: string;
  readonly namespace?: string;
}

export interface BigipSourceOptions {
  readonly name: string;
  /** Management URL, e.g. https://bigip.example.net */
  readonly url: string;
  readonly pools: readonly BigipPool[];
  readonly auth?: { readonly kind: "basic"; readonly username: string; readonly password: string } | { readonly kind: "token"; readonly token: string };
  readonly insecureSkipTlsVerify?: boolean;
  readonly get?: HttpGet;
}

export function bigipSource(o: BigipSourceOptions): LbSource {
  const base = o.url.replace(/\/+$/, "");
  const headers: Record<string, string> =
    o.auth?.kind === "basic"
      ? { authorization: `Basic ${Buffer.from(`${o.auth.username}:${o.auth.password}`).toString("base64")}` }
      : o.auth?.kind === "token"
        ? { "x-f5-auth-token": o.auth.token }
        : {};
  // One agent per source: BIG-IP ships a self-signed management certificate.
  const http: HttpGetOptions = { headers, ...(o.insecureSkipTlsVerify ? { agent: new Agent({ rejectUnauthorized: false }) } : {}) };
  return {
    name: o.name,
    kind: "bigip",
    async read(signal) {
      const out: MemberSnapshot[] = [];
      for (const pool of o.pools) {
        const url = `${base}/mgmt/tm/ltm/pool/${encodeURIComponent(poolPathSegment(pool.path)).replace(/%7E/g, "~")}/members`;
        const [members, statsJson] = await Promise.all([fetchJson(url, signal, o.get, http), fetchJson(`${url}/stats`, signal, o.get, http)]);
        const stats = parseBigipStats(statsJson);
        if ("error" in stats) throw new Error(`${pool.path}: ${stats.error}`);
        const got = bigipMembers(members, stats, { lb: pool.path.replace(/^\//, ""), ...(pool.service ? { service: pool.service } : {}), ...(pool.namespace ? { namespace: pool.namespace } : {}) });
        if (!Array.isArray(got)) throw new Error(`${pool.path}: ${got.error}`);
        out.push(...got);
      }
      return out;
    },
  };
}
