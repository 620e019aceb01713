// `drainscope start`'s flags as the runtime sees them, end to end: `-n shop --context a --context b`
// against two simulated clusters behind one kubeconfig records both clusters' shop namespace, each as
// its own cluster, and nothing else.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config";
import { waitFor } from "../../integration/harness";
import { startRuntime, systemEffects, type Runtime } from "../../runtime/runtime";
import { startSimulatedCluster, type SimulatedCluster } from "../../sim";
import { parseArgs, UsageError } from "../args";
import { CLUSTER_FLAGS } from "../cluster-flags";
import { startSettings } from "./start";

const SPEC = { ...CLUSTER_FLAGS, simulate: { type: "boolean" }, scenario: { type: "string" }, speed: { type: "string" }, host: { type: "string" }, port: { type: "string" }, build: { type: "boolean" } } as const;
const settings = (argv: string[], env: Record<string, string> = {}) => startSettings(parseArgs(argv, SPEC), env);

describe("drainscope start: flags become the runtime's environment", () => {
  it("kubectl's flags, flags over environment", () => {
    const s = settings(["-n", "shop", "--namespace=web", "--context", "a", "--context", "b", "--kubeconfig", "/k/config"], { DRAINSCOPE_NAMESPACES: "other", KUBECONFIG: "/env/config" });
    expect(s.env).toMatchObject({ DRAINSCOPE_NAMESPACES: "shop,web", DRAINSCOPE_CONTEXTS: "a,b", KUBECONFIG: "/k/config", DRAINSCOPE_HOST: "127.0.0.1", PORT: "3000" });
    expect(settings(["-A"], { DRAINSCOPE_NAMESPACES: "other" }).env.DRAINSCOPE_NAMESPACES).toBe("");
    expect(settings(["-A", "-n", "shop"]).env.DRAINSCOPE_NAMESPACES).toBe("");
    expect(settings([], { DRAINSCOPE_CONTEXTS: "x", KUBECONFIG: "/env/config" }).env).toMatchObject({ DRAINSCOPE_CONTEXTS: "x", KUBECONFIG: "/env/config" });
    expect(settings(["--simulate", "clean-rollout"]).env.DRAINSCOPE_SIMULATE).toBe("clean-rollout");
    expect(settings(["--simulate"]).env.DRAINSCOPE_SIMULATE).toBe("demo");
    expect(settings([]).env.DRAINSCOPE_SIMULATE).toBeUndefined();
    expect(() => settings(["shop"])).toThrow(UsageError);
    expect(() => settings(["--port", "99999"])).toThrow("port must be a number");
  });
});

describe("drainscope start -n shop --context a --context b", () => {
  const sims: SimulatedCluster[] = [];
  let rt: Runtime | undefined;
  afterAll(async () => {
    await rt?.stop();
    for (const s of sims) await s.stop();
  });

  it("watches both contexts' shop namespace, each its own cluster, and nothing else", async () => {
    const startMs = Date.now() - 3600_000;
    for (let i = 0; i < 2; i++) sims.push(await startSimulatedCluster({ speed: 20, startMs }));
    // Each simulated cluster runs a `web` in shop and an `api` in other.
    await Promise.all(
      sims.map(async (sim) => {
        for (const [namespace, name] of [["shop", "web"], ["other", "api"]] as const) {
          sim.cluster.createService({ name, namespace });
          sim.cluster.createDeployment({ name, namespace, replicas: 2, graceSeconds: 30, onSigterm: { kind: "drain", seconds: 1 }, readyAfterSeconds: 1 });
        }
        await Promise.all([sim.cluster.waitForRollout("shop", "web"), sim.cluster.waitForRollout("other", "api")]);
      }),
    );
    const q = JSON.stringify;
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      ...sims.flatMap((s, i) => [`- name: c${i}`, "  cluster:", `    server: ${q(s.url)}`, "    insecure-skip-tls-verify: true"]),
      "users:",
      ...sims.flatMap((s, i) => [`- name: u${i}`, "  user:", `    token: ${q(s.token)}`]),
      "contexts:",
      ...["a", "b"].flatMap((ctx, i) => [`- name: ${ctx}`, "  context:", `    cluster: c${i}`, `    user: u${i}`]),
      "current-context: a",
      "",
    ].join("\n");
    const path = join(mkdtempSync(join(tmpdir(), "ds-start-")), "config");
    writeFileSync(path, kubeconfig, { mode: 0o600 });

    const s = settings(["-n", "shop", "--context", "a", "--context", "b", "--kubeconfig", path], { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-start-data-")) });
    const logs: string[] = [];
    rt = await startRuntime(loadConfig(s.env), { env: s.env, log: (l) => logs.push(l), effects: systemEffects, tuning: { backoffInitialMs: 20, backoffMaxMs: 200 } });
    const runtime = rt;
    expect(runtime.mode).toBe("cluster");
    expect(runtime.clusters().map((c) => [c.cluster, c.server])).toEqual([
      ["a", sims[0]?.url],
      ["b", sims[1]?.url],
    ]);
    expect(runtime.clusters().every((c) => c.resources.every((r) => r.namespace === "shop"))).toBe(true);

    const podsOf = async (cluster: string) => {
      const events = await runtime.store.query({ cluster });
      return { namespaces: new Set(events.map((e) => e.namespace)), pods: new Set(events.flatMap((e) => ("pod" in e && typeof e.pod === "string" ? [e.pod] : []))) };
    };
    // Until both clusters' two shop pods are stored (bounded: 10 s).
    for (let i = 0; i < 200; i++) {
      const seen = await Promise.all(["a", "b"].map(podsOf));
      if (seen.every((x) => x.pods.size >= 2)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => runtime.clusters().every((c) => c.resources.every((r) => r.connected)), 10_000, "every watch to connect");
    const stored = await runtime.store.clusters();
    expect(stored.map((c) => [c.name, c.namespaces])).toEqual([
      ["a", ["shop"]],
      ["b", ["shop"]],
    ]);
    for (const name of ["a", "b"]) {
      const { namespaces, pods } = await podsOf(name);
      expect(namespaces).toEqual(new Set(["shop"]));
      expect(pods.size).toBe(2);
      expect([...pods].every((p) => p.startsWith("web-"))).toBe(true);
    }
    expect(logs.join("\n")).toContain("drainscope: watching a, b");
  });
});
