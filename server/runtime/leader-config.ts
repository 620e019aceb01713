/**
 * Leader-election settings (several replicas on one PostgreSQL; docs/operations.md). Parsed with zod
 * from the environment here rather than in server/config.ts because only the runtime's election uses them.
 *
 * The Lease lives in the cluster it guards, in Drainscope's own namespace, under one name for every
 * cluster: deploy/base/lease-role.yaml grants get/update on exactly that name, and a test holds the two
 * to the same constant.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { z } from "zod";

export const DEFAULT_LEASE_NAME = "drainscope-watcher";
const SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lowercase DNS label").max(63);

const LeaderEnvSchema = z.object({
  /** "off" (default): every process watches; "lease": one holder of the Lease per cluster watches. */
  DRAINSCOPE_LEADER_ELECTION: z.enum(["off", "lease"]).default("off"),
  DRAINSCOPE_LEASE_NAME: dnsLabel.default(DEFAULT_LEASE_NAME),
  DRAINSCOPE_LEASE_NAMESPACE: dnsLabel.optional(),
  POD_NAMESPACE: dnsLabel.optional(),
  DRAINSCOPE_LEASE_DURATION_SECONDS: z.coerce.number().int().min(2).max(600).default(15),
  POD_NAME: z.string().min(1).max(253).optional(),
});

export interface LeaderConfig {
  readonly enabled: boolean;
  readonly leaseName: string;
  readonly namespace: string;
  readonly durationMs: number;
  /** Renew this often; a holder that cannot renew for durationMs loses the Lease. */
  readonly renewEveryMs: number;
  /** Who we are in `spec.holderIdentity`: the pod name, else host and process id. */
  readonly identity: string;
}

function serviceAccountNamespace(): string | undefined {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

export function loadLeaderConfig(env: Readonly<Record<string, string | undefined>>): LeaderConfig {
  const parsed = LeaderEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) throw new Error(`leader election: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = parsed.data;
  const durationMs = e.DRAINSCOPE_LEASE_DURATION_SECONDS * 1000;
  return {
    enabled: e.DRAINSCOPE_LEADER_ELECTION === "lease",
    leaseName: e.DRAINSCOPE_LEASE_NAME,
    namespace: e.DRAINSCOPE_LEASE_NAMESPACE ?? e.POD_NAMESPACE ?? serviceAccountNamespace() ?? "default",
    durationMs,
    renewEveryMs: Math.max(500, Math.floor(durationMs / 3)),
    identity: e.POD_NAME ?? `${hostname()}-${process.pid}`,
  };
}
