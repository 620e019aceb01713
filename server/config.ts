/**
 * Runtime configuration from the environment (design §6.7), parsed once with zod. The CLI turns its
 * flags into these variables for the server process, so flags win over the environment, which wins
 * over these defaults.
 */
import { z } from "zod";
import { CLUSTER_NAME_RULE, clusterNameProblem } from "../lib/model/names";

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean));

const EnvSchema = z.object({
  KUBECONFIG: z.string().optional(),
  DRAINSCOPE_CONTEXTS: list,
  DRAINSCOPE_NAMESPACES: list,
  /** The name the watched cluster is recorded under, instead of its context name (one context only). */
  DRAINSCOPE_CLUSTER_NAME: z
    .string()
    .refine((v) => clusterNameProblem(v) === undefined, { message: `not a valid cluster name (${CLUSTER_NAME_RULE})` })
    .optional(),
  DRAINSCOPE_DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  DRAINSCOPE_HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Off when unset: a second port on DRAINSCOPE_HOST that serves only POST /api/ingest/signal and /api/ingest/lb,
   * outside Next's router (server/http/ingest-listener.ts). 0: any free port (tests).
   */
  DRAINSCOPE_INGEST_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Host names (optionally `name:port`) the dashboard answers to besides loopback names and IP addresses. */
  DRAINSCOPE_ALLOWED_HOSTS: list,
  DRAINSCOPE_AUTH_TOKEN: z.string().min(16, "DRAINSCOPE_AUTH_TOKEN must be at least 16 characters").optional(),
  DRAINSCOPE_INGEST_TOKEN: z.string().min(16, "DRAINSCOPE_INGEST_TOKEN must be at least 16 characters").optional(),
  DRAINSCOPE_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(14),
  /**
   * "auto" (default): the simulated cluster only when there is no kubeconfig (KUBECONFIG, ~/.kube/config)
   * and no in-cluster service account at all — never in place of a configured cluster that fails;
   * "off": never; "demo"/"on" or a scenario name: simulate even when a cluster is configured.
   */
  DRAINSCOPE_SIMULATE: z.string().default("auto"),
  DRAINSCOPE_SIM_SPEED: z.coerce.number().positive().max(1000).default(1),
  /** "on" (default) starts the watcher inside the dashboard process; "off" serves stored data only. */
  DRAINSCOPE_WATCH: z.enum(["on", "off"]).default("on"),
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
});

export type DrainscopeConfig = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): DrainscopeConfig {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data;
}
