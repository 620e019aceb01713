/**
 * One pod on one simulated kubelet, doing what kuberuntime's killContainer and the pod workers do:
 *
 *   start → (readiness) → delete seen → `Killing` event → preStop (exec/sleep for its real duration,
 *   capped at the grace) → SIGTERM → the app profile (drain N s / die 143 / ignore → SIGKILL 137 after
 *   max(grace − floor(preStop), 2) s / fail readiness) → exit → status → terminal phase → final delete
 *   with grace 0.
 *
 * Liveness failures kill the container the same way (`Killing` "failed liveness probe, will be
 * restarted") and restart it with restartCount + 1 and lastState.terminated. A force delete removes the
 * object but not the process: the worker runs the kill on, writing nothing (the pod is gone), without
 * preStop (the pod's deletion grace is 0) and with the spec grace before SIGKILL.
 */
import type { TimerId } from "../core/clock";
import { k8sTime } from "../core/time-format";
import { parseAppProfile, type AppProfile } from "../k8s/app-profile";
import type { Container, ContainerStateTerminated, Pod } from "../k8s/types";
import type { ControllerContext } from "./context";
import { writeContainers, writeTerminalPhase, terminalPhase, type ContainerView, type PodNetwork } from "./kubelet-status";
import { planKill } from "./kill-plan";
import type { KubeletTimings } from "./kubelet-timings";
import { deletePod } from "./pod-api";
import type { PodRuntimes } from "./runtime";

export interface WorkerDeps {
  readonly ctx: ControllerContext;
  readonly nodeName: string;
  readonly nodeIP: string;
  readonly runtimes: PodRuntimes;
  readonly allocateIp: () => string;
  readonly timings: KubeletTimings;
  /** Called once the worker has nothing left to do. */
  readonly onDone: () => void;
}

type KillCause = "deletion" | "liveness";

interface ContainerRun {
  readonly spec: Container;
  containerId: string;
  startedAtMs: number;
  restartCount: number;
  ready: boolean;
  phase: "running" | "stopping" | "exited";
  cause?: KillCause;
  terminated?: ContainerStateTerminated;
  lastTerminated?: ContainerStateTerminated;
  livenessBroken: boolean;
  readonly timers: Set<TimerId>;
}

export class PodWorker {
  private pod: Pod;
  private readonly profile: AppProfile;
  private readonly runs: ContainerRun[] = [];
  private readonly timers = new Set<TimerId>();
  private startTimer: TimerId | undefined;
  private net: PodNetwork | undefined;
  private terminating = false;
  private removed = false;
  private done = false;

  constructor(
    private readonly d: WorkerDeps,
    pod: Pod,
  ) {
    this.pod = pod;
    this.profile = parseAppProfile(pod.metadata.annotations);
  }

  get isDone(): boolean {
    return this.done;
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? "";
  }

  /** Any ADDED/MODIFIED of this pod. */
  onPod(pod: Pod): void {
    this.pod = pod;
    if (!this.net && this.startTimer === undefined && !pod.metadata.deletionTimestamp) {
      this.startTimer = this.after(this.d.timings.startMs, () => this.start());
    }
    if (pod.metadata.deletionTimestamp && !this.terminating) {
      this.terminating = true;
      // A force delete (grace 0) does not shorten the kill: the kubelet still gives the spec grace. It
      // does skip preStop (kuberuntime runs the hook only while the pod's own grace is above 0).
      const force = pod.metadata.deletionGracePeriodSeconds === 0;
      const grace = pod.metadata.deletionGracePeriodSeconds || pod.spec.terminationGracePeriodSeconds;
      this.after(this.d.timings.syncMs, () => this.terminate(grace, force));
    }
  }

  /** The pod object is gone (DELETED). After a force delete the processes run on. */
  onRemoved(): void {
    this.removed = true;
    this.d.runtimes.emit(this.pod.metadata.uid, "removed", this.now(), { removedFromApi: true });
    if (!this.terminating) {
      this.terminating = true;
      this.after(this.d.timings.syncMs, () => this.terminate(this.pod.spec.terminationGracePeriodSeconds, this.pod.metadata.deletionGracePeriodSeconds === 0));
    }
    if (!this.net) this.finish();
  }

  /** Make a container's liveness probe fail from now on (the app hangs). */
  failLiveness(containerName?: string): void {
    const run = this.runs.find((r) => containerName === undefined || r.spec.name === containerName);
    const probe = run?.spec.livenessProbe;
    if (!run || !probe || run.phase !== "running") return;
    run.livenessBroken = true;
    let failures = 0;
    const check = (): void => {
      if (run.phase !== "running" || !run.livenessBroken) return;
      failures++;
      this.event(run, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", "Warning");
      if (failures >= probe.failureThreshold) this.kill(run, this.pod.spec.terminationGracePeriodSeconds, `Container ${run.spec.name} failed liveness probe, will be restarted`, "liveness");
      else this.runTimer(run, probe.periodSeconds * 1000, check);
    };
    this.runTimer(run, this.d.ctx.rng.between(0, probe.periodSeconds * 1000), check);
  }

  stop(): void {
    for (const t of this.timers) this.d.ctx.clock.clearTimer(t);
    for (const r of this.runs) for (const t of r.timers) this.d.ctx.clock.clearTimer(t);
    this.timers.clear();
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  private start(): void {
    this.startTimer = undefined;
    if (this.terminating) return;
    const now = this.now();
    this.net = { hostIP: this.d.nodeIP, podIP: this.d.allocateIp(), startTime: k8sTime(now) };
    const m = this.pod.metadata;
    this.d.runtimes.register({ uid: m.uid, namespace: m.namespace ?? "", name: m.name, node: this.d.nodeName, ip: this.net.podIP, state: "starting", restarts: 0, removedFromApi: false });
    for (const spec of this.pod.spec.containers) {
      const run: ContainerRun = { spec, containerId: this.containerId(), startedAtMs: now, restartCount: 0, ready: false, phase: "running", livenessBroken: false, timers: new Set() };
      this.runs.push(run);
      this.startEvents(run);
    }
    this.writeStatus((p) => {
      p.status.phase = "Running";
    });
    this.d.runtimes.emit(m.uid, "started", now);
    for (const run of this.runs) this.scheduleReadiness(run);
  }

  private startEvents(run: ContainerRun): void {
    this.event(run, "Pulled", `Container image "${run.spec.image}" already present on machine`);
    this.event(run, "Created", `Created container ${run.spec.name}`);
    this.event(run, "Started", `Started container ${run.spec.name}`);
  }

  private scheduleReadiness(run: ContainerRun): void {
    const becomeReady = (): void => {
      if (run.phase !== "running") return;
      run.ready = true;
      this.writeStatus();
      if (this.runs.every((r) => r.ready)) this.d.runtimes.emit(this.pod.metadata.uid, "ready", this.now(), { state: "serving" });
    };
    if (!run.spec.readinessProbe) {
      becomeReady();
      return;
    }
    const [lo, hi] = this.d.timings.readyJitterMs;
    this.runTimer(run, this.profile.readyAfterSeconds * 1000 + this.d.ctx.rng.between(lo, hi), becomeReady);
  }

  private terminate(graceSeconds: number, skipPreStop = false): void {
    if (!this.net) {
      if (this.startTimer !== undefined) this.d.ctx.clock.clearTimer(this.startTimer);
      this.startTimer = undefined;
      this.finalDelete();
      return;
    }
    for (const run of this.runs) if (run.phase === "running") this.kill(run, graceSeconds, `Stopping container ${run.spec.name}`, "deletion", skipPreStop);
    if (this.runs.every((r) => r.phase === "exited")) this.afterAllExited();
  }

  private kill(run: ContainerRun, graceSeconds: number, message: string, cause: KillCause, skipPreStop = false): void {
    run.phase = "stopping";
    run.cause = cause;
    this.clearRunTimers(run);
    this.event(run, "Killing", message);
    const uid = this.pod.metadata.uid;
    this.d.runtimes.emit(uid, "killing", this.now());
    const [lo, hi] = this.d.timings.dieMs;
    const plan = planKill(run.spec, this.profile, graceSeconds, this.d.ctx.rng.between(lo, hi), { skipPreStop });
    if (plan.preStopFails) this.runTimer(run, plan.sigtermAfterMs, () => this.event(run, "FailedPreStopHook", "PreStopHook failed", "Warning"));
    this.runTimer(run, plan.sigtermAfterMs, () => {
      this.d.runtimes.emit(uid, "sigterm", this.now(), { sigtermAt: this.now() });
      if (plan.halts) this.d.runtimes.emit(uid, "halting", this.now(), { state: "halting" });
      if (plan.unreadyAfterMs !== undefined) {
        this.runTimer(run, plan.unreadyAfterMs, () => {
          run.ready = false;
          this.writeStatus();
        });
      }
      this.runTimer(run, plan.exitAfterMs, () => this.exited(run, plan.exitCode, plan.reason));
    });
  }

  private exited(run: ContainerRun, exitCode: number, reason: string): void {
    const now = this.now();
    run.phase = "exited";
    run.ready = false;
    run.terminated = { exitCode, reason, startedAt: k8sTime(run.startedAtMs), finishedAt: k8sTime(now), containerID: run.containerId };
    this.clearRunTimers(run);
    const allExited = this.runs.every((r) => r.phase === "exited");
    this.d.runtimes.emit(this.pod.metadata.uid, "exited", now, allExited ? { state: "exited", exitedAt: now, exitCode } : {});
    if (run.cause === "liveness" && !this.terminating) {
      this.after(this.d.timings.restartStatusMs, () => {
        this.writeStatus();
        this.after(this.d.timings.restartDelayMs, () => this.restart(run));
      });
      return;
    }
    this.after(this.d.timings.exitStatusMs, () => {
      this.writeStatus();
      if (this.runs.every((r) => r.phase === "exited")) this.afterAllExited();
    });
  }

  private restart(run: ContainerRun): void {
    if (this.terminating || run.phase !== "exited") return;
    run.lastTerminated = run.terminated;
    run.terminated = undefined;
    run.containerId = this.containerId();
    run.startedAtMs = this.now();
    run.restartCount++;
    run.phase = "running";
    run.cause = undefined;
    run.livenessBroken = false;
    this.startEvents(run);
    this.writeStatus();
    this.d.runtimes.emit(this.pod.metadata.uid, "restarted", this.now(), { state: "starting", restarts: run.restartCount });
    this.scheduleReadiness(run);
  }

  private afterAllExited(): void {
    this.after(this.d.timings.terminalPhaseMs, () => {
      const exits = this.runs.flatMap((r) => (r.terminated ? [r.terminated] : []));
      this.writeStatus((p) => writeTerminalPhase(p, terminalPhase(exits), k8sTime(this.now())));
      this.after(this.d.timings.finalDeleteMs, () => this.finalDelete());
    });
  }

  private finalDelete(): void {
    const removed = this.removed;
    this.finish();
    if (!removed) {
      const m = this.pod.metadata;
      deletePod(this.d.ctx.store, this.d.ctx.clock, m.namespace ?? "", m.name, 0);
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.d.onDone();
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private now(): number {
    return this.d.ctx.clock.now();
  }

  private containerId(): string {
    return `containerd://${this.d.ctx.rng.hex(64)}`;
  }

  private view(run: ContainerRun): ContainerView {
    return {
      name: run.spec.name,
      image: run.spec.image,
      containerId: run.containerId,
      restartCount: run.restartCount,
      ready: run.ready,
      state: run.terminated ? { terminated: run.terminated } : { running: { startedAt: k8sTime(run.startedAtMs) } },
      lastState: run.lastTerminated ? { terminated: run.lastTerminated } : {},
    };
  }

  private writeStatus(extra?: (p: Pod) => void): void {
    if (this.removed) return;
    const m = this.pod.metadata;
    const views = this.runs.map((r) => this.view(r));
    const nowIso = k8sTime(this.now());
    const updated = this.d.ctx.store.update("pods", m.namespace, m.name, (p) => {
      extra?.(p);
      writeContainers(p, views, nowIso, this.net);
    });
    if (updated) this.pod = updated;
  }

  private event(run: ContainerRun, reason: string, message: string, type: "Normal" | "Warning" = "Normal"): void {
    this.d.ctx.events.record({
      involved: this.pod,
      reason,
      message,
      type,
      source: { component: "kubelet", host: this.d.nodeName },
      fieldPath: `spec.containers{${run.spec.name}}`,
    });
  }

  /** A timer owned by the pod worker, with a delay drawn from a [lo, hi] range. */
  private after(range: readonly [number, number], fn: () => void): TimerId {
    const id = this.d.ctx.clock.setTimer(this.d.ctx.rng.between(range[0], range[1]), () => {
      this.timers.delete(id);
      fn();
    });
    this.timers.add(id);
    return id;
  }

  /** A timer tied to the current incarnation of one container. */
  private runTimer(run: ContainerRun, ms: number, fn: () => void): void {
    const id = this.d.ctx.clock.setTimer(ms, () => {
      run.timers.delete(id);
      fn();
    });
    run.timers.add(id);
  }

  private clearRunTimers(run: ContainerRun): void {
    for (const t of run.timers) this.d.ctx.clock.clearTimer(t);
    run.timers.clear();
  }
}
