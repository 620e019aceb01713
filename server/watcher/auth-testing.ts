/**
 * Test support for the watcher's authentication tests: temp dirs, pods in the simulator's store, a bounded
 * wait, a cluster watcher on real timers with short backoff, and the simulator's audit log in a form that
 * is easy to compare.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LifecycleEvent } from "../../lib/model/events";
import { createRng } from "../sim/core/rng";
import { deploymentObject, podFromReplicaSet } from "../sim/k8s/builders";
import type { ReplicaSet } from "../sim/k8s/types";
import type { AuditEntry } from "../sim/api/auth";
import { writeKubeconfig, type KubeconfigOptions } from "../sim/api/kubeconfig";
import type { TestApi } from "../sim/api/testing";
import { startClusterWatcher, type ClusterWatcher } from "./cluster-watcher";
import type { KubeTransport } from "./kube-transport";
import { findClusters, type ClusterTarget } from "./kubeconfig";
import { WATCHED_RESOURCES, type WatchedResource } from "./resources";

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "ds-auth-"));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

const rs: ReplicaSet = {
  kind: "ReplicaSet",
  apiVersion: "apps/v1",
  metadata: { name: "web-abc", namespace: "demo", uid: "rs-uid", resourceVersion: "", creationTimestamp: "" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: deploymentObject({ name: "web", namespace: "demo", replicas: 1, graceSeconds: 30, onSigterm: { kind: "drain", seconds: 1 }, readyAfterSeconds: 1 }).spec.template,
  },
  status: { replicas: 0 },
};
const rng = createRng(11);

export function addPod(api: TestApi, name: string): void {
  const pod = podFromReplicaSet(rs, rng);
  pod.metadata.name = name;
  api.store.create("pods", pod);
}

/** Poll `cond` every 10 ms; throws after `timeoutMs` wall ms with `what`. */
export async function until(what: string, cond: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function resources(...names: WatchedResource["name"][]): WatchedResource[] {
  return WATCHED_RESOURCES.filter((r) => names.includes(r.name));
}

export interface RunningWatcher {
  readonly watcher: ClusterWatcher;
  readonly events: LifecycleEvent[];
  /** Names of pods the watcher has reported. */
  podNames(): Set<string>;
}

export function watch(transport: KubeTransport, names: WatchedResource["name"][]): RunningWatcher {
  const events: LifecycleEvent[] = [];
  const watcher = startClusterWatcher({
    cluster: "auth-test",
    transport,
    resources: resources(...names),
    sink: (e) => events.push(...e),
    effects: {
      now: () => Date.now(),
      random: () => 0.5,
      sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
        }),
    },
    tuning: { backoffInitialMs: 20, backoffMaxMs: 80 },
  });
  return { watcher, events, podNames: () => new Set(events.filter((e) => e.namespace === "demo" && "pod" in e).map((e) => String((e as { pod?: unknown }).pod))) };
}

/** The audit log as `[method path-without-query, Authorization, code]`, for requests under `prefix`. */
export function requests(log: readonly AuditEntry[], prefix = "/api"): [string, string | undefined, number][] {
  return log.filter((e) => e.path.startsWith(prefix)).map((e) => [`${e.method} ${e.path.split("?")[0] ?? ""}${/[?&]watch=(true|1)/.test(e.path) ? " (watch)" : ""}`, e.authorization, e.code]);
}

/** The cluster target a kubeconfig written for `server` (namespace demo) resolves to, as the runtime finds it. */
export async function targetFor(server: string, o: Omit<KubeconfigOptions, "server">): Promise<ClusterTarget> {
  const path = join(tempDir(), "kubeconfig");
  await writeKubeconfig(path, { server, namespace: "demo", ...o });
  const found = findClusters([], path);
  if (!found.ok) throw new Error(found.reason);
  const [t] = found.targets;
  if (!t) throw new Error("no target");
  return t;
}

export const listPods = (t: ClusterTarget, path = "/api/v1/namespaces/demo/pods") => t.transport.list(path, {}, AbortSignal.timeout(5000));
