/**
 * ingress-nginx's dynamic backends (`GET /configuration/backends` on the controller's internal status
 * port, what `kubectl ingress-nginx backends` prints): a JSON array of backends, each with `name`
 * ("<namespace>-<service>-<port>"), the Service object it came from, and `endpoints[]` of
 * `{address, port}` (port as a string). The controller lists only endpoints it sends traffic to, so every
 * listed endpoint is `active`; one that leaves the list is `removed` by the diff. No connection counts.
 */
import { z } from "zod";
import type { MemberSnapshot } from "./members";

export const IngressNginxBackendsSchema = z.array(
  z.object({
    name: z.string(),
    service: z.object({ metadata: z.object({ name: z.string().optional(), namespace: z.string().optional() }).optional() }).nullish(),
    endpoints: z.array(z.object({ address: z.string(), port: z.union([z.string(), z.number()]) })).nullish(),
  }),
);

export function ingressNginxMembers(json: unknown, o: { lbPrefix?: string } = {}): MemberSnapshot[] | { error: string } {
  const parsed = IngressNginxBackendsSchema.safeParse(json);
  if (!parsed.success) return { error: `not an ingress-nginx /configuration/backends answer: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const out: MemberSnapshot[] = [];
  for (const b of parsed.data) {
    if (b.name === "upstream-default-backend") continue; // the controller's own 404 backend
    const meta = b.service?.metadata;
    for (const e of b.endpoints ?? []) {
      const port = Number(e.port);
      if (!Number.isInteger(port)) continue;
      out.push({
        lb: `${o.lbPrefix ?? "ingress-nginx/"}${b.name}`,
        source: "ingress-nginx",
        member: e.address.includes(":") ? `[${e.address}]:${port}` : `${e.address}:${port}`,
        state: "active",
        ...(meta?.name ? { service: meta.name } : {}),
        ...(meta?.namespace ? { namespace: meta.namespace } : {}),
      });
    }
  }
  return out;
}
