// A configured cluster that fails is never replaced by the simulated one: the runtime watches it anyway,
// /api/health carries the diagnosed error per resource, /api/timeline the open gap, the log says how to
// fix it, and the store holds no simulated cluster. Only with no configuration at all does it simulate.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { WatcherGap } from "../../lib/model/events";
import { loadConfig } from "../config";
import { getHealth, getTimelineHandler } from "../http/handlers";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime, type SimulationStarter } from "../runtime/runtime";
import { startSimulatedCluster } from "../sim";
import { closedPort, startRefusingApi, type RefusingApi } from "./refusing-api";
import { waitFor } from "./harness";

const FAST = { backoffInitialMs: 20, backoffMaxMs: 200 };

interface Started {
  readonly rt: Runtime;
  readonly logs: string[];
  readonly simulationsStarted: () => number;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  installRuntime(undefined);
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function start(env: Record<string, string>, starter?: SimulationStarter): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), "ds-never-pretend-"));
  const logs: string[] = [];
  let simulations = 0;
  const counting: SimulationStarter = async (...args) => {
    simulations++;
    if (!starter) throw new Error("the simulated cluster must not start here");
    return starter(...args);
  };
  const rt = await startRuntime(loadConfig({ ...env, DRAINSCOPE_DATA_DIR: dataDir }), { env, log: (l) => logs.push(l), effects: systemEffects, startSimulation: counting, tuning: FAST });
  cleanup.push(() => rt.stop());
  installRuntime(Promise.resolve(rt));
  return { rt, logs, simulationsStarted: () => simulations };
}

function kubeconfigFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "ds-kc-")), "config");
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

async function refusing(): Promise<RefusingApi> {
  const api = await startRefusingApi();
  cleanup.push(() => api.close());
  return api;
}

interface HealthBody {
  status: string;
  mode: string;
  clusters: { name: string; server: string; resources: { resource: string; connected: boolean; openGapSince: string | null; failure: { kind: string; status?: number; verb: string; message: string; summary: string; hint: string; check?: string } | null }[] }[];
}

async function health(): Promise<HealthBody> {
  return (await (await getHealth(new Request("http://127.0.0.1/api/health"))).json()) as HealthBody;
}

async function timelineGaps(cluster: string): Promise<{ resource: string; start: number; end?: number; reason: string }[]> {
  const r = await getTimelineHandler(new Request(`http://127.0.0.1/api/timeline?cluster=${cluster}`));
  expect(r.status).toBe(200);
  return ((await r.json()) as { gaps: { resource: string; start: number; end?: number; reason: string }[] }).gaps;
}

const ALL = ["pods", "endpointslices", "events", "services", "replicasets", "deployments"];
const failing = (rt: Runtime, n: number) => () => rt.clusters().flatMap((c) => c.resources.filter((r) => r.failure && r.openGap)).length >= n;

describe("a kubeconfig whose API server answers 403", () => {
  it("runs in cluster mode with the real error per resource, open gaps, the kubectl line, and no simulated data", async () => {
    const api = await refusing();
    for (const r of ALL) api.forbidden.add(r);
    const path = kubeconfigFile(api.kubeconfig("prod"));
    const { rt, logs, simulationsStarted } = await start({ KUBECONFIG: path });
    await waitFor(failing(rt, ALL.length), 10_000, "every resource to fail");

    expect(rt.mode).toBe("cluster");
    expect(rt.simulation).toBeUndefined();
    expect(simulationsStarted()).toBe(0);

    const h = await health();
    expect(h.mode).toBe("cluster");
    expect(h.status).toBe("degraded");
    expect(h.clusters.map((c) => [c.name, c.server])).toEqual([["prod", api.url]]);
    const slices = h.clusters[0]?.resources.find((r) => r.resource === "endpointslices");
    expect(slices).toMatchObject({
      connected: false,
      openGapSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      failure: {
        kind: "forbidden",
        status: 403,
        verb: "list",
        message: `403: endpointslices.discovery.k8s.io is forbidden: User "${api.user}" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope`,
        summary: `forbidden (403): user ${api.user} may not list endpointslices.discovery.k8s.io in all namespaces`,
        check: `kubectl auth can-i list endpointslices.discovery.k8s.io --all-namespaces --as=${api.user} --kubeconfig ${path} --context prod`,
      },
    });
    expect(h.clusters[0]?.resources.map((r) => [r.resource, r.failure?.kind])).toEqual(ALL.map((r) => [r, "forbidden"]));

    // The open gaps: one per resource, still open (no end), with the real reason.
    const gaps = await timelineGaps("prod");
    expect(gaps.map((g) => g.resource).sort()).toEqual([...ALL].sort());
    expect(gaps.every((g) => g.end === undefined && g.reason.startsWith("403: "))).toBe(true);

    // The terminal says what is missing and how to check it; nothing was recorded, least of all simulated.
    const log = logs.join("\n");
    expect(log).toContain("drainscope: watching prod");
    expect(log).toContain(`cluster prod: forbidden (403): user ${api.user} may not list pods in all namespaces`);
    expect(log).toContain(`check:     kubectl auth can-i list endpointslices.discovery.k8s.io --all-namespaces --as=${api.user}`);
    expect(log).not.toMatch(/SIMULATED/i);
    expect(await rt.store.clusters()).toEqual([]);
  });

  it("records the gap, closed, once the missing permission is granted", async () => {
    const api = await refusing();
    api.forbidden.add("endpointslices");
    const { rt, logs } = await start({ KUBECONFIG: kubeconfigFile(api.kubeconfig("prod")) });
    await waitFor(() => rt.clusters()[0]?.resources.every((r) => (r.resource === "endpointslices" ? r.failure !== undefined : r.connected)) === true, 10_000, "endpointslices alone to fail");
    const open = rt.openGaps();
    expect(open.map((g) => [g.cluster, g.resource, g.to])).toEqual([["prod", "endpointslices", undefined]]);
    const opened = open[0]?.from ?? 0;
    expect((await timelineGaps("prod")).map((g) => g.resource)).toEqual(["endpointslices"]);

    api.forbidden.delete("endpointslices");
    await waitFor(() => rt.clusters()[0]?.resources.every((r) => r.connected) === true, 10_000, "endpointslices to recover");
    expect(rt.openGaps()).toEqual([]);
    expect((await health()).clusters[0]?.resources.every((r) => r.failure === null && r.openGapSince === null)).toBe(true);
    // The batcher writes it shortly after: poll the store (bounded).
    let stored: WatcherGap[] = [];
    for (let i = 0; i < 100 && stored.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      stored = (await rt.store.query({ cluster: "prod" })).filter((e): e is WatcherGap => e.type === "watcher-gap");
    }
    expect(stored.map((g) => [g.resource, g.from])).toEqual([["endpointslices", opened]]);
    expect(stored[0]?.to).toBeGreaterThan(opened);
    expect(stored[0]?.reason).toContain("403: endpointslices.discovery.k8s.io is forbidden");
    expect(logs.join("\n")).toContain('cluster prod: recovered from "forbidden (403)');
  });
});

describe("other failing kubeconfigs", () => {
  it("an unreachable API server: cluster mode, the server and cause, open gaps, no simulated cluster", async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const api = await refusing();
    const path = kubeconfigFile(api.kubeconfig("gone").replace(api.url, server));
    const { rt, logs, simulationsStarted } = await start({ KUBECONFIG: path });
    // A refused connection may be a blip: it is reported from the second attempt in a row on.
    await waitFor(() => rt.clusters()[0]?.resources.every((r) => (r.failure?.attempts ?? 0) >= 3) === true, 10_000, "every resource to fail three times");
    expect(rt.mode).toBe("cluster");
    expect(simulationsStarted()).toBe(0);
    const h = await health();
    expect(h.clusters[0]?.resources.map((r) => r.failure?.kind)).toEqual(ALL.map(() => "unreachable"));
    expect(h.clusters[0]?.resources[0]?.failure).toMatchObject({ summary: `API server ${server} unreachable (ECONNREFUSED)`, check: `kubectl cluster-info --kubeconfig ${path} --context gone` });
    expect((await timelineGaps("gone")).length).toBe(ALL.length);
    expect(logs.filter((l) => l.includes(`cluster gone: API server ${server} unreachable (ECONNREFUSED)`))).toHaveLength(1);
    expect(await rt.store.clusters()).toEqual([]);
  });

  it("401: credentials rejected", async () => {
    const api = await refusing();
    api.unauthorized = true;
    const { rt, logs } = await start({ KUBECONFIG: kubeconfigFile(api.kubeconfig("prod")) });
    await waitFor(failing(rt, ALL.length), 10_000, "every resource to fail");
    expect(rt.mode).toBe("cluster");
    expect((await health()).clusters[0]?.resources[0]?.failure).toMatchObject({ kind: "unauthorized", status: 401, summary: `credentials rejected (401) by ${api.url}` });
    expect(logs.filter((l) => l.includes("credentials rejected (401)"))).toHaveLength(1);
  });

  it("an unknown context: cluster mode under that name, the kubeconfig error per resource", async () => {
    const api = await refusing();
    const { rt, simulationsStarted } = await start({ KUBECONFIG: kubeconfigFile(api.kubeconfig("prod")), DRAINSCOPE_CONTEXTS: "staging" });
    await waitFor(failing(rt, ALL.length), 10_000, "every resource to fail");
    expect(rt.mode).toBe("cluster");
    expect(simulationsStarted()).toBe(0);
    const h = await health();
    expect(h.clusters.map((c) => c.name)).toEqual(["staging"]);
    expect(h.clusters[0]?.resources[0]?.failure).toMatchObject({ kind: "config" });
    expect(h.clusters[0]?.resources[0]?.failure?.message).toContain('"staging"');
    expect((await timelineGaps("staging")).length).toBe(ALL.length);
  });
});

describe("no kubeconfig and no in-cluster environment at all", () => {
  it("watches the simulated cluster, as before", async () => {
    // os.homedir() follows HOME: point it at an empty folder so ~/.kube/config cannot exist.
    const home = process.env.HOME;
    process.env.HOME = mkdtempSync(join(tmpdir(), "ds-home-"));
    cleanup.push(async () => {
      process.env.HOME = home;
    });
    const starter: SimulationStarter = async () => {
      const sim = await startSimulatedCluster({ speed: 1, startMs: Date.now() - 3600_000 });
      return { scenario: "none", kubeconfigPath: sim.kubeconfigPath, apiUrl: sim.url, envoyAdminUrls: [], now: () => sim.now(), stop: () => sim.stop() };
    };
    const { rt, simulationsStarted } = await start({}, starter);
    expect(rt.mode).toBe("simulated");
    expect(simulationsStarted()).toBe(1);
    expect(rt.notice).toContain("no kubeconfig");
    expect(rt.clusters().map((c) => [c.cluster, c.simulated])).toEqual([["simulated", true]]);
  });
});
