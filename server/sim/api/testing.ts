/**
 * Test support for the API server: a store and server on an ephemeral port with a fast virtual clock, a
 * written kubeconfig, and a promise-based wrapper around @kubernetes/client-node's Watch.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { createScaledClock, type SimClock } from "../core/clock";
import { createRng } from "../core/rng";
import { namespaceObject } from "../k8s/builders";
import type { KubeObject } from "../k8s/types";
import { ApiServer, type ApiServerOptions } from "./api-server";
import { writeKubeconfig } from "./kubeconfig";
import { ObjectStore } from "./store";

export const TEST_START_MS = Date.UTC(2026, 10, 22, 6, 0, 0);

export interface TestApi {
  readonly store: ObjectStore;
  readonly server: ApiServer;
  readonly clock: SimClock;
  readonly kc: KubeConfig;
  readonly kubeconfigPath: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startTestApi(
  options: Partial<Pick<ApiServerOptions, "bookmarkIntervalMs" | "anonymousReads" | "simRoutes" | "auth" | "tls" | "tokenUser">> & { speed?: number; historyLimit?: number } = {},
): Promise<TestApi> {
  const clock = createScaledClock({ startMs: TEST_START_MS, speed: options.speed ?? 100 });
  const rng = createRng(7);
  const store = new ObjectStore({ clock, rng: rng.fork("store"), historyLimit: options.historyLimit, freeze: true });
  store.create("namespaces", namespaceObject("demo"));
  const token = "test-token-123";
  const server = new ApiServer({
    store,
    clock,
    rng,
    token,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    anonymousReads: options.anonymousReads,
    simRoutes: options.simRoutes,
    auth: options.auth,
    tls: options.tls,
    tokenUser: options.tokenUser,
  });
  await server.listen();
  const dir = await mkdtemp(join(tmpdir(), "sim-api-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  await writeKubeconfig(kubeconfigPath, { server: server.url, token, namespace: "demo", certificateAuthority: options.tls?.ca });
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    store,
    server,
    clock,
    kc,
    kubeconfigPath,
    token,
    async close() {
      await server.close();
      clock.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedEvent {
  readonly type: string;
  readonly object: KubeObject & Record<string, unknown>;
}

/** A watch opened through client-node's Watch; collects events and reports how it ended. */
export interface OpenWatch {
  readonly events: ReceivedEvent[];
  /** Resolves with the error (or null) passed to client-node's done callback. */
  readonly done: Promise<unknown>;
  /** Resolves once at least `n` events arrived (rejects after `timeoutMs` wall ms). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  abort(): void;
}

export async function openWatch(kc: KubeConfig, path: string, query: Record<string, string | number | boolean | undefined>): Promise<OpenWatch> {
  const events: ReceivedEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let finish: (err: unknown) => void = () => {};
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object: KubeObject & Record<string, unknown>) => {
      events.push({ type, object });
      for (const w of [...waiters]) {
        if (events.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    (err) => finish(err ?? null),
  );
  return {
    events,
    done,
    waitFor(n, timeoutMs = 5000) {
      if (events.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} events (got ${events.length})`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    abort: () => controller.abort(),
  };
}

/** Resolve after `ms` wall milliseconds (only for letting sockets settle; never for simulated time). */
export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
