/** How quickly the simulated kubelet reacts (virtual ms ranges; each delay is drawn from its range). */
export interface KubeletTimings {
  /** Reaction to a pod update. */
  readonly syncMs: readonly [number, number];
  /** Bound pod → containers running. */
  readonly startMs: readonly [number, number];
  /** Extra delay after ready-after-seconds before the probe passes. */
  readonly readyJitterMs: readonly [number, number];
  /** Container exit → status written, when the pod is being deleted. */
  readonly exitStatusMs: readonly [number, number];
  /** Container exit → status written, on a restart (PLEG relist, ~1 s). */
  readonly restartStatusMs: readonly [number, number];
  /** Terminated status written → container running again. */
  readonly restartDelayMs: readonly [number, number];
  /** Last exit written → terminal phase written. */
  readonly terminalPhaseMs: readonly [number, number];
  /** Terminal phase → final delete with grace 0. */
  readonly finalDeleteMs: readonly [number, number];
  /** SIGTERM → exit for a process without a handler. */
  readonly dieMs: readonly [number, number];
}

export const DEFAULT_KUBELET_TIMINGS: KubeletTimings = {
  syncMs: [3, 12],
  startMs: [30, 90],
  readyJitterMs: [0, 80],
  exitStatusMs: [5, 40],
  restartStatusMs: [900, 1100],
  restartDelayMs: [300, 600],
  terminalPhaseMs: [150, 350],
  finalDeleteMs: [8, 30],
  dieMs: [5, 30],
};
