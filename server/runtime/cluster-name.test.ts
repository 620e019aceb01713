import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isClusterName } from "../../lib/model/names";
import { loadConfig } from "../config";
import { startSimulatedCluster, type SimulatedCluster } from "../sim";
import { clusterNameOf, startRuntime, systemEffects } from "./runtime";

describe("clusterNameOf: kube context names recorded under names the API can reach", () => {
  it.each([
    ["prod", "prod"],
    ["kind-kind", "kind-kind"],
    ["arn:aws:eks:eu-west-1:123456789012:cluster/shop", "arn:aws:eks:eu-west-1:123456789012:cluster-shop"],
    ["gke_my-project_europe-west1_shop", "gke_my-project_europe-west1_shop"],
    ["admin@prod cluster", "admin-prod-cluster"],
    ["///", "kubeconfig"],
  ])("%s → %s", (context, name) => {
    expect(clusterNameOf(context)).toBe(name);
    expect(isClusterName(clusterNameOf(context))).toBe(true);
  });
});

describe("DRAINSCOPE_CLUSTER_NAME", () => {
  const sims: SimulatedCluster[] = [];
  afterAll(async () => {
    for (const s of sims) await s.stop();
  });
  const kubeconfigFor = (sim: SimulatedCluster, contexts: readonly string[]): string => {
    const q = JSON.stringify;
    const text = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: c",
      "  cluster:",
      `    server: ${q(sim.url)}`,
      "users:",
      "- name: u",
      "  user:",
      `    token: ${q(sim.token)}`,
      "contexts:",
      ...contexts.flatMap((ctx) => [`- name: ${q(ctx)}`, "  context:", "    cluster: c", "    user: u"]),
      `current-context: ${q(contexts[0])}`,
      "",
    ].join("\n");
    const path = join(mkdtempSync(join(tmpdir(), "ds-name-")), "config");
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  it("is validated like every cluster name", () => {
    expect(loadConfig({ DRAINSCOPE_CLUSTER_NAME: "prod-eu" }).DRAINSCOPE_CLUSTER_NAME).toBe("prod-eu");
    expect(() => loadConfig({ DRAINSCOPE_CLUSTER_NAME: "../etc" })).toThrow(/DRAINSCOPE_CLUSTER_NAME: not a valid cluster name/);
  });

  it("records the one watched context under that name, and refuses to name several contexts", async () => {
    const sim = await startSimulatedCluster({ speed: 1, startMs: 1_790_000_000_000 });
    sims.push(sim);
    const dataDir = mkdtempSync(join(tmpdir(), "ds-name-data-"));
    const one = { KUBECONFIG: kubeconfigFor(sim, ["arn:aws:eks:eu-west-1:1:cluster/shop"]), DRAINSCOPE_CLUSTER_NAME: "shop-prod", DRAINSCOPE_DATA_DIR: dataDir };
    const rt = await startRuntime(loadConfig(one), { env: one, log: () => {}, effects: systemEffects });
    try {
      expect(rt.mode).toBe("cluster");
      expect(rt.clusters().map((c) => c.cluster)).toEqual(["shop-prod"]);
    } finally {
      await rt.stop();
    }
    const two = { ...one, KUBECONFIG: kubeconfigFor(sim, ["a", "b"]), DRAINSCOPE_CONTEXTS: "a,b" };
    await expect(startRuntime(loadConfig(two), { env: two, log: () => {}, effects: systemEffects })).rejects.toThrow("DRAINSCOPE_CLUSTER_NAME names one cluster, but 2 contexts are watched (a, b)");
  });
});
