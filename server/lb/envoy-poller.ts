/**
 * Envoy admin (`GET /clusters?format=json`) as an LB source: one LB per Envoy cluster, hosts as members
 * (EDS health DRAINING or pending removal → draining, failed health or outlier checks → unhealthy,
 * cx_active → connections). Envoy gives state, not transition times: the shared poller (poller.ts)
 * stamps each change with the interval between the two polls that saw it.
 */
import { parseEnvoyClusters } from "../../lib/lb/members";
import { fetchJson, type HttpGet } from "./http-source";
import type { LbSource } from "./poller";

export interface EnvoySourceOptions {
  readonly name: string;
  /** Admin base URL, e.g. http://127.0.0.1:9901 */
  readonly url: string;
  /** Prefix for LB names (default none: the Envoy cluster name). */
  readonly lbPrefix?: string;
  readonly service?: string;
  readonly get?: HttpGet;
}

export function envoySource(o: EnvoySourceOptions): LbSource {
  const target = `${o.url.replace(/\/+$/, "")}/clusters?format=json`;
  const service = o.service;
  return {
    name: o.name,
    kind: "envoy",
    async read(signal) {
      const members = parseEnvoyClusters(await fetchJson(target, signal, o.get), {
        ...(o.lbPrefix ? { lbPrefix: o.lbPrefix } : {}),
        ...(service ? { service: () => service } : {}),
      });
      if (!Array.isArray(members)) throw new Error(members.error);
      return members;
    },
  };
}
