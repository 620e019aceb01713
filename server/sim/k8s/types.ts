/**
 * TypeScript shapes of the Kubernetes objects the simulator stores and serves. Field names and nesting
 * follow the real API (compare shared/fixtures, recorded on v1.24); only what the simulator writes is
 * typed. Objects are plain JSON: the API server serialises them as they are.
 */

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Labels;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Fields every stored object has. */
export interface KubeObject {
  kind: string;
  apiVersion: string;
  metadata: ObjectMeta;
}

export interface ExecAction {
  command: string[];
}

export interface LifecycleHandler {
  exec?: ExecAction;
  httpGet?: { path?: string; port: number | string; scheme?: string };
  sleep?: { seconds: number };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  exec?: ExecAction;
  tcpSocket?: { port: number | string };
  initialDelaySeconds?: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

export interface Container {
  name: string;
  image: string;
  ports?: ContainerPort[];
  resources: Record<string, unknown>;
  volumeMounts?: { name: string; readOnly?: boolean; mountPath: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: LifecycleHandler };
  terminationMessagePath: string;
  terminationMessagePolicy: string;
  imagePullPolicy: string;
}

export interface Toleration {
  key: string;
  operator: string;
  effect: string;
  tolerationSeconds?: number;
}

export interface PodSpec {
  volumes?: unknown[];
  containers: Container[];
  restartPolicy: string;
  terminationGracePeriodSeconds: number;
  dnsPolicy: string;
  serviceAccountName?: string;
  serviceAccount?: string;
  nodeName?: string;
  securityContext: Record<string, unknown>;
  schedulerName: string;
  tolerations?: Toleration[];
  priority?: number;
  enableServiceLinks?: boolean;
  preemptionPolicy?: string;
}

export interface PodCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastProbeTime: string | null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface ContainerStateTerminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

export interface ContainerState {
  running?: { startedAt: string };
  waiting?: { reason: string; message?: string };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

export interface PodStatus {
  phase: PodPhase;
  conditions?: PodCondition[];
  hostIP?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  qosClass: string;
}

export interface Pod extends KubeObject {
  kind: "Pod";
  spec: PodSpec;
  status: PodStatus;
}

export interface PodTemplateSpec {
  metadata: { creationTimestamp: null; labels: Labels; annotations?: Labels };
  spec: PodSpec;
}

export interface DeploymentCondition {
  type: string;
  status: "True" | "False";
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface Deployment extends KubeObject {
  kind: "Deployment";
  spec: {
    replicas: number;
    selector: { matchLabels: Labels };
    template: PodTemplateSpec;
    strategy: { type: "RollingUpdate" | "Recreate"; rollingUpdate?: { maxUnavailable: number | string; maxSurge: number | string } };
    revisionHistoryLimit: number;
    progressDeadlineSeconds: number;
  };
  status: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface ReplicaSet extends KubeObject {
  kind: "ReplicaSet";
  spec: { replicas: number; selector: { matchLabels: Labels }; template: PodTemplateSpec };
  status: {
    replicas: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

export interface ServicePort {
  name?: string;
  protocol: string;
  port: number;
  targetPort: number | string;
  nodePort?: number;
}

export interface Service extends KubeObject {
  kind: "Service";
  spec: {
    ports: ServicePort[];
    selector?: Labels;
    clusterIP: string;
    clusterIPs: string[];
    type: "ClusterIP" | "NodePort" | "LoadBalancer";
    sessionAffinity: string;
    externalTrafficPolicy?: "Cluster" | "Local";
    healthCheckNodePort?: number;
    publishNotReadyAddresses?: boolean;
    ipFamilies: string[];
    ipFamilyPolicy: string;
    internalTrafficPolicy: string;
    allocateLoadBalancerNodePorts?: boolean;
  };
  status: { loadBalancer: { ingress?: { ip: string }[] } };
}

export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions: EndpointConditions;
  targetRef: { kind: "Pod"; namespace: string; name: string; uid: string };
  nodeName?: string;
}

export interface EndpointPort {
  name?: string;
  protocol: string;
  port: number;
}

export interface EndpointSlice extends KubeObject {
  kind: "EndpointSlice";
  addressType: "IPv4";
  endpoints: Endpoint[] | null;
  ports: EndpointPort[] | null;
}

export interface ObjectReference {
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface CoreEvent extends KubeObject {
  kind: "Event";
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: { component?: string; host?: string };
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  count?: number;
  type: "Normal" | "Warning";
  eventTime: string | null;
  action?: string;
  reportingComponent: string;
  reportingInstance: string;
}

export interface Node extends KubeObject {
  kind: "Node";
  spec: { podCIDR?: string; unschedulable?: boolean; taints?: { key: string; effect: string; timeAdded?: string }[] };
  status: {
    conditions: { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string; reason: string; message: string }[];
    addresses: { type: string; address: string }[];
    nodeInfo: Record<string, string>;
  };
}

export interface Namespace extends KubeObject {
  kind: "Namespace";
  spec: { finalizers: string[] };
  status: { phase: "Active" | "Terminating" };
}

/** The resources the simulated API server stores, by plural name. */
export interface ResourceTypes {
  pods: Pod;
  events: CoreEvent;
  services: Service;
  endpointslices: EndpointSlice;
  replicasets: ReplicaSet;
  deployments: Deployment;
  nodes: Node;
  namespaces: Namespace;
}

export type ResourceName = keyof ResourceTypes;
