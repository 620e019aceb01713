import { describe, expect, it } from "vitest";
import { parseAppProfile } from "../k8s/app-profile";
import { podTemplate, type WorkloadSpec } from "../k8s/builders";
import { planKill } from "./kill-plan";

function plan(w: Partial<WorkloadSpec>, grace = 30, opts: { skipPreStop?: boolean } = {}) {
  const t = podTemplate({ name: "web", namespace: "t", replicas: 1, graceSeconds: grace, onSigterm: { kind: "drain", seconds: 1 }, readyAfterSeconds: 1, ...w });
  const container = t.spec.containers[0];
  if (!container) throw new Error("no container");
  return planKill(container, parseAppProfile(t.metadata.annotations), grace, 20, opts);
}

describe("planKill", () => {
  it("runs the preStop sleep, then SIGTERM, then drains and exits 0", () => {
    expect(plan({ preStop: { kind: "exec-sleep", seconds: 5 }, onSigterm: { kind: "drain", seconds: 2 } })).toMatchObject({
      sigtermAfterMs: 5000,
      killWindowMs: 25_000,
      exitAfterMs: 2000,
      exitCode: 0,
      reason: "Completed",
    });
  });

  it("SIGKILLs at max(grace − floor(preStop), 2) s after SIGTERM", () => {
    expect(plan({ preStop: { kind: "sleep", seconds: 10 }, onSigterm: { kind: "ignore" } })).toMatchObject({ sigtermAfterMs: 10_000, exitAfterMs: 20_000, exitCode: 137, reason: "Error" });
    // A preStop that outlives the grace is cut at the grace; the runtime still gives 2 s.
    expect(plan({ preStop: { kind: "exec-sleep", seconds: 60 }, onSigterm: { kind: "drain", seconds: 5 } })).toMatchObject({ sigtermAfterMs: 30_000, killWindowMs: 2000, exitCode: 137 });
    // A drain as long as the window is a SIGKILL too.
    expect(plan({ onSigterm: { kind: "drain", seconds: 30 } })).toMatchObject({ exitCode: 137, exitAfterMs: 30_000 });
  });

  it("dies of SIGTERM with 143 without a handler; fails readiness after the probe's threshold", () => {
    expect(plan({ onSigterm: { kind: "die" } })).toMatchObject({ sigtermAfterMs: 0, exitAfterMs: 20, exitCode: 143, reason: "Error" });
    expect(plan({ onSigterm: { kind: "fail-readiness", seconds: 5 } })).toMatchObject({ halts: true, unreadyAfterMs: 3000, exitAfterMs: 5000, exitCode: 0 });
  });

  it("reports a failing exec hook when it ends within the grace", () => {
    expect(plan({ preStop: { kind: "exec", command: ["/bin/drain"], seconds: 4, fails: true } })).toMatchObject({ preStopFails: true, sigtermAfterMs: 4000 });
  });

  it("after a force delete skips preStop: SIGTERM at once, the spec grace before SIGKILL", () => {
    expect(plan({ preStop: { kind: "exec-sleep", seconds: 5 }, onSigterm: { kind: "drain", seconds: 3 } }, 30, { skipPreStop: true })).toMatchObject({
      sigtermAfterMs: 0,
      killWindowMs: 30_000,
      exitAfterMs: 3000,
      exitCode: 0,
    });
  });
});
