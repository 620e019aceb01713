/**
 * Which clusters to watch, found as kubectl finds them: an explicit kubeconfig list (`--kubeconfig`),
 * else every file of `KUBECONFIG` merged (missing ones skipped), else ~/.kube/config, else the in-cluster
 * service account. One cluster per named context (all validated), or the current context.
 *
 * Each target's transport can reload its credentials from the same sources (files re-read, exec plugins
 * re-run) when the API server answers 401.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { inClusterAvailable, loadInCluster, IN_CLUSTER_CONTEXT } from "./in-cluster";
import { createKubeTransport, type KubeTransport } from "./kube-transport";
import { mergeKubeconfigFiles, renderMerged } from "./kubeconfig-merge";
import { tokenFileAuthenticator } from "./token-file-auth";

export { IN_CLUSTER_CONTEXT };

export interface ClusterTarget {
  /** The name the cluster is recorded under: the context name. */
  readonly name: string;
  readonly transport: KubeTransport;
  /** The context's default namespace, if it has one. */
  readonly namespace?: string;
}

export type FindResult =
  | { readonly ok: true; readonly targets: readonly ClusterTarget[]; readonly source: string }
  | { readonly ok: false; readonly reason: string };

export interface FindOptions {
  /** Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Filesystem prefix of the service-account directory (tests); default the real root. */
  readonly serviceAccountRoot?: string;
  /** Home directory holding .kube/config (default: $HOME, else the OS's). */
  readonly home?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function splitList(list: string): string[] {
  return list.split(delimiter).filter((p) => p !== "");
}

function defaultConfigPath(env: Env, home?: string): string {
  return join(home ?? env.HOME ?? homedir(), ".kube", "config");
}

/**
 * Is any Kubernetes configuration present at all? (Absence means: offer the simulated cluster.) A set
 * KUBECONFIG counts even when its files are missing: the user pointed at a cluster, so the error is shown
 * (findClusters says which files are missing) rather than replaced by simulated data.
 */
export function kubeconfigPresent(env: Env, options: Omit<FindOptions, "env"> = {}): boolean {
  if (env.KUBECONFIG && splitList(env.KUBECONFIG).length > 0) return true;
  return existsSync(defaultConfigPath(env, options.home)) || inClusterAvailable({ env, root: options.serviceAccountRoot });
}

/** Where the configuration comes from, and how to (re)build a KubeConfig from it. */
type Source = { readonly label: string; readonly load: () => KubeConfig };

function fromFiles(paths: readonly string[]): Source {
  return {
    label: paths.join(delimiter),
    load: () => {
      const kc = new KubeConfig();
      kc.addAuthenticator(tokenFileAuthenticator);
      kc.loadFromString(renderMerged(mergeKubeconfigFiles(paths)));
      return kc;
    },
  };
}

function chooseSource(kubeconfigPathList: string | undefined, o: FindOptions): Source | { readonly error: string } {
  const env = o.env ?? process.env;
  if (kubeconfigPathList) {
    const paths = splitList(kubeconfigPathList);
    const missing = paths.filter((p) => !existsSync(p));
    if (paths.length === 0) return { error: "empty kubeconfig path" };
    // A list (KUBECONFIG's form) skips missing files as kubectl does; a single named file must exist.
    if (missing.length === paths.length) return { error: `kubeconfig not found: ${missing.join(", ")}` };
    return fromFiles(paths.filter((p) => existsSync(p)));
  }
  const inCluster = inClusterAvailable({ env, root: o.serviceAccountRoot });
  if (env.KUBECONFIG) {
    const paths = splitList(env.KUBECONFIG).filter((p) => existsSync(p));
    if (paths.length) return fromFiles(paths);
    if (!inCluster) return { error: `none of the files in KUBECONFIG exists (${env.KUBECONFIG})` };
  } else {
    const path = defaultConfigPath(env, o.home);
    if (existsSync(path)) return fromFiles([path]);
  }
  if (inCluster) return { label: "in-cluster service account", load: () => loadInCluster({ env, root: o.serviceAccountRoot }) };
  return { error: "no kubeconfig: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config" };
}

/** What is wrong with context `name` in `kc`, if anything. */
function contextProblem(kc: KubeConfig, name: string): string | undefined {
  const ctx = kc.getContextObject(name);
  if (!ctx) return `context "${name}" is not in the kubeconfig (known: ${kc.getContexts().map((c) => c.name).join(", ") || "none"})`;
  if (!kc.getCluster(ctx.cluster)) return `context "${name}" names cluster "${ctx.cluster}", which is not in the kubeconfig`;
  if (ctx.user && !kc.getUser(ctx.user)) return `context "${name}" names user "${ctx.user}", which is not in the kubeconfig`;
  return undefined;
}

/**
 * `contexts` empty: the current context. `kubeconfigPathList`: one path or several separated by the
 * platform's delimiter (":"), merged; every one must exist (unlike KUBECONFIG, where missing files are skipped).
 */
export function findClusters(contexts: readonly string[], kubeconfigPathList?: string, options: FindOptions = {}): FindResult {
  const source = chooseSource(kubeconfigPathList, options);
  if ("error" in source) return { ok: false, reason: source.error };
  let base: KubeConfig;
  try {
    base = source.load();
  } catch (e) {
    return { ok: false, reason: `cannot read kubeconfig: ${e instanceof Error ? e.message : String(e)}` };
  }
  const current = base.getCurrentContext();
  const wanted = contexts.length ? [...new Set(contexts)] : current ? [current] : [];
  if (wanted.length === 0) return { ok: false, reason: `the kubeconfig (${source.label}) has no current-context: name one with --context` };
  const problems = wanted.map((name) => contextProblem(base, name)).filter((p): p is string => p !== undefined);
  if (problems.length) return { ok: false, reason: problems.join("; ") };

  const targets: ClusterTarget[] = [];
  for (const name of wanted) {
    const load = () => {
      const kc = source.load();
      kc.setCurrentContext(name);
      return kc;
    };
    try {
      const kc = load();
      const namespace = kc.getContextObject(name)?.namespace;
      targets.push({ name, transport: createKubeTransport(kc, { reload: load }), ...(namespace ? { namespace } : {}) });
    } catch (e) {
      return { ok: false, reason: `context "${name}": ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { ok: true, targets, source: source.label };
}

/** Can we list pods (in `namespace`, else cluster-wide)? Answers within the timeout; the reason says what failed. */
export async function probeCluster(t: ClusterTarget, timeoutMs = 3000, namespace?: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : "/api/v1/pods";
  try {
    await t.transport.list(path, { limit: "1" }, AbortSignal.timeout(timeoutMs));
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `${t.name} (${t.transport.server}): ${e instanceof Error ? e.message : String(e)}` };
  }
}
