/**
 * Record a scenario the way the real watcher sees a cluster: list + watch every kind through
 * @kubernetes/client-node (KubeConfig from the written kubeconfig, its Watch over HTTP), plus the
 * simulator's LoadBalancerMember records, into the line format of
 * shared/fixtures/real-v1.24-clean-rollout/recording.jsonl: one `{"type","object","observedAt"}` per line,
 * `observedAt` on the simulator's virtual clock (ISO, ms). Member lines keep the records' own shape and
 * time. Lines are ordered by observedAt (stable, so arrival order breaks ties).
 */
import { writeFile } from "node:fs/promises";
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { isoMillis } from "../core/time-format";
import { findScenario } from "../scenarios";
import { startSimulatedCluster, UnknownScenarioError, type SimulatedCluster } from "../simulated-cluster";
import type { Scenario } from "../scenarios/types";

export interface RecordedLine {
  readonly type: string;
  readonly object: Record<string, unknown>;
  readonly observedAt: string;
}

export interface RecordOptions {
  readonly scenario: string;
  /** Virtual ms per wall ms (default 20). */
  readonly speed?: number;
  readonly seed?: number;
  /** Virtual start time (default 2026-11-22T06:00:00Z, so recordings do not depend on the date). */
  readonly startMs?: number;
  /** Also write the recording here. */
  readonly outFile?: string;
  /** Wall ms without a new line before the recording is closed after the script ends (default 150). */
  readonly quietMs?: number;
  readonly log?: (line: string) => void;
}

export interface Recording {
  readonly scenario: Scenario;
  readonly lines: readonly RecordedLine[];
  /** The lines as JSON Lines text (trailing newline). */
  readonly jsonl: string;
  readonly path?: string;
  /** Virtual time span of the run. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

export const DEFAULT_RECORD_START_MS = Date.UTC(2026, 10, 22, 6, 0, 0);

export class RecordingError extends Error {
  override name = "RecordingError";
}

interface Stream {
  readonly path: string;
  list(): Promise<{ rv: string; items: readonly Record<string, unknown>[]; kind: string; apiVersion: string }>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function streams(kc: KubeConfig, ns: string): Stream[] {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const disc = kc.makeApiClient(DiscoveryV1Api);
  const wrap = (path: string, kind: string, apiVersion: string, list: () => Promise<{ metadata?: { resourceVersion?: string }; items: unknown[] }>): Stream => ({
    path,
    list: async () => {
      const l = await list();
      return { rv: l.metadata?.resourceVersion ?? "", items: l.items.filter(isRecord), kind, apiVersion };
    },
  });
  return [
    wrap(`/apis/apps/v1/namespaces/${ns}/deployments`, "Deployment", "apps/v1", () => apps.listNamespacedDeployment({ namespace: ns })),
    wrap(`/api/v1/namespaces/${ns}/services`, "Service", "v1", () => core.listNamespacedService({ namespace: ns })),
    wrap(`/apis/apps/v1/namespaces/${ns}/replicasets`, "ReplicaSet", "apps/v1", () => apps.listNamespacedReplicaSet({ namespace: ns })),
    wrap(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, "EndpointSlice", "discovery.k8s.io/v1", () => disc.listNamespacedEndpointSlice({ namespace: ns })),
    wrap(`/api/v1/namespaces/${ns}/events`, "Event", "v1", () => core.listNamespacedEvent({ namespace: ns })),
    wrap(`/api/v1/namespaces/${ns}/pods`, "Pod", "v1", () => core.listNamespacedPod({ namespace: ns })),
  ];
}

/** Watch one path from `rv`, re-watching from the last version after a clean end, until stopped. */
function follow(kc: KubeConfig, path: string, rv: string, onEvent: (type: string, obj: Record<string, unknown>, raw: unknown) => void, onFail: (e: unknown) => void): () => void {
  let last = rv;
  let stopped = false;
  let controller: AbortController | undefined;
  const start = (): void => {
    new Watch(kc)
      .watch(
        path,
        last ? { resourceVersion: last } : {},
        (type, obj: unknown, raw: unknown) => {
          if (!isRecord(obj)) return;
          const meta = obj.metadata;
          if (isRecord(meta) && typeof meta.resourceVersion === "string") last = meta.resourceVersion;
          if (type === "ERROR") onFail(new RecordingError(`watch ${path} failed: ${JSON.stringify(obj)}`));
          else onEvent(type, obj, raw);
        },
        (err: unknown) => {
          if (stopped) return;
          if (err) onFail(err);
          else start();
        },
      )
      .then((c) => (controller = c), onFail);
  };
  start();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** Run `scenario` on a fresh simulated cluster and record everything a watcher would receive. */
export async function recordScenario(o: RecordOptions): Promise<Recording> {
  const scenario = findScenario(o.scenario);
  if (!scenario) throw new UnknownScenarioError(o.scenario);
  const sim: SimulatedCluster = await startSimulatedCluster({
    scenario: scenario.name,
    speed: o.speed ?? 20,
    seed: o.seed,
    startMs: o.startMs ?? DEFAULT_RECORD_START_MS,
    log: o.log,
    paused: true,
  });
  const lines: RecordedLine[] = [];
  const stops: (() => void)[] = [];
  let lastArrival = Date.now();
  let failure: unknown;
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    const startedAtMs = sim.now();
    for (const s of streams(kc, scenario.namespace)) {
      const l = await s.list();
      for (const item of l.items) lines.push({ type: "ADDED", object: { kind: l.kind, apiVersion: l.apiVersion, ...item }, observedAt: isoMillis(sim.now()) });
      stops.push(
        follow(kc, s.path, l.rv, (type, object) => {
          lastArrival = Date.now();
          lines.push({ type, object, observedAt: isoMillis(sim.now()) });
        }, (e) => (failure ??= e)),
      );
    }
    stops.push(
      follow(kc, "/__sim/lb-members", "", (type, object, raw) => {
        lastArrival = Date.now();
        const observedAt = isRecord(raw) && typeof raw.observedAt === "string" ? raw.observedAt : isoMillis(sim.now());
        lines.push({ type, object, observedAt });
      }, (e) => (failure ??= e)),
    );
    sim.resume();
    await sim.runScenario(scenario.name);
    // Stop virtual time so nothing after the script leaks into the recording, then drain the streams.
    sim.clock.pause();
    const quiet = o.quietMs ?? 150;
    while (Date.now() - lastArrival < quiet) await new Promise((r) => setTimeout(r, quiet / 2));
    if (failure) throw failure;
    const endedAtMs = sim.now();
    const ordered = lines.map((line, i) => ({ line, i, t: Date.parse(line.observedAt) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.line);
    const jsonl = ordered.map((l) => (l.object.kind === "LoadBalancerMember" ? JSON.stringify({ type: l.type, observedAt: l.observedAt, object: l.object }) : JSON.stringify(l))).join("\n") + "\n";
    if (o.outFile) await writeFile(o.outFile, jsonl);
    return { scenario, lines: ordered, jsonl, ...(o.outFile ? { path: o.outFile } : {}), startedAtMs, endedAtMs };
  } finally {
    for (const s of stops) s();
    await sim.stop();
  }
}
