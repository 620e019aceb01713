/**
 * Several kubeconfig files merged the way kubectl merges a `KUBECONFIG` list: files in order, the first
 * file to define a cluster, user or context name wins (the whole entry), the first non-empty
 * `current-context` wins, relative paths resolve against the file that holds them. client-node's own
 * merge throws on a duplicate name and lets the last file's current-context win, so we merge here and
 * hand client-node one document.
 *
 * A user's `token-file` becomes a provider that reads the file on every request (client-node would read
 * it once, at load): a rotated token is used from the next request on.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve, sep } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { TOKEN_FILE_PROVIDER } from "./token-file-auth";

const Named = z.object({ name: z.string().min(1) }).passthrough();
const FileSchema = z
  .object({
    clusters: z.array(Named).nullish(),
    users: z.array(Named).nullish(),
    contexts: z.array(Named).nullish(),
    "current-context": z.string().nullish(),
  })
  .passthrough();

type Entry = z.infer<typeof Named>;

export interface MergedKubeconfig {
  readonly clusters: readonly Entry[];
  readonly users: readonly Entry[];
  readonly contexts: readonly Entry[];
  readonly currentContext?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Resolve `key` of `obj` against `dir` when it is a relative path (as kubectl's ResolvePaths does). */
function resolveIn(obj: Record<string, unknown>, key: string, dir: string): Record<string, unknown> {
  const v = obj[key];
  return typeof v === "string" && v !== "" && !isAbsolute(v) ? { ...obj, [key]: resolve(dir, v) } : obj;
}

function resolveCluster(entry: Entry, dir: string): Entry {
  const c = entry.cluster;
  return isRecord(c) ? { ...entry, cluster: resolveIn(c, "certificate-authority", dir) } : entry;
}

function resolveUser(entry: Entry, dir: string): Entry {
  if (!isRecord(entry.user)) return entry;
  let u: Record<string, unknown> = entry.user;
  for (const key of ["client-certificate", "client-key", "token-file"]) u = resolveIn(u, key, dir);
  const exec = u.exec;
  // kubectl resolves an exec command against the file only when it names a path ("./bin/x"), not a $PATH lookup.
  if (isRecord(exec) && typeof exec.command === "string" && exec.command.includes(sep)) u = { ...u, exec: resolveIn(exec, "command", dir) };
  return { ...entry, user: u };
}

/** token-file (which wins over token, as in client-go) → our per-request file provider. */
function withTokenFileProvider(entry: Entry): Entry {
  const u = entry.user;
  if (!isRecord(u) || typeof u["token-file"] !== "string" || u["token-file"] === "") return entry;
  const { "token-file": path, token: _token, ...rest } = u;
  return { ...entry, user: { ...rest, "auth-provider": { name: TOKEN_FILE_PROVIDER, config: { path } } } };
}

/** Read and merge `paths` (all must exist and parse). Throws with the file name on the first bad one. */
export function mergeKubeconfigFiles(paths: readonly string[]): MergedKubeconfig {
  const clusters = new Map<string, Entry>();
  const users = new Map<string, Entry>();
  const contexts = new Map<string, Entry>();
  let currentContext: string | undefined;
  for (const path of paths) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(path, "utf8")) ?? {};
    } catch (e) {
      throw new Error(`cannot read kubeconfig ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const parsed = FileSchema.safeParse(doc);
    if (!parsed.success) throw new Error(`kubeconfig ${path} is not a kubeconfig: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`);
    const dir = dirname(resolve(path));
    for (const c of parsed.data.clusters ?? []) if (!clusters.has(c.name)) clusters.set(c.name, resolveCluster(c, dir));
    for (const u of parsed.data.users ?? []) if (!users.has(u.name)) users.set(u.name, withTokenFileProvider(resolveUser(u, dir)));
    for (const c of parsed.data.contexts ?? []) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ||= parsed.data["current-context"] ?? undefined;
  }
  return { clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], ...(currentContext ? { currentContext } : {}) };
}

/** The merged document as one kubeconfig (JSON is YAML) for KubeConfig.loadFromString. */
export function renderMerged(m: MergedKubeconfig): string {
  return JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: m.clusters, users: m.users, contexts: m.contexts, "current-context": m.currentContext ?? "" });
}
