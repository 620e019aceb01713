/**
 * Builders for the objects scenarios create (namespaces, nodes, services, deployments) and the pods a
 * ReplicaSet stamps out, shaped like the v1.24 objects in shared/fixtures: the same fields, defaults and
 * order (admission-added volumes, tolerations, service account…), without managedFields.
 */
import type { Rng } from "../core/rng";
import { ON_SIGTERM, PRESTOP_FAILS, PRESTOP_SECONDS, READY_AFTER, sigtermAnnotation, type SigtermBehaviour } from "./app-profile";
import type { Container, Deployment, Labels, LifecycleHandler, Namespace, Node, Pod, PodTemplateSpec, Probe, ReplicaSet, Service } from "./types";

export type PreStopSpec =
  | { readonly kind: "exec-sleep"; readonly seconds: number }
  | { readonly kind: "sleep"; readonly seconds: number }
  | { readonly kind: "exec"; readonly command: readonly string[]; readonly seconds: number; readonly fails?: boolean };

export interface ProbeSpec {
  readonly path: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds?: number;
}

export interface WorkloadSpec {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly image?: string;
  readonly container?: string;
  readonly port?: number;
  readonly graceSeconds: number;
  readonly preStop?: PreStopSpec;
  /** Default: httpGet /healthz every 1 s, 3 failures. `false` = no readiness probe. */
  readonly readiness?: ProbeSpec | false;
  readonly liveness?: ProbeSpec;
  readonly onSigterm: SigtermBehaviour;
  readonly readyAfterSeconds: number;
  readonly maxSurge?: number | string;
  readonly maxUnavailable?: number | string;
  readonly extraLabels?: Labels;
}

function probe(p: ProbeSpec): Probe {
  return {
    httpGet: { path: p.path, port: "http", scheme: "HTTP" },
    ...(p.initialDelaySeconds ? { initialDelaySeconds: p.initialDelaySeconds } : {}),
    timeoutSeconds: 1,
    periodSeconds: p.periodSeconds,
    successThreshold: 1,
    failureThreshold: p.failureThreshold,
  };
}

function preStopHandler(p: PreStopSpec): LifecycleHandler {
  switch (p.kind) {
    case "exec-sleep":
      return { exec: { command: ["sh", "-c", `sleep ${p.seconds}`] } };
    case "sleep":
      return { sleep: { seconds: p.seconds } };
    case "exec":
      return { exec: { command: [...p.command] } };
  }
}

export const DEFAULT_READINESS: ProbeSpec = { path: "/healthz", periodSeconds: 1, failureThreshold: 3 };

export function podTemplate(w: WorkloadSpec): PodTemplateSpec {
  const annotations: Labels = { [ON_SIGTERM]: sigtermAnnotation(w.onSigterm), [READY_AFTER]: String(w.readyAfterSeconds) };
  if (w.preStop?.kind === "exec") {
    annotations[PRESTOP_SECONDS] = String(w.preStop.seconds);
    if (w.preStop.fails) annotations[PRESTOP_FAILS] = "true";
  }
  const readiness = w.readiness === undefined ? DEFAULT_READINESS : w.readiness;
  const container: Container = {
    name: w.container ?? w.name,
    image: w.image ?? "registry.example/web:1.0",
    ports: [{ name: "http", containerPort: w.port ?? 8080, protocol: "TCP" }],
    resources: {},
    ...(w.liveness ? { livenessProbe: probe(w.liveness) } : {}),
    ...(readiness ? { readinessProbe: probe(readiness) } : {}),
    ...(w.preStop ? { lifecycle: { preStop: preStopHandler(w.preStop) } } : {}),
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: "IfNotPresent",
  };
  return {
    metadata: { creationTimestamp: null, labels: { app: w.name, ...w.extraLabels }, annotations },
    spec: {
      containers: [container],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: w.graceSeconds,
      dnsPolicy: "ClusterFirst",
      securityContext: {},
      schedulerName: "default-scheduler",
    },
  };
}

export function deploymentObject(w: WorkloadSpec): Deployment {
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: { name: w.name, namespace: w.namespace, uid: "", resourceVersion: "", creationTimestamp: "", labels: { app: w.name } },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { app: w.name } },
      template: podTemplate(w),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: w.maxUnavailable ?? 0, maxSurge: w.maxSurge ?? 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

export interface ServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: Labels;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly clusterIP: string;
  readonly type?: Service["spec"]["type"];
  readonly externalTrafficPolicy?: "Cluster" | "Local";
  readonly nodePort?: number;
  readonly healthCheckNodePort?: number;
  readonly loadBalancerIP?: string;
}

export function serviceObject(s: ServiceSpec): Service {
  const type = s.type ?? "ClusterIP";
  const external = type !== "ClusterIP";
  return {
    kind: "Service",
    apiVersion: "v1",
    metadata: { name: s.name, namespace: s.namespace, uid: "", resourceVersion: "", creationTimestamp: "" },
    spec: {
      ports: [{ name: "http", protocol: "TCP", port: s.port ?? 80, targetPort: s.targetPort ?? "http", ...(external ? { nodePort: s.nodePort ?? 30080 } : {}) }],
      ...(s.selector === undefined ? { selector: { app: s.name } } : Object.keys(s.selector).length > 0 ? { selector: s.selector } : {}),
      clusterIP: s.clusterIP,
      clusterIPs: [s.clusterIP],
      type,
      sessionAffinity: "None",
      ...(external ? { externalTrafficPolicy: s.externalTrafficPolicy ?? "Cluster" } : {}),
      ...(type === "LoadBalancer" && s.externalTrafficPolicy === "Local" ? { healthCheckNodePort: s.healthCheckNodePort ?? 32000 } : {}),
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ...(type === "LoadBalancer" ? { allocateLoadBalancerNodePorts: true } : {}),
      internalTrafficPolicy: "Cluster",
    },
    status: { loadBalancer: type === "LoadBalancer" && s.loadBalancerIP ? { ingress: [{ ip: s.loadBalancerIP }] } : {} },
  };
}

export function namespaceObject(name: string): Namespace {
  return {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: { name, uid: "", resourceVersion: "", creationTimestamp: "", labels: { "kubernetes.io/metadata.name": name } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

export function nodeObject(name: string, ip: string, podCIDR: string, nowIso: string): Node {
  return {
    kind: "Node",
    apiVersion: "v1",
    metadata: {
      name,
      uid: "",
      resourceVersion: "",
      creationTimestamp: "",
      labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" },
    },
    spec: { podCIDR },
    status: {
      conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: nowIso, lastTransitionTime: nowIso, reason: "KubeletReady", message: "kubelet is posting ready status" }],
      addresses: [
        { type: "InternalIP", address: ip },
        { type: "Hostname", address: name },
      ],
      nodeInfo: { kubeletVersion: "v1.24.17", containerRuntimeVersion: "containerd://1.7.0", operatingSystem: "linux", architecture: "amd64" },
    },
  };
}

const DEFAULT_TOLERATIONS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];

/** A pod as admission leaves it when a ReplicaSet creates it from its template. */
export function podFromReplicaSet(rs: ReplicaSet, rng: Rng): Pod {
  const template = rs.spec.template;
  const volume = `kube-api-access-${rng.nameSuffix()}`;
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name: "",
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      uid: "",
      resourceVersion: "",
      creationTimestamp: "",
      labels: { ...template.metadata.labels },
      ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      volumes: [
        {
          name: volume,
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: template.spec.containers.map((c) => {
        const { terminationMessagePath, terminationMessagePolicy, imagePullPolicy, livenessProbe, readinessProbe, lifecycle, ...head } = c;
        return {
          ...head,
          volumeMounts: [{ name: volume, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }],
          ...(livenessProbe ? { livenessProbe } : {}),
          ...(readinessProbe ? { readinessProbe } : {}),
          ...(lifecycle ? { lifecycle } : {}),
          terminationMessagePath,
          terminationMessagePolicy,
          imagePullPolicy,
        };
      }),
      restartPolicy: template.spec.restartPolicy,
      terminationGracePeriodSeconds: template.spec.terminationGracePeriodSeconds,
      dnsPolicy: template.spec.dnsPolicy,
      serviceAccountName: "default",
      serviceAccount: "default",
      securityContext: {},
      schedulerName: template.spec.schedulerName,
      tolerations: DEFAULT_TOLERATIONS.map((t) => ({ ...t })),
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: { phase: "Pending", qosClass: "BestEffort" },
  };
}
