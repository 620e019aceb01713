/**
 * The simulated cluster without its HTTP face: store, control plane (scheduler, Deployment, ReplicaSet,
 * EndpointSlice and disruption controllers), one kubelet per node, process runtimes and data planes.
 * Scenarios drive it through the actions below; the API server only reads it. It runs on any SimClock,
 * so tests can step it with a manual clock and no sockets.
 */
import type { SimClock } from "../core/clock";
import { createRng, type Rng } from "../core/rng";
import { k8sTime } from "../core/time-format";
import { ObjectStore } from "../api/store";
import { deploymentObject, namespaceObject, nodeObject, serviceObject, type ServiceSpec, type WorkloadSpec } from "../k8s/builders";
import type { Deployment, Pod, Service } from "../k8s/types";
import type { ControllerContext } from "../controllers/context";
import { DeploymentController } from "../controllers/deployment";
import { DisruptionController, type DisruptionBudget, type EvictionResult } from "../controllers/disruption";
import { EndpointSliceController } from "../controllers/endpointslice";
import { EventRecorder } from "../controllers/event-recorder";
import { Kubelet, type SimNode } from "../controllers/kubelet";
import { deletePod, forceDeletePod, type DeleteOutcome } from "../controllers/pod-api";
import type { KubeletTimings } from "../controllers/kubelet-timings";
import { ReplicaSetController } from "../controllers/replicaset";
import { PodRuntimes } from "../controllers/runtime";
import { Scheduler } from "../controllers/scheduler";
import type { DataPlane } from "../dataplanes/data-plane";
import { MemberLog } from "../dataplanes/member-log";
import { waitUntil, type WaitOptions } from "./waiter";

export interface SimClusterOptions {
  readonly clock: SimClock;
  readonly seed?: number;
  /** Number of worker nodes (default 3). */
  readonly nodes?: number;
  readonly historyLimit?: number;
  readonly kubeletTimings?: KubeletTimings;
  readonly endpointSliceSyncMs?: readonly [number, number];
  /** Freeze stored objects so accidental mutation throws (tests). */
  readonly freeze?: boolean;
}

export class SimClusterError extends Error {
  override name = "SimClusterError";
}

export class SimCluster {
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly rng: Rng;
  readonly events: EventRecorder;
  readonly runtimes = new PodRuntimes();
  readonly members: MemberLog;
  readonly disruption: DisruptionController;
  readonly nodes: readonly SimNode[];
  private readonly kubelets: Kubelet[];
  private readonly controllers: { stop(): void }[];
  private readonly planes: DataPlane[] = [];
  private readonly planeListeners = new Set<(plane: DataPlane) => void>();
  private nextServiceIp = 10;

  constructor(o: SimClusterOptions) {
    this.clock = o.clock;
    this.rng = createRng(o.seed ?? 1);
    this.store = new ObjectStore({ clock: o.clock, rng: this.rng.fork("apiserver"), historyLimit: o.historyLimit, freeze: o.freeze });
    this.events = new EventRecorder(this.store, o.clock);
    this.members = new MemberLog(o.clock);
    this.disruption = new DisruptionController(this.store, o.clock);
    const ctx: ControllerContext = { store: this.store, clock: o.clock, rng: this.rng.fork("controllers"), events: this.events };
    this.nodes = Array.from({ length: o.nodes ?? 3 }, (_, i) => ({ name: `sim-node-${i + 1}`, ip: `172.18.0.${i + 2}`, cidrOctet: 100 + i }));
    for (const n of this.nodes) this.store.create("nodes", nodeObject(n.name, n.ip, `10.${n.cidrOctet}.0.0/16`, k8sTime(o.clock.now())));
    this.ensureNamespace("default");
    this.kubelets = this.nodes.map((n) => new Kubelet({ ...ctx, rng: this.rng.fork(`kubelet/${n.name}`) }, n, this.runtimes, o.kubeletTimings));
    this.controllers = [
      new Scheduler(ctx),
      new ReplicaSetController(ctx),
      new DeploymentController(ctx),
      new EndpointSliceController(ctx, { syncMs: o.endpointSliceSyncMs }),
    ];
  }

  stop(): void {
    for (const p of this.planes) p.stop();
    for (const c of this.controllers) c.stop();
    for (const k of this.kubelets) k.stop();
  }

  // ── data planes ────────────────────────────────────────────────────────────

  /** Add a data plane; one with the same name (e.g. from an earlier scenario run) is stopped and replaced. */
  addDataPlane<T extends DataPlane>(plane: T): T {
    this.removeDataPlane(plane.name);
    this.planes.push(plane);
    for (const l of [...this.planeListeners]) l(plane);
    return plane;
  }

  /** Be told when a scenario adds a data plane (the CLI prints its URL). */
  onDataPlaneAdded(listener: (plane: DataPlane) => void): () => void {
    this.planeListeners.add(listener);
    return () => this.planeListeners.delete(listener);
  }

  dataPlanes(): readonly DataPlane[] {
    return this.planes;
  }

  removeDataPlane(name: string): void {
    const i = this.planes.findIndex((p) => p.name === name);
    const plane = this.planes[i];
    if (!plane) return;
    plane.stop();
    this.planes.splice(i, 1);
  }

  /**
   * Wipe a namespace's objects at once (between looped scenario runs): kubelets forget its pods without
   * running their termination, and every object is deleted, so watchers see DELETED events.
   */
  resetNamespace(ns: string): void {
    this.members.retireNamespace(ns);
    for (const k of this.kubelets) k.forgetNamespace(ns);
    this.disruption.removeBudgets(ns);
    // Routing goes first, as when a team tears an app down: the Service and its slices, then the workloads.
    // Deleting pods while their endpoints are still listed would read as traffic sent to removed pods.
    for (const resource of ["services", "endpointslices", "deployments", "replicasets", "pods", "events"] as const) {
      for (const obj of this.store.list(resource, ns)) this.store.delete(resource, ns, obj.metadata.name);
    }
  }

  // ── objects ────────────────────────────────────────────────────────────────

  ensureNamespace(name: string): void {
    if (!this.store.get("namespaces", undefined, name)) this.store.create("namespaces", namespaceObject(name));
  }

  createDeployment(w: WorkloadSpec): Deployment {
    this.ensureNamespace(w.namespace);
    return this.store.create("deployments", deploymentObject(w));
  }

  allocateServiceIp(): string {
    const n = this.nextServiceIp++;
    return `10.96.${Math.floor(n / 250)}.${n % 250}`;
  }

  createService(s: Omit<ServiceSpec, "clusterIP"> & { clusterIP?: string }): Service {
    this.ensureNamespace(s.namespace);
    return this.store.create("services", serviceObject({ ...s, clusterIP: s.clusterIP ?? this.allocateServiceIp() }));
  }

  deployment(ns: string, name: string): Deployment {
    const d = this.store.get("deployments", ns, name);
    if (!d) throw new SimClusterError(`deployment ${ns}/${name} not found`);
    return d;
  }

  /** Pods of a namespace, optionally only those whose name starts with `prefix`. */
  pods(ns: string, prefix = ""): Pod[] {
    return this.store.list("pods", ns).filter((p) => p.metadata.name.startsWith(prefix));
  }

  // ── actions ────────────────────────────────────────────────────────────────

  /** `kubectl rollout restart`: stamp the template so a new ReplicaSet rolls. */
  rolloutRestart(ns: string, name: string): void {
    this.deployment(ns, name);
    this.store.update("deployments", ns, name, (d) => {
      d.spec.template.metadata.annotations = { ...d.spec.template.metadata.annotations, "kubectl.kubernetes.io/restartedAt": new Date(Math.floor(this.clock.now())).toISOString().replace(/\.\d+Z$/, "Z") };
    });
  }

  setImage(ns: string, name: string, image: string): void {
    this.deployment(ns, name);
    this.store.update("deployments", ns, name, (d) => {
      for (const c of d.spec.template.spec.containers) c.image = image;
    });
  }

  scale(ns: string, name: string, replicas: number): void {
    this.deployment(ns, name);
    this.store.update("deployments", ns, name, (d) => {
      d.spec.replicas = replicas;
    });
  }

  deletePod(ns: string, name: string, graceSeconds?: number): DeleteOutcome {
    return deletePod(this.store, this.clock, ns, name, graceSeconds);
  }

  forceDeletePod(ns: string, name: string): DeleteOutcome {
    return forceDeletePod(this.store, this.clock, ns, name);
  }

  addDisruptionBudget(b: DisruptionBudget): void {
    this.disruption.addBudget(b);
  }

  evictPod(ns: string, name: string): EvictionResult {
    return this.disruption.evict(ns, name);
  }

  /** `kubectl cordon`. */
  cordon(nodeName: string): void {
    this.store.update("nodes", undefined, nodeName, (n) => {
      n.spec.unschedulable = true;
      n.spec.taints = [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded: k8sTime(this.clock.now()) }];
    });
  }

  /**
   * `kubectl drain`: cordon, then evict every pod on the node, retrying refused evictions every
   * `retryMs` (kubectl waits 5 s), until all are gone from the node.
   */
  async drainNode(nodeName: string, o: { retryMs?: number; timeoutMs?: number } = {}): Promise<{ refused: number }> {
    this.cordon(nodeName);
    let refused = 0;
    const onNode = (): Pod[] => this.store.list("pods").filter((p) => p.spec.nodeName === nodeName);
    const pending = new Set(onNode().map((p) => p.metadata.uid));
    const attempt = (): void => {
      for (const p of onNode()) {
        if (!pending.has(p.metadata.uid) || p.metadata.deletionTimestamp) continue;
        const r = this.evictPod(p.metadata.namespace ?? "", p.metadata.name);
        if (r.allowed) pending.delete(p.metadata.uid);
        else refused++;
      }
    };
    const timeoutMs = o.timeoutMs ?? 600_000;
    const deadline = this.clock.now() + timeoutMs;
    attempt();
    while ([...pending].some((uid) => onNode().some((p) => p.metadata.uid === uid && !p.metadata.deletionTimestamp))) {
      if (this.clock.now() >= deadline) throw new SimClusterError(`drain of ${nodeName}: evictions still refused after ${timeoutMs / 1000} s`);
      await this.clock.sleep(o.retryMs ?? 5000);
      attempt();
    }
    await this.waitUntil(() => onNode().length === 0, { timeoutMs, what: `node ${nodeName} to be drained` });
    return { refused };
  }

  /** Make a pod's liveness probe fail from now on (its process hangs); the kubelet restarts it. */
  failLiveness(ns: string, podName: string, container?: string): void {
    const pod = this.store.get("pods", ns, podName);
    const kubelet = this.kubelets.find((k) => k.node.name === pod?.spec.nodeName);
    if (!pod || !kubelet?.failLiveness(pod.metadata.uid, container)) throw new SimClusterError(`pod ${ns}/${podName} is not running on a node`);
  }

  // ── waiting ────────────────────────────────────────────────────────────────

  waitUntil(condition: () => boolean, o: WaitOptions): Promise<void> {
    return waitUntil(this.clock, condition, o);
  }

  /** A Deployment is rolled out: all replicas updated and available, and no other pod of it left. */
  isRolledOut(ns: string, name: string): boolean {
    const d = this.store.get("deployments", ns, name);
    if (!d) return false;
    const s = d.status;
    const settled = (s.updatedReplicas ?? 0) === d.spec.replicas && (s.availableReplicas ?? 0) === d.spec.replicas && (s.replicas ?? 0) === d.spec.replicas;
    const podCount = this.store.list("pods", ns).filter((p) => p.metadata.labels?.app === d.spec.selector.matchLabels.app).length;
    return settled && podCount === d.spec.replicas && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
  }

  waitForRollout(ns: string, name: string, timeoutMs = 600_000): Promise<void> {
    return this.waitUntil(() => this.isRolledOut(ns, name), { timeoutMs, what: `deployment ${ns}/${name} to roll out` });
  }
}
