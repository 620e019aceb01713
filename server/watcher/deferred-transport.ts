/**
 * A transport for a cluster whose kubeconfig entry cannot be used yet (unreadable file, unknown
 * context, context without a cluster). Every request resolves it again and fails with the reason
 * until it works, so such a cluster goes through the same path as one whose API server refuses us:
 * the list-watch loop retries with backoff, shows the error per resource, and records the time as a
 * gap. Nothing is simulated in its place.
 */
import type { FindResult } from "./kubeconfig";
import { KubeconfigError } from "./diagnose";
import type { KubeTransport } from "./kube-transport";

export function deferredTransport(resolve: () => FindResult): KubeTransport {
  let resolved: KubeTransport | undefined;
  const get = (): KubeTransport => {
    if (resolved) return resolved;
    const found = resolve();
    if (!found.ok) throw new KubeconfigError(found.reason);
    const first = found.targets[0];
    if (!first) throw new KubeconfigError("the kubeconfig names no context");
    resolved = first.transport;
    return resolved;
  };
  return {
    get server() {
      return resolved?.server ?? "";
    },
    list: async (path, params, signal) => get().list(path, params, signal),
    watch: async (path, params, handlers, signal) => get().watch(path, params, handlers, signal),
    send: async (method, path, body, signal) => {
      const t = get();
      if (!t.send) throw new KubeconfigError("this cluster connection cannot write a Lease");
      return t.send(method, path, body, signal);
    },
  };
}
