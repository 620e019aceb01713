/**
 * ingress-nginx's `/configuration/backends` as an LB source. The controller serves it on its internal
 * status port (10246, loopback inside the controller pod): reach it through a sidecar or a port-forward.
 */
import { ingressNginxMembers } from "../../lib/lb/ingress-nginx";
import { fetchJson, type HttpGet } from "./http-source";
import type { LbSource } from "./poller";

export interface IngressNginxSourceOptions {
  readonly name: string;
  /** Base URL of the status endpoint, e.g. http://127.0.0.1:10246 */
  readonly url: string;
  readonly get?: HttpGet;
}

export function ingressNginxSource(o: IngressNginxSourceOptions): LbSource {
  const target = `${o.url.replace(/\/+$/, "")}/configuration/backends`;
  return {
    name: o.name,
    kind: "ingress-nginx",
    async read(signal) {
      const members = ingressNginxMembers(await fetchJson(target, signal, o.get));
      if (!Array.isArray(members)) throw new Error(members.error);
      return members;
    },
  };
}
