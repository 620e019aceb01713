/**
 * Two replicas on one PostgreSQL watching one (simulated) cluster with leader election on a Lease:
 * replica A (a real child process, `drainscope watch`) leads, replica B (in this process) follows and
 * receives A's live updates through LISTEN/NOTIFY; A is killed with SIGKILL mid-rollout; B takes the
 * Lease over once it expires, records the hand-over as a watcher gap, and nothing A stored is lost.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { startSimulatedCluster, type SimulatedCluster } from "../sim";
import { pgUnavailableReason, startPgTestServer, type PgTestServer } from "../store/pg-test-server";
import { loadConfig } from "../config";
import { gapObservation } from "../watcher/cluster-watcher";
import { startLiveRelay } from "./live-relay";
import { startRuntime, systemEffects, type Runtime } from "./runtime";

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`SKIPPING the leader-election test: ${unavailable}`);

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLUSTER = "drainscope-sim";
const LEASE_SECONDS = 3;
const RENEW_MS = 1000; // a third of the lease, as server/runtime/leader-config.ts sets it

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(unavailable !== undefined)("leader election: two replicas on PostgreSQL", () => {
  let pgServer: PgTestServer | undefined;
  let sim: SimulatedCluster | undefined;
  let a: ChildProcess | undefined;
  let b: Runtime | undefined;

  afterAll(async () => {
    if (a && a.exitCode === null && a.signalCode === null) a.kill("SIGKILL");
    await b?.stop();
    await sim?.stop();
    await pgServer?.stop();
  }, 30_000);

  it("the follower takes over within the lease duration when the leader is killed, records the gap and loses nothing", async () => {
    pgServer = await startPgTestServer();
    const dir = mkdtempSync(join(tmpdir(), "ds-leader-"));
    sim = await startSimulatedCluster({ scenario: "clean-rollout", speed: 1, lockToWall: true, kubeconfigPath: join(dir, "kubeconfig") });
    const env = (name: string): Record<string, string> => ({
      KUBECONFIG: sim?.kubeconfigPath ?? "",
      DATABASE_URL: pgServer?.url("postgres") ?? "",
      DRAINSCOPE_SIMULATE: "off",
      DRAINSCOPE_DATA_DIR: join(dir, name),
      DRAINSCOPE_LEADER_ELECTION: "lease",
      DRAINSCOPE_LEASE_NAMESPACE: "default",
      DRAINSCOPE_LEASE_DURATION_SECONDS: String(LEASE_SECONDS),
      POD_NAME: name,
      DRAINSCOPE_LOG_FORMAT: "json",
    });

    // Replica A: a separate process, so it can die the hard way.
    let aLog = "";
    const child = spawn(process.execPath, [join(ROOT, "bin/drainscope.js"), "watch"], { cwd: ROOT, env: { ...process.env, ...env("replica-a") }, stdio: ["ignore", "pipe", "pipe"] });
    a = child;
    child.stdout?.on("data", (c: Buffer) => (aLog += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (aLog += c.toString()));
    await until("replica-a to lead", 60_000, () => aLog.includes("replica-a created the lease and leads")).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; replica-a said:\n${aLog.slice(-3000)}`);
    });

    // Replica B follows: it serves but does not watch; A's committed observations reach its live hub.
    const bLog: string[] = [];
    b = await startRuntime(loadConfig(env("replica-b")), { env: env("replica-b"), log: (l) => bLog.push(l), effects: systemEffects });
    const relayed: LifecycleEvent[] = [];
    b.hub.subscribe({ cluster: CLUSTER, deliver: (events) => relayed.push(...events) });
    await new Promise((r) => setTimeout(r, 2 * RENEW_MS));
    expect(b.clusters()).toEqual([]);

    // An outage open on another replica right now shows in B's timelines too, while it is reported.
    const other = await startLiveRelay(pgServer.url("postgres"), "replica-x", () => {}, () => {});
    const open = gapObservation(CLUSTER, "pods", undefined, Date.now() - 5000, undefined, "connection refused", 0);
    other.publishOpenGaps([open]);
    await until("replica-x's open gap on replica-b", 10_000, () => b?.openGaps().some((g) => g.id === open.id) || undefined);
    await other.close();

    const rollout = sim.runScenario("clean-rollout");
    // Mid-rollout: the first old pod is being killed when A dies.
    await until("a container-killing event relayed from replica-a", 60_000, () => relayed.some((e) => e.type === "container-killing"));
    const fromA = [...relayed];
    const killedAt = Date.now();
    child.kill("SIGKILL");

    const takenOverAt = await until("replica-b to take over", 3 * LEASE_SECONDS * 1000, () => (b?.clusters().length === 1 ? Date.now() : undefined));
    // The Lease can only expire a full duration after B last saw it change, and B looks once per renew period.
    expect(takenOverAt - killedAt).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + RENEW_MS + 1000);
    expect(bLog.some((l) => l.includes("replica-b took the lease over from replica-a"))).toBe(true);

    await rollout;
    const store = b.store;
    const gap = await until("the hand-over gap in the store", 20_000, async () => {
      const events = await store.query({ cluster: CLUSTER });
      return events.find((e): e is WatcherGap => e.type === "watcher-gap" && e.id.startsWith("gap:leader-handover:"));
    });
    expect(gap.reason).toContain("replica-a stopped renewing the watcher lease; replica-b took over");
    expect(gap.from).toBeLessThanOrEqual(killedAt);
    expect(gap.to).toBeGreaterThanOrEqual(takenOverAt - 200);

    // Nothing lost: everything A committed (and so relayed) is stored, and so is every pod the cluster has now.
    await new Promise((r) => setTimeout(r, 1500)); // the write batcher's last flush
    const stored = await store.query({ cluster: CLUSTER });
    const storedPods = new Set(stored.filter((e) => e.type === "pod-seen").map((e) => ("podUid" in e ? e.podUid : "")));
    const podsFromA = new Set(fromA.filter((e) => e.type === "pod-seen").map((e) => ("podUid" in e ? e.podUid : "")));
    expect(podsFromA.size).toBeGreaterThanOrEqual(3);
    for (const uid of podsFromA) expect(storedPods.has(uid), `pod ${uid} seen by replica-a`).toBe(true);
    const podsNow = sim.cluster.store.list("pods").map((p) => p.metadata.uid);
    expect(podsNow.length).toBe(3);
    for (const uid of podsNow) expect(storedPods.has(uid), `pod ${uid} in the cluster now`).toBe(true);
    const storedIds = new Set(stored.map((e) => e.id));
    for (const e of fromA.filter((x) => x.type !== "watcher-gap")) expect(storedIds.has(e.id), `${e.type} ${e.id} from replica-a`).toBe(true);
  }, 150_000);
});
