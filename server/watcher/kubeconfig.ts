/**
 * Which clusters to watch: the kubeconfig client-node finds (KUBECONFIG, ~/.kube/config, or the
 * in-cluster service account), one cluster per named context (DRAINSCOPE_CONTEXTS) or the current one.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createKubeTransport, type KubeTransport } from "./kube-transport";

export interface ClusterTarget {
  /** The name the cluster is recorded under: the context name. */
  readonly name: string;
  readonly transport: KubeTransport;
}

export type FindResult =
  | { readonly ok: true; readonly targets: readonly ClusterTarget[]; readonly source: string }
  | { readonly ok: false; readonly reason: string };

/** Is any Kubernetes configuration present at all? (Absence means: offer the simulated cluster.) */
export function kubeconfigPresent(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(":").some((p) => p && existsSync(p));
  if (existsSync(join(homedir(), ".kube", "config"))) return true;
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync("/var/run/secrets/kubernetes.io/serviceaccount/token");
}

export function findClusters(contexts: readonly string[], kubeconfigPath?: string): FindResult {
  const base = new KubeConfig();
  try {
    if (kubeconfigPath) base.loadFromFile(kubeconfigPath);
    else base.loadFromDefault();
  } catch (e) {
    return { ok: false, reason: `cannot read kubeconfig: ${e instanceof Error ? e.message : String(e)}` };
  }
  const wanted = contexts.length ? contexts : [base.getCurrentContext()];
  const known = new Set(base.getContexts().map((c) => c.name));
  const targets: ClusterTarget[] = [];
  for (const name of wanted) {
    if (!known.has(name) && !(wanted.length === 1 && name === "inCluster")) {
      return { ok: false, reason: `context "${name}" is not in the kubeconfig (known: ${[...known].join(", ") || "none"})` };
    }
    const kc = new KubeConfig();
    kc.loadFromString(base.exportConfig());
    kc.setCurrentContext(name);
    try {
      targets.push({ name, transport: createKubeTransport(kc) });
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }
  return { ok: true, targets, source: kubeconfigPath ?? process.env.KUBECONFIG ?? "default kubeconfig" };
}

/** Can we list pods? Answers within the timeout; the reason says what failed. */
export async function probeCluster(t: ClusterTarget, timeoutMs = 3000): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await t.transport.list("/api/v1/pods", { limit: "1" }, AbortSignal.timeout(timeoutMs));
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `${t.name} (${t.transport.server}): ${e instanceof Error ? e.message : String(e)}` };
  }
}
