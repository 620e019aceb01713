/**
 * ReplicaSets, Deployments, Services and load-balancer members: reported when the fields the engine
 * uses change (owner chain and revision, replicas, traffic policy, member state), not on every write.
 */
import type { LifecycleEvent } from "../model/events";
import type { Deployment, LoadBalancerMember, ReplicaSet, Service } from "../k8s/objects";
import type { NormalizerContext } from "./state";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

function changed(ctx: NormalizerContext, key: string, signature: string): boolean {
  if (ctx.state.signatures.get(key) === signature) return false;
  ctx.state.signatures.set(key, signature);
  return true;
}

function common(ctx: NormalizerContext, namespace: string | null | undefined, source: string) {
  const r = ctx.receivedAt;
  const observed = r.precision === "exact" && r.clock === "watcher" ? { observedAt: r.at } : {};
  return { cluster: ctx.state.cluster, namespace: namespace ?? "default", source, ...r, ...observed, seq: ctx.seq };
}

export function normalizeReplicaSet(ctx: NormalizerContext, rs: ReplicaSet): LifecycleEvent[] {
  const m = rs.metadata;
  const owner = (m.ownerReferences ?? []).find((o) => o.kind === "Deployment");
  const revision = m.annotations?.[REVISION_ANNOTATION];
  const replicas = rs.spec?.replicas ?? 1;
  const sig = `${owner?.name ?? ""}|${revision ?? ""}|${replicas}`;
  if (ctx.watchType === "DELETED") {
    ctx.state.signatures.delete(`rs:${m.uid}`);
    return [];
  }
  if (!changed(ctx, `rs:${m.uid}`, sig)) return [];
  return [
    {
      ...common(ctx, m.namespace, "replicaset"),
      id: `rs:${m.uid}:${sig}`,
      type: "replicaset-seen",
      name: m.name,
      uid: m.uid,
      ...(owner ? { deployment: owner.name } : {}),
      ...(revision ? { revision } : {}),
      replicas,
    },
  ];
}

export function normalizeDeployment(ctx: NormalizerContext, d: Deployment): LifecycleEvent[] {
  const m = d.metadata;
  if (ctx.watchType === "DELETED") {
    ctx.state.signatures.delete(`deploy:${m.uid}`);
    return [];
  }
  const strategy = d.spec?.strategy?.type ?? "RollingUpdate";
  const ru = d.spec?.strategy?.rollingUpdate;
  const replicas = d.spec?.replicas ?? 1;
  const revision = m.annotations?.[REVISION_ANNOTATION];
  const maxSurge = ru?.maxSurge != null ? String(ru.maxSurge) : undefined;
  const maxUnavailable = ru?.maxUnavailable != null ? String(ru.maxUnavailable) : undefined;
  const sig = `${replicas}|${strategy}|${maxSurge ?? ""}|${maxUnavailable ?? ""}|${revision ?? ""}`;
  if (!changed(ctx, `deploy:${m.uid}`, sig)) return [];
  return [
    {
      ...common(ctx, m.namespace, "deployment"),
      id: `deploy:${m.uid}:${sig}`,
      type: "deployment-seen",
      name: m.name,
      uid: m.uid,
      replicas,
      strategy,
      ...(maxSurge ? { maxSurge } : {}),
      ...(maxUnavailable ? { maxUnavailable } : {}),
      ...(revision ? { revision } : {}),
    },
  ];
}

export function normalizeService(ctx: NormalizerContext, s: Service): LifecycleEvent[] {
  const m = s.metadata;
  const deleted = ctx.watchType === "DELETED";
  const hasSelector = Object.keys(s.spec?.selector ?? {}).length > 0;
  const serviceType = s.spec?.type ?? "ClusterIP";
  const etp = s.spec?.externalTrafficPolicy ?? undefined;
  const pna = s.spec?.publishNotReadyAddresses ?? false;
  const sig = `${hasSelector}|${serviceType}|${etp ?? ""}|${pna}|${deleted}`;
  if (!changed(ctx, `svc:${m.uid}`, sig)) return [];
  return [
    {
      ...common(ctx, m.namespace, "service"),
      id: `svc:${m.uid}:${sig}`,
      type: "service-seen",
      name: m.name,
      uid: m.uid,
      hasSelector,
      serviceType,
      ...(etp ? { externalTrafficPolicy: etp } : {}),
      publishNotReadyAddresses: pna,
      deleted,
    },
  ];
}

export function normalizeLbMember(ctx: NormalizerContext, lbm: LoadBalancerMember): LifecycleEvent[] {
  const { lb, source, service } = lbm.spec;
  const member = lbm.metadata.name;
  const st = lbm.status;
  const state = ctx.watchType === "DELETED" ? "removed" : st.state;
  const sig = `${state}|${st.weight ?? ""}|${st.connections ?? ""}`;
  const key = `lb:${source}:${lb}:${member}`;
  if (!changed(ctx, key, sig)) return [];
  return [
    {
      ...common(ctx, lbm.metadata.namespace, source),
      id: `${key}:${ctx.receivedAt.at}:${sig}`,
      type: "lb-member-changed",
      lbSource: source,
      lb,
      member,
      state,
      ...(st.weight != null ? { weight: st.weight } : {}),
      ...(st.connections != null ? { connections: st.connections } : {}),
      ...(service ? { service } : {}),
    },
  ];
}
