/**
 * A synthetic watch stream for benchmarks: the pod updates a real API server sends during a rolling
 * update (created, scheduled, running, ready, delete requested, container exited, final delete,
 * removed), as JSON lines in the `kubectl get -w --output-watch-events` shape, with realistic object
 * sizes (about 3 KB per pod version, like the v1.24 fixtures without managedFields).
 */
const BASE = Date.UTC(2026, 0, 5, 12, 0, 0);

function iso(ms: number): string {
  return new Date(ms - (ms % 1000)).toISOString().replace(".000Z", "Z");
}

function podObject(i: number, rv: number, stage: number, t0: number): Record<string, unknown> {
  const name = `web-5d8f7c9b6-${i.toString(36).padStart(5, "0")}`;
  const uid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  const deleting = stage >= 4;
  const running = stage >= 2;
  const ready = stage >= 3 && stage < 5;
  const exited = stage >= 5;
  const metadata: Record<string, unknown> = {
    name,
    generateName: "web-5d8f7c9b6-",
    namespace: "shop",
    uid,
    resourceVersion: String(rv),
    creationTimestamp: iso(t0),
    labels: { app: "web", "pod-template-hash": "5d8f7c9b6", tier: "frontend" },
    annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090" },
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d8f7c9b6", uid: "4b8e3c1a-0000-4000-8000-00000000aaaa", controller: true, blockOwnerDeletion: true }],
  };
  if (deleting) {
    metadata.deletionTimestamp = iso(stage >= 6 ? t0 + 60_000 : t0 + 90_000);
    metadata.deletionGracePeriodSeconds = stage >= 6 ? 0 : 30;
  }
  const conditions = [
    { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: iso(t0) },
    { type: "Ready", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: iso(t0 + (ready ? 3000 : 0)) },
    { type: "ContainersReady", status: ready ? "True" : "False", lastProbeTime: null, lastTransitionTime: iso(t0 + 3000) },
    { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: iso(t0) },
  ];
  const state = exited
    ? { terminated: { exitCode: 0, reason: "Completed", startedAt: iso(t0 + 1000), finishedAt: iso(t0 + 67_000), containerID: `containerd://${uid.replace(/-/g, "")}` } }
    : running
      ? { running: { startedAt: iso(t0 + 1000) } }
      : { waiting: { reason: "ContainerCreating" } };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: {
      containers: [
        {
          name: "web",
          image: "registry.example.com/shop/web:1.42.0",
          imagePullPolicy: "IfNotPresent",
          ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }, { containerPort: 9090, name: "metrics", protocol: "TCP" }],
          env: [{ name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } }],
          resources: { limits: { cpu: "1", memory: "512Mi" }, requests: { cpu: "250m", memory: "256Mi" } },
          lifecycle: { preStop: { exec: { command: ["sh", "-c", "sleep 10"] } } },
          readinessProbe: { httpGet: { path: "/ready", port: 8080, scheme: "HTTP" }, periodSeconds: 2, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 },
          livenessProbe: { httpGet: { path: "/live", port: 8080, scheme: "HTTP" }, periodSeconds: 10, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 },
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          volumeMounts: [{ mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", name: "kube-api-access-x7k2p", readOnly: true }],
        },
      ],
      dnsPolicy: "ClusterFirst",
      enableServiceLinks: true,
      nodeName: stage >= 1 ? `node-${i % 50}` : undefined,
      preemptionPolicy: "PreemptLowerPriority",
      priority: 0,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      securityContext: {},
      serviceAccountName: "default",
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 300 },
        { effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 300 },
      ],
      volumes: [{ name: "kube-api-access-x7k2p", projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }] } }],
    },
    status: {
      phase: exited ? "Succeeded" : running ? "Running" : "Pending",
      conditions,
      hostIP: `10.0.${i % 50}.1`,
      podIP: stage >= 2 ? `10.244.${Math.floor(i / 250)}.${i % 250}` : undefined,
      podIPs: stage >= 2 ? [{ ip: `10.244.${Math.floor(i / 250)}.${i % 250}` }] : undefined,
      qosClass: "Burstable",
      startTime: iso(t0),
      containerStatuses: stage >= 1 ? [{ name: "web", ready, restartCount: 0, image: "registry.example.com/shop/web:1.42.0", imageID: "registry.example.com/shop/web@sha256:0f3c", containerID: `containerd://${uid.replace(/-/g, "")}`, started: running && !exited, state }] : undefined,
    },
  };
}

/** Stages per pod: 0 created, 1 scheduled, 2 running, 3 ready, 4 delete requested, 5 exited, 6 final delete, 7 removed. */
export const STAGES_PER_POD = 8;

/** The stream, one line at a time (a watcher never holds the whole stream). */
export function* podWatchStream(pods: number, stages = STAGES_PER_POD): Generator<string> {
  let rv = 1000;
  for (let stage = 0; stage < stages; stage++) {
    for (let i = 0; i < pods; i++) {
      const t0 = BASE + i * 100;
      const type = stage === 0 ? "ADDED" : stage === 7 ? "DELETED" : "MODIFIED";
      yield JSON.stringify({ type, object: podObject(i, rv++, Math.min(stage, 6), t0) });
    }
  }
}

export function podWatchLines(pods: number): string[] {
  return [...podWatchStream(pods)];
}
