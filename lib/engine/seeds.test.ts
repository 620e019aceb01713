// One test per seed incident (shared/seeds/000–004): the event sequence each write-up describes, with
// its numbers, and the exact risk windows the engine must show for it (design §2). Every test asserts the
// complete window list, so a rule that fires where it should not fails the test as well.
import { describe, expect, it } from "vitest";
import { at, EventLog, row, windowRows } from "../testing/event-builder";
import { computeTimeline } from "./timeline";
import type { EngineOptions, Timeline } from "./types";

function timeline(log: EventLog, opts: Omit<EngineOptions, "now"> = {}, nowSeconds = 300): Timeline {
  return computeTimeline(log.events, { now: at(nowSeconds), ...opts });
}

describe("seed 000: in-house discovery synced every 10 s; pods killed while gateways still sent them connections", () => {
  // Rolling update (maxSurge 1, maxUnavailable 0), grace 60 s, no preStop: an idle pod exits at once on
  // SIGTERM. The gateways poll Discovery every 10 s (recorded as LB members, source "discovery").
  const DISCOVERY = { source: "discovery", lb: "gateway" } as const;
  function rollout(preStop?: { kind: "exec"; sleepSeconds: 30; sleepOnly: true; command: string }): EventLog {
    const log = new EventLog();
    const grace = preStop ? 90 : 60;
    const old = log.pod("web-old", { grace, ip: "10.0.1.5", replicaSet: "web-5d8f7c9b4", ...(preStop ? { preStop } : {}) }).serving(1);
    log.lb("10.0.1.5:80", "active", 10, DISCOVERY);
    log.pod("web-new", { grace, ip: "10.0.1.6", replicaSet: "web-7b6c5d4e3", createdAt: 15, ...(preStop ? { preStop } : {}) }).serving(17, "web", 15.1);
    log.lb("10.0.1.6:80", "active", 20, DISCOVERY);
    const sigterm = preStop ? 50 : 20;
    old.delete(20).killing(20).endpoint(20.2, false, true, true).exit(sigterm).endpoint(sigterm + 0.9, false, false, true).endpointRemoved(sigterm + 1.3).removed(sigterm + 1.5);
    log.lb("10.0.1.5:80", "removed", 30, DISCOVERY); // the next sync after the delete
    return log;
  }

  it("dead-but-routed for the 10 s until the next gateway sync, and SIGTERM long before deregistration", () => {
    const tl = timeline(rollout());
    expect(windowRows(tl.riskWindows)).toEqual([
      row("dead-but-routed", 20, 30, 10_000, "critical", "certain", ["web-old"]),
      row("sigterm-before-deregistration", 20, 32, 12_000, "high", "certain", ["web-old"]),
    ]);
    expect(tl.riskWindows[0]?.lb).toBe("gateway (discovery)");
    expect(tl.riskWindows[0]?.service).toBe("web");
  });

  it("with the gateways' 10 s budget (serviceBudgetsMs) the SIGTERM window runs to 10 s after the sync", () => {
    const tl = timeline(rollout(), { serviceBudgetsMs: { "default/web": 10_000 } });
    expect(windowRows(tl.riskWindows, "sigterm-before-deregistration")).toEqual([row("sigterm-before-deregistration", 20, 40, 20_000, "high", "certain", ["web-old"])]);
  });

  it("the write-up's fix (preStop `sleep 30`, grace 90 s) leaves no window, even with the 10 s budget", () => {
    const fix = { kind: "exec", sleepSeconds: 30, sleepOnly: true, command: "/bin/sh -c 'sleep 30'" } as const;
    expect(timeline(rollout(fix), { serviceBudgetsMs: { "default/web": 10_000 } }).riskWindows).toEqual([]);
  });
});

describe("seed 001: keep-alive through a cloud LB; after a 15 s preStop sleep the app answers 503", () => {
  // One replica. preStop: `sleep 15`, then curl ok.htm?down=true (the app starts answering 503), then
  // SIGTERM. The gateway's keep-alive connections go through the cloud LB, whose member for the pod stays
  // active until its health check sees the 503s and marks it unhealthy (25 s), still holding 3 connections.
  function incident(): EventLog {
    const log = new EventLog();
    log.deployment("web", 1);
    const preStop = { kind: "exec", sleepSeconds: 15, sleepOnly: false, command: "sh -c 'sleep 15; curl -s http://127.0.0.1:${APP_PORT}/ok.htm?down=true'" } as const;
    const old = log.pod("web-old", { preStop, ip: "10.0.2.7" }).serving(1);
    log.lb("10.0.2.7:8080", "active", 2, { source: "cloud-lb", lb: "slb-web", connections: 4 });
    old.delete(6).killing(6).endpoint(6.3, false, true, true); // 15:30:06 kill
    log.pod("web-new", { preStop, ip: "10.0.2.8", createdAt: 6.5 }).serving(20, "web", 6.6); // the replacement takes 14 s to start
    old.endpoint(23, false, false, true); // readiness sees the 503s
    log.lb("10.0.2.7:8080", "unhealthy", 25, { source: "cloud-lb", lb: "slb-web", connections: 3 });
    old.exit(28).endpointRemoved(28.4).removed(28.6);
    log.lb("10.0.2.7:8080", "removed", 36, { source: "cloud-lb", lb: "slb-web" });
    return log;
  }

  it("no ready endpoint until the replacement is up; SIGTERM (estimated) while the LB member is active; the LB holds connections after the exit", () => {
    const tl = timeline(incident());
    expect(windowRows(tl.riskWindows)).toEqual([
      row("fallback-to-terminating", 6.3, 20.05, 13_750, "medium", "certain", ["web-old", "web-new"]),
      row("no-ready-endpoints", 6.3, 20.05, 13_750, "critical", "certain", ["web-old", "web-new"]),
      // SIGTERM is only known to be ≥ Killing + 15 s (the hook does more than sleep): possible.
      row("sigterm-before-deregistration", 21, 27, 6000, "high", "possible", ["web-old"]),
      row("drain-outlives-pod", 28, 36, 8000, "high", "certain", ["web-old"]),
    ]);
    expect(tl.riskWindows.find((w) => w.rule === "drain-outlives-pod")?.lb).toBe("slb-web (cloud-lb)");
    expect(tl.pods.find((p) => p.name === "web-old")?.keyTimes.sigterm).toMatchObject({ at: at(21), exact: false, basis: "interval" });
    expect(tl.lint.map((l) => l.check)).toEqual(["single-replica"]);
  });
});

describe("seed 002: why rolling updates still drop requests", () => {
  const QUIT = { kind: "exec", command: "/usr/sbin/nginx -s quit" } as const;
  const SLEEP_THEN_QUIT = { kind: "exec", sleepSeconds: 15, sleepOnly: false, command: "sh -c 'sleep 15 && /usr/sbin/nginx -s quit'" } as const;
  /** A ready replacement (maxSurge 1) and an old nginx pod deleted at 10 s, not ready at `notReady`. */
  function update(preStop: typeof QUIT | typeof SLEEP_THEN_QUIT | undefined, notReady: number, exit: number): EventLog {
    const log = new EventLog();
    log.pod("nginx-new", { createdAt: 2, replicaSet: "nginx-66b6c48dd5", ...(preStop ? { preStop } : {}) }).serving(8, "nginx", 2.1);
    log
      .pod("nginx-old", { replicaSet: "nginx-5c7588df", ...(preStop ? { preStop } : {}) })
      .serving(1, "nginx")
      .delete(10)
      .killing(10)
      .endpoint(notReady, false, true, true, "nginx")
      .exit(exit)
      .endpoint(exit + 0.2, false, false, true, "nginx")
      .endpointRemoved(exit + 0.5, "nginx")
      .removed(exit + 0.8);
    return log;
  }

  it("no preStop: nginx gets SIGTERM while still listed ready → sigterm-before-deregistration", () => {
    expect(windowRows(timeline(update(undefined, 10.4, 11)).riskWindows)).toEqual([row("sigterm-before-deregistration", 10, 12.4, 2400, "high", "certain", ["nginx-old"])]);
  });

  it("preStop `nginx -s quit`: SIGTERM time unknown → the same window, possible", () => {
    expect(windowRows(timeline(update(QUIT, 10.4, 13)).riskWindows)).toEqual([row("sigterm-before-deregistration", 10, 12.4, 2400, "high", "possible", ["nginx-old"])]);
  });

  it("the write-up's `sleep 15 && nginx -s quit` → no window", () => {
    expect(timeline(update(SLEEP_THEN_QUIT, 10.4, 26)).riskWindows).toEqual([]);
  });

  it("endpoint removal lagging 3.5 s → slow-endpoint-removal (the sleep hides it from SIGTERM)", () => {
    expect(windowRows(timeline(update(SLEEP_THEN_QUIT, 13.5, 26)).riskWindows)).toEqual([row("slow-endpoint-removal", 10, 13.5, 3500, "medium", "certain", ["nginx-old"])]);
  });

  it("old pod deregistered before the new one is listed ready → no-ready-endpoints and fallback", () => {
    const log = new EventLog();
    // The new pod is Ready at 8 s, but the endpoint controller lists it ready only at 12.5 s.
    log.pod("nginx-new", { createdAt: 2, replicaSet: "nginx-66b6c48dd5" }).endpoint(2.1, false, false, false, "nginx").ready(8).endpoint(12.5, true, true, false, "nginx");
    log.pod("nginx-old", { preStop: SLEEP_THEN_QUIT }).serving(1, "nginx").delete(10).killing(10).endpoint(10.3, false, true, true, "nginx").exit(26);
    expect(windowRows(timeline(log).riskWindows)).toEqual([
      row("fallback-to-terminating", 10.3, 12.5, 2200, "medium", "certain", ["nginx-old", "nginx-new"]),
      row("no-ready-endpoints", 10.3, 12.5, 2200, "critical", "certain", ["nginx-old", "nginx-new"]),
    ]);
  });

  /** Two replicas on node-1, evicted by `kubectl drain`; replacements on node-2 ready at 36 s. */
  function drain(withPdb: boolean): EventLog {
    const log = new EventLog();
    const opts = { preStop: SLEEP_THEN_QUIT, node: "node-1" } as const;
    const a = log.pod("nginx-a", opts).serving(1, "nginx");
    const b = log.pod("nginx-b", opts).serving(1, "nginx");
    const evict = (p: typeof a, t: number) => p.evicted(t).delete(t).killing(t).endpoint(t + 0.3, false, true, true, "nginx").exit(t + 16).endpoint(t + 16.2, false, false, true, "nginx").endpointRemoved(t + 16.5, "nginx").removed(t + 16.8);
    evict(a, 30);
    log.pod("nginx-c", { createdAt: 30.5, node: "node-2" }).serving(36, "nginx", 30.6);
    // A PodDisruptionBudget (minAvailable 1) makes the drain wait until the first replacement is ready.
    evict(b, withPdb ? 40 : 30);
    log.pod("nginx-d", { createdAt: withPdb ? 40.5 : 30.5, node: "node-2" }).serving(withPdb ? 46 : 36, "nginx", withPdb ? 40.6 : 30.6);
    return log;
  }

  it("all pods drained at once → no-ready-endpoints (critical) and fallback-to-terminating, one drain episode", () => {
    const tl = timeline(drain(false));
    const pods = ["nginx-a", "nginx-b", "nginx-c", "nginx-d"];
    expect(windowRows(tl.riskWindows)).toEqual([
      row("fallback-to-terminating", 30.3, 36.05, 5750, "medium", "certain", pods),
      row("no-ready-endpoints", 30.3, 36.05, 5750, "critical", "certain", pods),
    ]);
    expect(tl.episodes.map((e) => [e.kind, e.workload, e.podUids, e.verdict])).toEqual([["drain", "node node-1", ["uid-nginx-a", "uid-nginx-b"], "critical"]]);
  });

  it("with a PodDisruptionBudget the drain keeps a ready endpoint → no window", () => {
    expect(timeline(drain(true)).riskWindows).toEqual([]);
  });

  it("externalTrafficPolicy: Local is linted (the LB's health check lags the node's last local endpoint)", () => {
    const log = update(SLEEP_THEN_QUIT, 10.4, 26);
    log.service("nginx", { externalTrafficPolicy: "Local" });
    expect(timeline(log).lint.map((l) => [l.check, l.severity, l.workload])).toEqual([["external-traffic-policy-local", "info", "nginx"]]);
  });
});

describe("seed 003: kubelet and the F5 BIG-IP controller (CIS) act in parallel", () => {
  const F5 = { source: "f5-bigip", lb: "/Common/web_pool" } as const;
  const M = "10.0.3.9:8080";
  /** A second, untouched replica keeps the Service ready; the pod under test is deleted at 10 s. */
  function cluster(preStop?: { kind: "sleep"; sleepSeconds: number; sleepOnly: true }) {
    const log = new EventLog();
    log.pod("web-keep", { ip: "10.0.3.2" }).serving(1);
    const pod = log.pod("web-1", { ip: "10.0.3.9", ...(preStop ? { preStop } : {}) }).serving(1);
    log.lb(M, "active", 2, { ...F5, connections: 12 });
    pod.delete(10).killing(10).endpoint(10.3, false, true, true);
    return { log, pod };
  }

  it("1. pod gone while the pool member is still active (CIS removed it late) → dead-but-routed", () => {
    const { log, pod } = cluster();
    pod.exit(11).endpoint(11.2, false, false, true).endpointRemoved(11.5).removed(11.8);
    log.lb(M, "removed", 18, F5);
    const tl = timeline(log);
    expect(windowRows(tl.riskWindows)).toEqual([
      row("sigterm-before-deregistration", 10, 20, 10_000, "high", "certain", ["web-1"]),
      row("dead-but-routed", 11, 18, 7000, "critical", "certain", ["web-1"]),
    ]);
    expect(tl.riskWindows[1]?.lb).toBe("/Common/web_pool (f5-bigip)");
  });

  it("2. pool member removed first, preStop sleep 10 s → no window", () => {
    const { log, pod } = cluster({ kind: "sleep", sleepSeconds: 10, sleepOnly: true });
    log.lb(M, "removed", 10.6, F5);
    pod.exit(21).endpoint(21.2, false, false, true).endpointRemoved(21.5).removed(21.8);
    expect(timeline(log).riskWindows).toEqual([]);
  });

  it("3. the app stops on SIGTERM while the pool still sends it connections → sigterm-before-deregistration", () => {
    const { log, pod } = cluster();
    log.lb(M, "removed", 11.5, F5);
    pod.exit(13).endpoint(13.2, false, false, true).endpointRemoved(13.5).removed(13.8);
    expect(windowRows(timeline(log).riskWindows)).toEqual([row("sigterm-before-deregistration", 10, 13.5, 3500, "high", "certain", ["web-1"])]);
  });

  it("4. a long-lived connection outlasts the 30 s grace → SIGKILL → killed-at-grace-deadline", () => {
    const { log, pod } = cluster({ kind: "sleep", sleepSeconds: 5, sleepOnly: true });
    log.lb(M, "removed", 10.5, F5);
    pod.exit(40, 137).endpoint(40.2, false, false, true).endpointRemoved(40.5).removed(40.8);
    const tl = timeline(log);
    expect(windowRows(tl.riskWindows)).toEqual([row("killed-at-grace-deadline", 15, 40, 25_000, "high", "certain", ["web-1"])]);
    expect(tl.lint.map((l) => l.check)).toEqual(["grace-shorter-than-drain"]);
  });
});

describe("seed 004: IPVS keeps a weight-0 real server of a dead pod while connections remain (conn_reuse_mode=0)", () => {
  it("endpoints and IPVS weights update fast, but the weight-0 real server outlives the pod → drain-outlives-pod", () => {
    const IPVS = { source: "ipvs", lb: "10.96.0.20:80", namespace: "production" } as const;
    const M = "10.2.0.8:8080";
    const log = new EventLog();
    // `kubectl rollout restart deployment wk-dispatcher`: the new pod is ready before the old one goes.
    log.pod("wk-dispatcher-new", { namespace: "production", ip: "10.2.0.9", createdAt: 4, replicaSet: "wk-dispatcher-7f9c6b8d5" }).serving(8, "wk-dispatcher", 4.1);
    log.lb("10.2.0.9:8080", "active", 8.5, { ...IPVS, weight: 1, connections: 0 });
    const old = log.pod("wk-dispatcher-old", { namespace: "production", ip: "10.2.0.8", replicaSet: "wk-dispatcher-5c4d8f7b9" }).serving(1, "wk-dispatcher");
    log.lb(M, "active", 2, { ...IPVS, weight: 1, connections: 25 });
    old.delete(10).killing(10).endpoint(10.2, false, true, true, "wk-dispatcher");
    log.lb(M, "draining", 10.9, { ...IPVS, weight: 0, connections: 40 }); // weight 0 within a second
    old.exit(12).endpoint(12.2, false, false, true, "wk-dispatcher").endpointRemoved(12.5, "wk-dispatcher").removed(12.8);
    // ActiveConn + InActConn (TIME_WAIT entries) drain slowly; the real server goes only at 0, checked each minute.
    log
      .lb(M, "draining", 30, { ...IPVS, weight: 0, connections: 22 })
      .lb(M, "draining", 60, { ...IPVS, weight: 0, connections: 3 })
      .lb(M, "draining", 90, { ...IPVS, weight: 0, connections: 0 })
      .lb(M, "removed", 120, IPVS);
    const tl = timeline(log);
    expect(windowRows(tl.riskWindows)).toEqual([
      // No preStop: SIGTERM came 0.9 s before IPVS set weight 0 (+ the 2 s budget).
      row("sigterm-before-deregistration", 10, 12.9, 2900, "high", "certain", ["wk-dispatcher-old"]),
      row("drain-outlives-pod", 12, 90, 78_000, "high", "certain", ["wk-dispatcher-old"]),
    ]);
    const drain = tl.riskWindows[1];
    expect([drain?.namespace, drain?.lb]).toEqual(["production", "10.96.0.20:80 (ipvs)"]);
    expect(drain?.explanation).toContain("draining with 40 connections");
  });
});

describe("other scenarios of design §6.2", () => {
  it("force delete (grace 0): the object vanishes, the container may run 30 s more → ghost-container", () => {
    const log = new EventLog();
    log.pod("web-keep").serving(1);
    log.pod("web-ghost").serving(1).forceDelete(10).removed(10.1).endpointRemoved(10.3);
    const tl = timeline(log);
    expect(windowRows(tl.riskWindows)).toEqual([
      row("ghost-container", 10, 40, 30_000, "medium", "possible", ["web-ghost"]),
      // No dead-but-routed: the removal of a force-deleted pod is not its death (the process runs on),
      // and the slice update milliseconds later on another watch stream is ordering, not a window.
    ]);
    expect(tl.episodes.map((e) => [e.kind, e.verdict])).toEqual([["force-delete", "warning"]]);
  });

  it("force delete of a pod with a preStop sleep: the kubelet skips preStop, SIGTERM comes with Killing", () => {
    const log = new EventLog();
    log.pod("web-keep").serving(1);
    log.pod("web-ghost", { preStop: { kind: "sleep", sleepSeconds: 5, sleepOnly: true } }).serving(1).forceDelete(10).removed(10.1).killing(10.2).endpointRemoved(10.3);
    const ghost = timeline(log).pods.find((p) => p.name === "web-ghost");
    expect(ghost?.keyTimes.sigterm).toMatchObject({ at: ghost?.keyTimes.killing?.at, exact: true, basis: "prestop-skipped" });
  });

  it("liveness-probe restart while the endpoint is still ready → restart-blackhole", () => {
    const log = new EventLog();
    log.pod("web-keep").serving(1);
    log.pod("web-flaky").serving(1).killing(120, "probe-restart").endpoint(123, false, false, false).started(125).ready(131).endpoint(131.05, true);
    const tl = timeline(log);
    expect(windowRows(tl.riskWindows)).toEqual([row("restart-blackhole", 120, 123, 3000, "medium", "certain", ["web-flaky"])]);
    expect(tl.episodes.map((e) => [e.kind, e.workload, e.start, e.end, e.verdict])).toEqual([["restart", "web", at(120), at(125), "warning"]]);
  });
});
