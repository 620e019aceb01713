/**
 * The kubeconfig the simulated cluster writes: one cluster (its http URL, with
 * `insecure-skip-tls-verify: true`, which @kubernetes/client-node needs for http), one token user, one
 * context. Both @kubernetes/client-node's KubeConfig.loadFromFile and kubectl read it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface KubeconfigOptions {
  readonly server: string;
  readonly token: string;
  /** Context and cluster name (default "drainscope-sim"). */
  readonly name?: string;
  /** Default namespace of the context (what `kubectl get pods` shows). */
  readonly namespace?: string;
}

/** Quote a YAML scalar safely (JSON strings are valid YAML). */
function q(value: string): string {
  return JSON.stringify(value);
}

export function renderKubeconfig(o: KubeconfigOptions): string {
  const name = o.name ?? "drainscope-sim";
  const lines = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${q(name)}`,
    "  cluster:",
    `    server: ${q(o.server)}`,
    "    insecure-skip-tls-verify: true",
    "users:",
    `- name: ${q(name)}`,
    "  user:",
    `    token: ${q(o.token)}`,
    "contexts:",
    `- name: ${q(name)}`,
    "  context:",
    `    cluster: ${q(name)}`,
    `    user: ${q(name)}`,
    ...(o.namespace ? [`    namespace: ${q(o.namespace)}`] : []),
    `current-context: ${q(name)}`,
    "preferences: {}",
    "",
  ];
  return lines.join("\n");
}

/** Write the kubeconfig (mode 0600: it holds a token). */
export async function writeKubeconfig(path: string, o: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderKubeconfig(o), { mode: 0o600 });
}
