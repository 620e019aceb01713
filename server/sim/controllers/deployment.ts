/**
 * The Deployment controller, RollingUpdate only: one ReplicaSet per template (pod-template-hash label,
 * `deployment.kubernetes.io/revision` / desired-replicas / max-replicas annotations), scaled in rounds
 * gated on readiness (see rollout-math), with `ScalingReplicaSet` events and status/conditions shaped
 * like the fixtures'.
 */
import { k8sTime } from "../core/time-format";
import type { StoreChange } from "../api/store";
import type { Deployment, DeploymentCondition, ReplicaSet } from "../k8s/types";
import { type ControllerContext, WorkQueue, nsName, splitKey } from "./context";
import { ownerUid } from "./replicaset";
import { newReplicaSetTarget, planOldScaleDown, surgeAndUnavailable, templateHash, type RsCounts } from "./rollout-math";

const REVISION = "deployment.kubernetes.io/revision";

function counts(rs: ReplicaSet): RsCounts {
  return { specReplicas: rs.spec.replicas, available: rs.status.availableReplicas ?? 0 };
}

function setCondition(d: Deployment, c: Omit<DeploymentCondition, "lastTransitionTime" | "lastUpdateTime">, nowIso: string): void {
  const list = (d.status.conditions ??= []);
  const i = list.findIndex((x) => x.type === c.type);
  const old = list[i];
  const next: DeploymentCondition = {
    type: c.type,
    status: c.status,
    lastUpdateTime: old && old.status === c.status && old.reason === c.reason && old.message === c.message ? old.lastUpdateTime : nowIso,
    lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : nowIso,
    reason: c.reason,
    message: c.message,
  };
  if (old) list[i] = next;
  else list.push(next);
}

export class DeploymentController {
  private readonly queue: WorkQueue;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ControllerContext) {
    const rng = ctx.rng.fork("deployment-controller");
    this.queue = new WorkQueue(ctx.clock, () => rng.between(3, 10), (key) => this.sync(key));
    this.unsubscribe = ctx.store.subscribe((c) => this.onChange(c));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(c: StoreChange): void {
    if (c.resource === "deployments" && c.type !== "DELETED") this.queue.add(nsName(c.object.metadata.namespace, c.object.metadata.name));
    if (c.resource === "replicasets") {
      const owner = c.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === "Deployment");
      if (owner) this.queue.add(nsName(c.object.metadata.namespace, owner.name));
    }
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const d = this.ctx.store.get("deployments", ns, name);
    if (!d) return;
    const owned = this.ctx.store
      .list("replicasets", ns)
      .filter((rs) => ownerUid(rs) === d.metadata.uid)
      .sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : 0));
    const hash = templateHash(d.spec.template);
    const { surge, unavailable } = surgeAndUnavailable(d.spec.replicas, d.spec.strategy.rollingUpdate?.maxSurge, d.spec.strategy.rollingUpdate?.maxUnavailable);
    let newRs = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    const olds = owned.filter((rs) => rs !== newRs);

    if (!newRs) {
      newRs = this.createNewRs(d, hash, olds, surge);
    } else if (newRs.spec.replicas > d.spec.replicas) {
      this.scale(d, newRs, d.spec.replicas);
    } else {
      const target = newReplicaSetTarget(d.spec.replicas, surge, counts(newRs), owned.map(counts));
      if (target > newRs.spec.replicas) this.scale(d, newRs, target);
    }
    const current = this.ctx.store.get("replicasets", ns, newRs.metadata.name) ?? newRs;
    const sizes = planOldScaleDown(d.spec.replicas, unavailable, counts(current), olds.map(counts));
    olds.forEach((rs, i) => {
      const size = sizes[i];
      if (size !== undefined && size < rs.spec.replicas) this.scale(d, rs, size);
    });
    this.writeStatus(d, current, unavailable);
  }

  private createNewRs(d: Deployment, hash: string, olds: readonly ReplicaSet[], surge: number): ReplicaSet {
    const activeOld = olds.some((rs) => rs.spec.replicas > 0);
    const replicas = activeOld
      ? newReplicaSetTarget(d.spec.replicas, surge, { specReplicas: 0, available: 0 }, olds.map(counts))
      : d.spec.replicas;
    const revision = 1 + olds.reduce((n, rs) => Math.max(n, Number(rs.metadata.annotations?.[REVISION] ?? 0)), 0);
    const labels = { ...d.spec.template.metadata.labels, "pod-template-hash": hash };
    const rs = this.ctx.store.create("replicasets", {
      kind: "ReplicaSet",
      apiVersion: "apps/v1",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        uid: "",
        resourceVersion: "",
        creationTimestamp: "",
        labels,
        annotations: {
          "deployment.kubernetes.io/desired-replicas": String(d.spec.replicas),
          "deployment.kubernetes.io/max-replicas": String(d.spec.replicas + surge),
          [REVISION]: String(revision),
        },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...d.spec.selector.matchLabels, "pod-template-hash": hash } },
        template: { metadata: { ...d.spec.template.metadata, labels }, spec: d.spec.template.spec },
      },
      status: { replicas: 0 },
    });
    const nowIso = k8sTime(this.ctx.clock.now());
    this.ctx.store.update("deployments", d.metadata.namespace, d.metadata.name, (x) => {
      x.metadata.annotations = { ...x.metadata.annotations, [REVISION]: String(revision) };
      setCondition(x, { type: "Progressing", status: "True", reason: "NewReplicaSetCreated", message: `Created new replica set "${rs.metadata.name}"` }, nowIso);
    });
    if (replicas > 0) this.scalingEvent(d, rs.metadata.name, 0, replicas);
    return rs;
  }

  private scale(d: Deployment, rs: ReplicaSet, to: number): void {
    const from = rs.spec.replicas;
    this.ctx.store.update("replicasets", rs.metadata.namespace, rs.metadata.name, (r) => {
      r.spec.replicas = to;
      r.metadata.annotations = { ...r.metadata.annotations, "deployment.kubernetes.io/desired-replicas": String(d.spec.replicas) };
    });
    this.scalingEvent(d, rs.metadata.name, from, to);
  }

  private scalingEvent(d: Deployment, rsName: string, from: number, to: number): void {
    const verb = to > from ? "up" : "down";
    const message = from === 0 ? `Scaled ${verb} replica set ${rsName} to ${to}` : `Scaled ${verb} replica set ${rsName} to ${to} from ${from}`;
    this.ctx.events.record({ involved: d, reason: "ScalingReplicaSet", message, source: { component: "deployment-controller" } });
  }

  private writeStatus(d: Deployment, newRs: ReplicaSet, unavailable: number): void {
    const all = this.ctx.store.list("replicasets", d.metadata.namespace).filter((rs) => ownerUid(rs) === d.metadata.uid);
    const sum = (f: (rs: ReplicaSet) => number | undefined): number => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
    const replicas = sum((rs) => rs.status.replicas);
    const available = sum((rs) => rs.status.availableReplicas);
    const updated = this.ctx.store.get("replicasets", newRs.metadata.namespace, newRs.metadata.name)?.status.replicas ?? 0;
    const nowIso = k8sTime(this.ctx.clock.now());
    const rsName = newRs.metadata.name;
    this.ctx.store.update("deployments", d.metadata.namespace, d.metadata.name, (x) => {
      const { conditions } = x.status;
      x.status = {
        observedGeneration: x.metadata.generation ?? 1,
        ...(replicas > 0 ? { replicas } : {}),
        ...(updated > 0 ? { updatedReplicas: updated } : {}),
        ...(sum((rs) => rs.status.readyReplicas) > 0 ? { readyReplicas: sum((rs) => rs.status.readyReplicas) } : {}),
        ...(available > 0 ? { availableReplicas: available } : {}),
        ...(x.spec.replicas - available > 0 ? { unavailableReplicas: x.spec.replicas - available } : {}),
        ...(conditions ? { conditions } : {}),
      };
      const minAvailable = available >= x.spec.replicas - unavailable;
      setCondition(
        x,
        minAvailable
          ? { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." }
          : { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
        nowIso,
      );
      const complete = updated === x.spec.replicas && available === x.spec.replicas && replicas === x.spec.replicas;
      setCondition(
        x,
        complete
          ? { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${rsName}" has successfully progressed.` }
          : { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${rsName}" is progressing.` },
        nowIso,
      );
    });
  }
}
