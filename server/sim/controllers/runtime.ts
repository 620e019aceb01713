/**
 * What the simulated processes are doing, beyond what the API shows: when a container got SIGTERM,
 * started answering 503, or exited — even after a force delete removed the pod object. Data planes read
 * it to decide health checks and connection resets; it is never served as a Kubernetes object.
 */

export type AppState =
  /** Container started, not yet ready. */
  | "starting"
  /** Answering requests and health checks. */
  | "serving"
  /** Got SIGTERM and answers 503 (fail-readiness profile). */
  | "halting"
  /** No process: exited or killed. */
  | "exited";

export interface PodRuntime {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly ip: string;
  state: AppState;
  sigtermAt?: number;
  exitedAt?: number;
  exitCode?: number;
  restarts: number;
  /** The pod object is gone from the API (possibly while the process still runs). */
  removedFromApi: boolean;
}

export type RuntimeEventType = "started" | "ready" | "killing" | "sigterm" | "halting" | "exited" | "restarted" | "removed";

export interface RuntimeEvent {
  readonly type: RuntimeEventType;
  readonly pod: Readonly<PodRuntime>;
  readonly at: number;
}

export type RuntimeListener = (e: RuntimeEvent) => void;

export class PodRuntimes {
  private readonly byUid = new Map<string, PodRuntime>();
  private readonly listeners = new Set<RuntimeListener>();

  register(p: PodRuntime): void {
    this.byUid.set(p.uid, p);
  }

  get(uid: string): Readonly<PodRuntime> | undefined {
    return this.byUid.get(uid);
  }

  /** The most recent pod with this IP (IPs are not reused within a run). */
  byIp(ip: string): Readonly<PodRuntime> | undefined {
    let found: PodRuntime | undefined;
    for (const p of this.byUid.values()) if (p.ip === ip) found = p;
    return found;
  }

  all(): readonly Readonly<PodRuntime>[] {
    return [...this.byUid.values()];
  }

  /** Update a pod's runtime state and tell listeners. */
  emit(uid: string, type: RuntimeEventType, at: number, patch: Partial<Omit<PodRuntime, "uid">> = {}): void {
    const p = this.byUid.get(uid);
    if (!p) return;
    Object.assign(p, patch);
    for (const l of [...this.listeners]) l({ type, pod: p, at });
  }

  subscribe(listener: RuntimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
