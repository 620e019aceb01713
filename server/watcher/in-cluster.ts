/**
 * The in-cluster service account, as kubectl/client-go detect it: KUBERNETES_SERVICE_HOST and
 * KUBERNETES_SERVICE_PORT set and the token file present. The KubeConfig comes from client-node's own
 * `loadFromCluster` (its names — cluster `inCluster`, user `inClusterUser`, context `inClusterContext` —
 * and its `tokenFile` provider, which re-reads the token every 60 s); only the environment and the
 * filesystem root are injectable here, so tests can point it at a fake service-account directory.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { existsSync } from "node:fs";
import { isIPv6 } from "node:net";
import { join } from "node:path";

/** client-node's name for the in-cluster context (config.js `loadFromCluster`). */
export const IN_CLUSTER_CONTEXT = "inClusterContext";
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface InClusterOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Prefix of SERVICE_ACCOUNT_DIR (default "", the real root). */
  readonly root?: string;
}

export function serviceAccountDir(root = ""): string {
  return root ? join(root, SERVICE_ACCOUNT_DIR) : SERVICE_ACCOUNT_DIR;
}

export function inClusterAvailable(o: InClusterOptions): boolean {
  return Boolean(o.env.KUBERNETES_SERVICE_HOST) && Boolean(o.env.KUBERNETES_SERVICE_PORT) && existsSync(join(serviceAccountDir(o.root), "token"));
}

export function loadInCluster(o: InClusterOptions): KubeConfig {
  const host = o.env.KUBERNETES_SERVICE_HOST ?? "";
  const port = o.env.KUBERNETES_SERVICE_PORT ?? "";
  const kc = new KubeConfig();
  kc.loadFromCluster(o.root ?? "");
  // loadFromCluster reads process.env; rebuild its server URL from the injected environment, same rule.
  const scheme = port === "80" || port === "8080" || port === "8001" ? "http" : "https";
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  kc.loadFromOptions({
    clusters: kc.getClusters().map((c) => ({ ...c, server })),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return kc;
}
