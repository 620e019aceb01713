/**
 * What happens when the kubelet stops a container (kuberuntime killContainer), as plain arithmetic:
 * preStop runs for its real duration, capped at the grace; SIGTERM follows; the runtime then waits
 * max(grace − floor(preStop elapsed), 2) s before SIGKILL. The app's SIGTERM profile decides whether
 * it exits first (0 after draining, 143 without a handler) or is killed (137, reason Error).
 * After a force delete (the pod's deletionGracePeriodSeconds is 0) killContainer skips preStop — it runs
 * only while the pod's own grace is above 0 — and sends SIGTERM at once; the kill window is still the
 * spec grace the pod worker passes down.
 */
import { preStopDurationSeconds, type AppProfile } from "../k8s/app-profile";
import type { Container } from "../k8s/types";

export interface KillPlan {
  /** Killing → SIGTERM (the preStop hook's run time). */
  readonly sigtermAfterMs: number;
  /** A FailedPreStopHook event when the hook ends, if it fails within the grace. */
  readonly preStopFails: boolean;
  /** SIGTERM → SIGKILL. */
  readonly killWindowMs: number;
  /** SIGTERM → exit, with the exit code and reason the status will show. */
  readonly exitAfterMs: number;
  readonly exitCode: number;
  readonly reason: "Completed" | "Error";
  /** SIGTERM → readiness probe failing (fail-readiness profile with a readiness probe). */
  readonly unreadyAfterMs?: number;
  /** The app answers 503 from SIGTERM on. */
  readonly halts: boolean;
}

/** `dieMs`: how long a process without a handler takes to die of SIGTERM. */
export function planKill(container: Container, profile: AppProfile, graceSeconds: number, dieMs: number, opts: { readonly skipPreStop?: boolean } = {}): KillPlan {
  const hook = opts.skipPreStop ? undefined : container.lifecycle?.preStop;
  const preStop = hook ? Math.min(preStopDurationSeconds(hook, profile), graceSeconds) : 0;
  const killWindowMs = Math.max(graceSeconds - Math.floor(preStop), 2) * 1000;
  const base = { sigtermAfterMs: preStop * 1000, preStopFails: hook !== undefined && profile.preStopFails && preStop < graceSeconds, killWindowMs };
  const killed = { exitAfterMs: killWindowMs, exitCode: 137, reason: "Error" } as const;
  const drained = (seconds: number) => (seconds * 1000 < killWindowMs ? ({ exitAfterMs: seconds * 1000, exitCode: 0, reason: "Completed" } as const) : killed);
  const b = profile.onSigterm;
  switch (b.kind) {
    case "drain":
      return { ...base, ...drained(b.seconds), halts: false };
    case "die":
      return { ...base, exitAfterMs: dieMs, exitCode: 143, reason: "Error", halts: false };
    case "ignore":
      return { ...base, ...killed, halts: false };
    case "fail-readiness": {
      const probe = container.readinessProbe;
      const unready = probe ? { unreadyAfterMs: probe.failureThreshold * probe.periodSeconds * 1000 } : {};
      return { ...base, ...drained(b.seconds), ...unready, halts: true };
    }
  }
}
