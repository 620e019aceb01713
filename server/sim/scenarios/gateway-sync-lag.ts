/**
 * gateway-sync-lag — seed 000: gateways that learn backends from an in-house discovery service which
 * syncs every 10 s, and pods that exit at once on SIGTERM.
 *
 * Deployment `api`, 3 replicas, maxSurge 1 / maxUnavailable 0, grace 60 s, no preStop; the app exits
 * 0.5 s after SIGTERM when idle. A discovery service snapshots the ready endpoints every 10 s; the
 * gateways route new connections to the last snapshot. The rollout starts 0.5 s after a sync, so all
 * three old pods are deleted (~2.2 s apart) and exit before the next sync removes them.
 *
 * Expected windows, per old pod (3 each):
 * - `sigterm-before-deregistration`: SIGTERM ≈ delete, but the pod stays `active` in the gateways'
 *   member list until the next sync, 2–7 s later;
 * - `dead-but-routed`: the process exits 0.5 s after SIGTERM while the gateways still list it `active`
 *   until that sync (≥ 1.9 s for the last pod) — the connection timeouts of the incident.
 */
import { addDiscovery, addKubeProxy } from "../cluster/planes";
import type { WorkloadSpec } from "../k8s/builders";
import { deployWithService, firstRevisionPrefix, rollingRestart } from "./common";
import type { Scenario } from "./types";

const NS = "gateway-sync-lag";
const api: WorkloadSpec = {
  name: "api",
  namespace: NS,
  replicas: 3,
  graceSeconds: 60,
  onSigterm: { kind: "drain", seconds: 0.5 },
  readyAfterSeconds: 2,
  maxSurge: 1,
  maxUnavailable: 0,
};
const OLD = firstRevisionPrefix(api);

export const gatewaySyncLag: Scenario = {
  name: "gateway-sync-lag",
  title: "Gateways sync backends every 10 s; pods exit at once",
  description: "A rolling update behind gateways fed by a discovery service that syncs every 10 s: killed pods stay in the gateways' lists for seconds after they exit.",
  incident: "000",
  namespace: NS,
  expectedWindows: [
    { rule: "sigterm-before-deregistration", podPrefix: OLD },
    { rule: "dead-but-routed", podPrefix: OLD },
  ],
  expectedCounts: { "sigterm-before-deregistration": 3, "dead-but-routed": 3 },
  rationale:
    "Deletes at sync+2.7 s, +4.9 s, +7.1 s; SIGTERM at once (no preStop); exits 0.5 s later; the discovery members stay active until the sync at +10 s. Each old pod: SIGTERM before leaving every LB active set (+2 s) and an exit while still active.",
  approxSeconds: 45,
  async run(ctx) {
    addKubeProxy(ctx.cluster, { services: [`${NS}/api`] });
    const discovery = addDiscovery(ctx.cluster, { lb: "gateway", namespace: NS, services: ["api"], syncIntervalMs: 10_000, firstSyncMs: 1_000 });
    await deployWithService(ctx, api);
    const seen = discovery.lastSyncMs;
    await ctx.cluster.waitUntil(() => discovery.lastSyncMs !== seen && discovery.lastSyncMs !== undefined, { timeoutMs: 20_000, what: "a discovery sync" });
    await ctx.sleep(500);
    await rollingRestart(ctx, api, " (0.5 s after a discovery sync)");
    const afterRollout = discovery.lastSyncMs;
    await ctx.cluster.waitUntil(() => discovery.lastSyncMs !== afterRollout, { timeoutMs: 20_000, what: "the next discovery sync" });
    await ctx.sleep(1000);
  },
};
