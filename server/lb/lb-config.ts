/**
 * The LB sources configuration file (`--lb-config FILE` / DRAINSCOPE_LB_CONFIG), YAML or JSON:
 *
 *   sources:
 *     - { name: edge, kind: haproxy, address: unix:///run/haproxy/admin.sock, backends: [be_web], intervalSeconds: 2 }
 *     - { name: gateway, kind: envoy, url: "http://envoy-admin.gateway:9901" }
 *     - { name: f5, kind: bigip, url: "https://bigip.example.net", pools: [{ path: /shop/web_80_pool, service: web, namespace: shop }],
 *         username: drainscope, passwordFile: /etc/drainscope/bigip-password }
 *     - { name: nginx, kind: ingress-nginx, url: "http://127.0.0.1:10246" }
 *
 * Validated with zod, strictly: an unknown key is an error (a typo must not silently disable a source),
 * and so is an inline password or token — secrets come from a file (`passwordFile`, `tokenFile`) or an
 * environment variable (`passwordEnv`, `tokenEnv`), are read once at start, and are never logged;
 * a relative file path is relative to the configuration file's folder.
 * Members map to pods by IP:port (`mapping: ip-port`, the default and only mode): the engine gives each
 * member to the pod that held its IP at the time, or, for node addresses, to the service's pods on that node.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseRuntimeAddress } from "./haproxy-source";

const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, "a name of letters, digits, '.', '_' or '-' (at most 63)");
const httpUrl = z
  .url({ protocol: /^https?$/, error: "an http:// or https:// URL" })
  .refine((u) => !/^https?:\/\/[^/]*@/.test(u), "credentials in the URL are not accepted: use username + passwordFile/passwordEnv or tokenFile/tokenEnv");
const common = {
  name,
  intervalSeconds: z.number().min(0.2).max(3600).default(2),
  /** Cluster the observations are recorded under (default: the watched cluster). */
  cluster: z.string().min(1).max(253).optional(),
  namespace: z.string().max(253).optional(),
  service: z.string().max(253).optional(),
  mapping: z.literal("ip-port").default("ip-port"),
};
const noInline = {
  password: z.never({ error: "inline passwords are not accepted: use passwordFile or passwordEnv" }).optional(),
  token: z.never({ error: "inline tokens are not accepted: use tokenFile or tokenEnv" }).optional(),
};

const HaproxySchema = z.strictObject({
  ...common,
  kind: z.literal("haproxy"),
  address: z.string().refine((a) => !("error" in parseRuntimeAddress(a)), "host:port, tcp://host:port, unix:///path or /path"),
  backends: z.array(z.string().min(1)).optional(),
});
const EnvoySchema = z.strictObject({ ...common, kind: z.literal("envoy"), url: httpUrl });
const IngressNginxSchema = z.strictObject({ ...common, kind: z.literal("ingress-nginx"), url: httpUrl });
const BigipSchema = z.strictObject({
  ...common,
  ...noInline,
  kind: z.literal("bigip"),
  url: httpUrl,
  pools: z.array(z.strictObject({ path: z.string().regex(/^\/[^/\s]+\/[^/\s]+$/, "a full path like /Common/web_pool"), service: z.string().optional(), namespace: z.string().optional() })).min(1),
  username: z.string().min(1).optional(),
  passwordFile: z.string().min(1).optional(),
  passwordEnv: z.string().min(1).optional(),
  tokenFile: z.string().min(1).optional(),
  tokenEnv: z.string().min(1).optional(),
  insecureSkipTlsVerify: z.boolean().default(false),
});

const SourceSchema = z.discriminatedUnion("kind", [HaproxySchema, EnvoySchema, IngressNginxSchema, BigipSchema], { error: "kind must be one of haproxy, envoy, bigip, ingress-nginx" });

export const LbConfigSchema = z
  .strictObject({ sources: z.array(SourceSchema).max(100) })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.sources.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: ["sources", i, "name"], message: `duplicate source name "${s.name}"` });
      seen.add(s.name);
      if (s.kind === "bigip") {
        const basic = s.username !== undefined || s.passwordFile !== undefined || s.passwordEnv !== undefined;
        const token = s.tokenFile !== undefined || s.tokenEnv !== undefined;
        if (basic && token) ctx.addIssue({ code: "custom", path: ["sources", i], message: "give either username + passwordFile/passwordEnv or tokenFile/tokenEnv, not both" });
        if (basic && (s.username === undefined || (s.passwordFile === undefined) === (s.passwordEnv === undefined)))
          ctx.addIssue({ code: "custom", path: ["sources", i], message: "basic auth needs username and exactly one of passwordFile, passwordEnv" });
        if (s.tokenFile !== undefined && s.tokenEnv !== undefined) ctx.addIssue({ code: "custom", path: ["sources", i], message: "give one of tokenFile, tokenEnv" });
      }
    });
  });

export type LbConfig = z.output<typeof LbConfigSchema>;
export type LbSourceConfig = LbConfig["sources"][number];

export class LbConfigError extends Error {
  override name = "LbConfigError";
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/** Parse and validate the file's text; every problem names its field, e.g. `sources[1].url: …`. */
export function parseLbConfig(text: string, file: string): LbConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new LbConfigError(`${file}: not valid YAML or JSON: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  const parsed = LbConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new LbConfigError(`${file}: ${parsed.error.issues.slice(0, 5).map((i) => `${fieldPath(i.path) || "(top level)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** Largest configuration file read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadLbConfig(file: string): LbConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new LbConfigError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text.length > MAX_CONFIG_BYTES) throw new LbConfigError(`${file}: larger than 1 MiB`);
  return parseLbConfig(text, file);
}

/** A secret from a file or an environment variable; the error names the field, never the value. */
export function readSecret(o: { file?: string; env?: string }, field: string, env: Readonly<Record<string, string | undefined>>): string {
  if (o.file !== undefined) {
    try {
      const v = readFileSync(o.file, "utf8").trim();
      if (!v) throw new Error("the file is empty");
      return v;
    } catch (e) {
      throw new LbConfigError(`${field}File: cannot read ${o.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const v = o.env !== undefined ? env[o.env]?.trim() : undefined;
  if (!v) throw new LbConfigError(`${field}Env: environment variable ${o.env ?? "?"} is not set`);
  return v;
}
