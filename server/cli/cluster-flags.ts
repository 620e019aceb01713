/**
 * The flags that choose what to watch, spelled as kubectl spells them, shared by `start` and `watch`:
 * `--kubeconfig`, `--context` (repeatable: each context is its own cluster), `-n/--namespace`
 * (repeatable) and `-A/--all-namespaces`. They become the runtime's environment variables, so flags
 * win over the environment, which wins over the defaults in server/config.ts.
 */
import { homedir } from "node:os";
import { resolve } from "node:path";
import { boolFlag, listFlag, stringFlag, type FlagSpec, type ParsedArgs } from "./args";

export const CLUSTER_FLAGS = {
  kubeconfig: { type: "string" },
  context: { type: "string", repeat: true },
  namespace: { type: "string", repeat: true, alias: "n" },
  "all-namespaces": { type: "boolean", alias: "A" },
} as const satisfies Readonly<Record<string, FlagSpec>>;

export const CLUSTER_FLAGS_HELP = `  --kubeconfig PATH       kubeconfig file(s) to read, as kubectl (default: KUBECONFIG, else ~/.kube/config,
                          else the in-cluster service account)
  --context NAME          kube context to watch, each recorded as its own cluster (repeatable;
                          default: DRAINSCOPE_CONTEXTS, else the current context)
  -n, --namespace NS      namespace to watch (repeatable; default: DRAINSCOPE_NAMESPACES, else all)
  -A, --all-namespaces    watch every namespace (overrides -n and DRAINSCOPE_NAMESPACES)`;

/**
 * Absolute paths: `drainscope start` runs the server in the project folder, not where it was called,
 * so a relative kubeconfig (or `~/…` that the shell left alone, as in `--kubeconfig=~/x`) must be fixed here.
 */
function absolutePaths(list: string): string {
  return list
    .split(":")
    .map((p) => (p === "" ? p : resolve(p.startsWith("~/") ? `${homedir()}${p.slice(1)}` : p)))
    .join(":");
}

/** The environment the runtime should see: `env` with the flags that were given written over it. */
export function clusterEnv(args: ParsedArgs, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  const kubeconfig = stringFlag(args, "kubeconfig");
  if (kubeconfig !== undefined) out.KUBECONFIG = kubeconfig;
  if (out.KUBECONFIG) out.KUBECONFIG = absolutePaths(out.KUBECONFIG);
  const contexts = listFlag(args, "context");
  if (contexts.length) out.DRAINSCOPE_CONTEXTS = contexts.join(",");
  const namespaces = listFlag(args, "namespace");
  // kubectl lets -A win over -n; an empty list means every namespace.
  if (boolFlag(args, "all-namespaces")) out.DRAINSCOPE_NAMESPACES = "";
  else if (namespaces.length) out.DRAINSCOPE_NAMESPACES = namespaces.join(",");
  return out;
}
