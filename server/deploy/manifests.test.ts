/**
 * The Kubernetes manifests (deploy/), rendered by `kubectl kustomize` as `kubectl apply -k` would:
 * read-only RBAC that covers exactly what the watcher reads, the security context, distinct probes,
 * Secret references, and what each overlay changes.
 */
import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_LEASE_NAME } from "../runtime/leader-config";
import { WATCHED_RESOURCES } from "../watcher/resources";
import { allows, apiGroupOf, PolicyRuleSchema, type PolicyRule } from "./rbac";
import { DEPLOY_DIR, KUSTOMIZATIONS, kubectlMissing, render, type KubeObject } from "./render";

const missing = kubectlMissing();
if (missing) console.warn(`deploy manifest tests skipped: ${missing}`);

const EnvVarSchema = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z
    .object({
      secretKeyRef: z.object({ name: z.string(), key: z.string(), optional: z.boolean().optional() }).optional(),
      fieldRef: z.object({ fieldPath: z.string() }).optional(),
    })
    .optional(),
});
const ProbeSchema = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }) });
const DeploymentSchema = z.object({
  spec: z.object({
    replicas: z.number(),
    strategy: z.object({ type: z.string() }),
    template: z.object({
      spec: z.object({
        serviceAccountName: z.string(),
        securityContext: z.object({ runAsNonRoot: z.boolean(), runAsUser: z.number(), seccompProfile: z.object({ type: z.string() }) }),
        containers: z.array(
          z.object({
            name: z.string(),
            env: z.array(EnvVarSchema),
            securityContext: z.object({
              runAsNonRoot: z.boolean(),
              allowPrivilegeEscalation: z.boolean(),
              readOnlyRootFilesystem: z.boolean(),
              capabilities: z.object({ drop: z.array(z.string()), add: z.array(z.string()).optional() }),
              seccompProfile: z.object({ type: z.string() }),
            }),
            livenessProbe: ProbeSchema,
            readinessProbe: ProbeSchema,
            resources: z.object({
              requests: z.object({ cpu: z.string(), memory: z.string() }),
              limits: z.object({ memory: z.string() }),
            }),
            volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })),
          }),
        ),
        volumes: z.array(z.looseObject({ name: z.string() })),
      }),
    }),
  }),
});
const RoleSchema = z.object({ rules: z.array(PolicyRuleSchema) });
const BindingSchema = z.object({
  roleRef: z.object({ kind: z.string(), name: z.string() }),
  subjects: z.array(z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional() })),
});

const rendered = new Map<string, KubeObject[]>();
const objects = (k: string) => rendered.get(k) ?? [];
const ofKind = (k: string, kind: string) => objects(k).filter((o) => o.kind === kind);
const deployment = (k: string) => {
  const d = ofKind(k, "Deployment");
  expect(d).toHaveLength(1);
  return DeploymentSchema.parse(d[0]);
};
const container = (k: string) => {
  const c = deployment(k).spec.template.spec.containers;
  expect(c).toHaveLength(1);
  const first = c[0];
  if (!first) throw new Error("no container");
  return first;
};
const env = (k: string, name: string) => container(k).env.find((e) => e.name === name);

/** Rules granted to the Deployment's service account, split by where they apply. */
function grantedRules(k: string): { clusterWide: PolicyRule[]; inNamespace: PolicyRule[]; namespace: string } {
  const sa = deployment(k).spec.template.spec.serviceAccountName;
  const namespace = ofKind(k, "Deployment")[0]?.metadata.namespace ?? "";
  const rulesOf = (kind: string, name: string) => {
    const role = objects(k).find((o) => o.kind === kind && o.metadata.name === name);
    return role ? RoleSchema.parse(role).rules : [];
  };
  const bound = (kind: string) =>
    objects(k)
      .filter((o) => o.kind === kind)
      .map((o) => BindingSchema.parse(o))
      .filter((b) => b.subjects.some((s) => s.kind === "ServiceAccount" && s.name === sa && s.namespace === namespace));
  return {
    clusterWide: bound("ClusterRoleBinding").flatMap((b) => rulesOf("ClusterRole", b.roleRef.name)),
    inNamespace: bound("RoleBinding").flatMap((b) => rulesOf(b.roleRef.kind, b.roleRef.name)),
    namespace,
  };
}

const READ = ["get", "list", "watch"] as const;
const isLeaseRule = (r: PolicyRule) => r.apiGroups.join() === "coordination.k8s.io" && r.resources.join() === "leases";

describe.skipIf(missing !== undefined)("deploy/ manifests (kubectl kustomize)", () => {
  beforeAll(() => {
    for (const k of KUSTOMIZATIONS) rendered.set(k, render(k));
  });

  it.each(KUSTOMIZATIONS)("%s renders the service account, deployment, ClusterIP service and network policy", (k) => {
    for (const kind of ["ServiceAccount", "Deployment", "Service", "NetworkPolicy"]) expect(ofKind(k, kind), kind).toHaveLength(1);
    expect(ofKind(k, "Service")[0]).toMatchObject({ spec: { type: "ClusterIP" } });
    for (const o of objects(k)) if (!o.kind.startsWith("Cluster")) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe("drainscope");
  });

  it.each(KUSTOMIZATIONS)("%s: every RBAC rule is read-only, except one named Lease", (k) => {
    const roles = [...ofKind(k, "ClusterRole"), ...ofKind(k, "Role")];
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const rule of RoleSchema.parse(role).rules) {
        for (const list of [rule.apiGroups, rule.resources, rule.verbs]) expect(list).not.toContain("*");
        expect(rule.resources).not.toContain("secrets");
        if (isLeaseRule(rule)) {
          expect(role.kind, "the Lease is namespaced: a Role, never a ClusterRole").toBe("Role");
          if (rule.resourceNames) {
            expect(rule.resourceNames).toEqual([DEFAULT_LEASE_NAME]);
            expect([...rule.verbs].sort()).toEqual(["get", "update"]);
          } else {
            expect(rule.verbs).toEqual(["create"]); // RBAC cannot name an object that does not exist yet
          }
        } else {
          for (const verb of rule.verbs) expect(READ, `${role.kind}/${role.metadata.name} ${rule.resources.join()}: ${verb}`).toContain(verb);
        }
      }
    }
  });

  it("the cluster-wide reader grants exactly the watched kinds (both Event APIs included)", () => {
    const { clusterWide } = grantedRules("base");
    const pairs = clusterWide.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))).sort();
    expect(pairs).toEqual(["/events", "/pods", "/services", "apps/deployments", "apps/replicasets", "discovery.k8s.io/endpointslices", "events.k8s.io/events"]);
  });

  it.each(KUSTOMIZATIONS)("%s: the service account may get/list/watch every resource the watcher reads, and hold its Lease", (k) => {
    const { clusterWide, inNamespace } = grantedRules(k);
    const namespaced = k === "overlays/namespaced";
    expect(clusterWide.length > 0).toBe(!namespaced);
    const readRules = namespaced ? inNamespace : clusterWide;
    for (const r of WATCHED_RESOURCES)
      for (const verb of READ) expect(allows(readRules, { group: apiGroupOf(r.prefix), resource: r.name, verb }), `${verb} ${r.prefix} ${r.name}`).toBe(true);
    for (const verb of ["get", "update"]) expect(allows(inNamespace, { group: "coordination.k8s.io", resource: "leases", verb, name: DEFAULT_LEASE_NAME })).toBe(true);
    expect(allows(inNamespace, { group: "coordination.k8s.io", resource: "leases", verb: "create" })).toBe(true);
    // Only the one Lease: another name, or deleting it, is refused.
    expect(allows(inNamespace, { group: "coordination.k8s.io", resource: "leases", verb: "update", name: "kube-controller-manager" })).toBe(false);
    expect(allows([...inNamespace, ...clusterWide], { group: "coordination.k8s.io", resource: "leases", verb: "delete", name: DEFAULT_LEASE_NAME })).toBe(false);
  });

  it("a resource added to the watcher without its rule would fail the check above", () => {
    const { clusterWide } = grantedRules("base");
    expect(allows(clusterWide, { group: apiGroupOf("/apis/apps/v1"), resource: "statefulsets", verb: "watch" })).toBe(false);
    expect(allows(clusterWide, { group: apiGroupOf("/api/v1"), resource: "nodes", verb: "list" })).toBe(false);
    expect(allows(clusterWide, { group: "", resource: "pods", verb: "delete" })).toBe(false);
  });

  it.each(KUSTOMIZATIONS)("%s: non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp", (k) => {
    const pod = deployment(k).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    const c = container(k);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.securityContext.capabilities.drop).toEqual(["ALL"]);
    expect(c.securityContext.capabilities.add ?? []).toEqual([]);
    // With a read-only root, the only writable places are the data volume and /tmp.
    expect(c.volumeMounts.map((m) => m.mountPath).sort()).toEqual(["/data", "/tmp"]);
  });

  it.each(KUSTOMIZATIONS)("%s: liveness and readiness probe distinct endpoints the app serves", (k) => {
    const c = container(k);
    expect(c.livenessProbe.httpGet).toEqual({ path: "/api/livez", port: "http" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/api/readyz", port: "http" });
    for (const p of ["livez", "readyz"]) expect(existsSync(`${DEPLOY_DIR}../app/api/${p}/route.ts`), p).toBe(true);
  });

  it.each(KUSTOMIZATIONS)("%s: resources requested and memory limited; tokens come from Secrets", (k) => {
    const c = container(k);
    expect(c.resources.requests).toEqual({ cpu: "250m", memory: "512Mi" });
    expect(c.resources.limits.memory).toBe("1Gi");
    expect(env(k, "DRAINSCOPE_AUTH_TOKEN")?.valueFrom?.secretKeyRef).toEqual({ name: "drainscope-auth", key: "token" });
    expect(env(k, "DRAINSCOPE_INGEST_TOKEN")?.valueFrom?.secretKeyRef).toEqual({ name: "drainscope-ingest", key: "token", optional: true });
    expect(env(k, "DRAINSCOPE_SIMULATE")?.value).toBe("off");
    // The Host guard must answer to the Service's cluster DNS names (ingest from other pods goes through them).
    const service = ofKind(k, "Service")[0];
    const svc = `${service?.metadata.name ?? ""}.${service?.metadata.namespace ?? ""}`;
    expect(env(k, "DRAINSCOPE_ALLOWED_HOSTS")?.value?.split(",")).toEqual(expect.arrayContaining([svc, `${svc}.svc`, `${svc}.svc.cluster.local`]));
    for (const e of container(k).env) if (/TOKEN|PASSWORD|DATABASE_URL/.test(e.name)) expect(e.value, e.name).toBeUndefined();
  });

  it("base: one replica on a SQLite volume, replaced rather than overlapped", () => {
    const d = deployment("base");
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy.type).toBe("Recreate");
    expect(ofKind("base", "PersistentVolumeClaim").map((o) => o.metadata.name)).toEqual(["drainscope-data"]);
    expect(d.spec.template.spec.volumes.find((v) => v.name === "data")).toMatchObject({ persistentVolumeClaim: { claimName: "drainscope-data" } });
  });

  it("namespaced overlay: no cluster-wide rights, watches its own namespace", () => {
    expect(ofKind("overlays/namespaced", "ClusterRole")).toEqual([]);
    expect(ofKind("overlays/namespaced", "ClusterRoleBinding")).toEqual([]);
    expect(env("overlays/namespaced", "DRAINSCOPE_NAMESPACES")?.valueFrom?.fieldRef).toEqual({ fieldPath: "metadata.namespace" });
  });

  it("postgres overlay: 2+ replicas, DATABASE_URL from a Secret, leader election on the named Lease, no PVC", () => {
    const k = "overlays/postgres";
    const d = deployment(k);
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(d.spec.strategy.type).toBe("RollingUpdate");
    expect(env(k, "DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({ name: "drainscope-postgres", key: "url" });
    expect(env(k, "DRAINSCOPE_LEADER_ELECTION")?.value).toBe("lease");
    expect(env(k, "DRAINSCOPE_LEASE_NAME")?.value).toBe(DEFAULT_LEASE_NAME);
    expect(ofKind(k, "PersistentVolumeClaim")).toEqual([]);
    expect(d.spec.template.spec.volumes.find((v) => v.name === "data")).toEqual({ name: "data", emptyDir: { sizeLimit: "256Mi" } });
    expect(JSON.stringify(ofKind(k, "NetworkPolicy")[0])).toContain('"port":5432');
    expect(ofKind(k, "PodDisruptionBudget")).toHaveLength(1);
  });

  it("the README's install section is at most three commands and matches the manifests", () => {
    const readme = readFileSync(`${DEPLOY_DIR}../README.md`, "utf8");
    const section = /## Install in a cluster\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const commands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "").split("\n").filter((l) => l.trim() !== "");
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.length).toBeLessThanOrEqual(3);
    const k = "overlays/cluster-wide";
    const namespace = ofKind(k, "Deployment")[0]?.metadata.namespace;
    expect(commands[0]).toBe(`kubectl create namespace ${namespace}`);
    const secret = env(k, "DRAINSCOPE_AUTH_TOKEN")?.valueFrom?.secretKeyRef;
    expect(commands[1]).toContain(`kubectl -n ${namespace} create secret generic ${secret?.name} --from-literal=${secret?.key}=`);
    const applied = /kubectl apply -k deploy\/(\S+)/.exec(commands[2] ?? "")?.[1];
    expect(KUSTOMIZATIONS).toContain(applied);
  });

  it("the image runs as the numeric user the manifests require, with no HEALTHCHECK", () => {
    const dockerfile = readFileSync(`${DEPLOY_DIR}../Dockerfile`, "utf8");
    const user = /^USER (\d+):(\d+)$/m.exec(dockerfile);
    expect(user?.[1]).toBe(String(deployment("base").spec.template.spec.securityContext.runAsUser));
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });
});

describe("RBAC evaluation", () => {
  const rules: PolicyRule[] = [
    { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list"] },
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["update"], resourceNames: ["a"] },
  ];
  it("matches group, resource, verb and name", () => {
    expect(allows(rules, { group: "apps", resource: "deployments", verb: "list" })).toBe(true);
    expect(allows(rules, { group: "apps", resource: "deployments", verb: "watch" })).toBe(false);
    expect(allows(rules, { group: "", resource: "deployments", verb: "get" })).toBe(false);
    expect(allows(rules, { group: "coordination.k8s.io", resource: "leases", verb: "update", name: "a" })).toBe(true);
    expect(allows(rules, { group: "coordination.k8s.io", resource: "leases", verb: "update", name: "b" })).toBe(false);
    expect(allows(rules, { group: "coordination.k8s.io", resource: "leases", verb: "update" })).toBe(false);
    expect(allows([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], { group: "x", resource: "y", verb: "delete" })).toBe(true);
  });
  it("maps API path prefixes to groups", () => {
    expect(apiGroupOf("/api/v1")).toBe("");
    expect(apiGroupOf("/apis/discovery.k8s.io/v1")).toBe("discovery.k8s.io");
    expect(() => apiGroupOf("/apis/apps")).toThrow();
  });
});
