/**
 * Zod schemas for the slice of each Kubernetes object the normalizer reads. Unknown fields are
 * dropped (zod strips them), so nothing but these compact shapes is ever kept in memory.
 * Fields Kubernetes may omit or set to null are optional and nullable here.
 */
import { z } from "zod";

const str = z.string();
const optStr = z.string().nullish();
const optNum = z.number().nullish();
const labels = z.record(z.string(), z.string()).nullish();

export const ObjectMetaSchema = z.object({
  name: str,
  namespace: optStr,
  uid: str,
  resourceVersion: optStr,
  creationTimestamp: optStr,
  deletionTimestamp: optStr,
  deletionGracePeriodSeconds: optNum,
  labels,
  annotations: labels,
  ownerReferences: z
    .array(z.object({ kind: str, name: str, uid: optStr, controller: z.boolean().nullish() }))
    .nullish(),
});

const ExecActionSchema = z.object({ command: z.array(z.string()).nullish() });
const HandlerSchema = z.object({
  exec: ExecActionSchema.nullish(),
  httpGet: z.object({ path: optStr }).passthrough().nullish(),
  tcpSocket: z.object({}).passthrough().nullish(),
  sleep: z.object({ seconds: z.number() }).nullish(),
});

const ContainerSchema = z.object({
  name: str,
  ports: z.array(z.object({ containerPort: z.number(), name: optStr, protocol: optStr })).nullish(),
  lifecycle: z.object({ preStop: HandlerSchema.nullish() }).nullish(),
  readinessProbe: z.object({}).passthrough().nullish(),
  livenessProbe: z.object({}).passthrough().nullish(),
  startupProbe: z.object({}).passthrough().nullish(),
});

const ContainerStateSchema = z.object({
  running: z.object({ startedAt: optStr }).nullish(),
  waiting: z.object({ reason: optStr }).nullish(),
  terminated: z
    .object({
      exitCode: z.number(),
      reason: optStr,
      message: optStr,
      startedAt: optStr,
      finishedAt: optStr,
      containerID: optStr,
    })
    .nullish(),
});

const ContainerStatusSchema = z.object({
  name: str,
  ready: z.boolean().nullish(),
  restartCount: z.number().nullish(),
  state: ContainerStateSchema.nullish(),
  lastState: ContainerStateSchema.nullish(),
  containerID: optStr,
});

const ConditionSchema = z.object({
  type: str,
  status: str,
  reason: optStr,
  message: optStr,
  lastTransitionTime: optStr,
});

export const PodSchema = z.object({
  kind: z.literal("Pod"),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      nodeName: optStr,
      terminationGracePeriodSeconds: optNum,
      containers: z.array(ContainerSchema),
      readinessGates: z.array(z.object({ conditionType: str })).nullish(),
    })
    .nullish(),
  status: z
    .object({
      phase: optStr,
      podIP: optStr,
      hostIP: optStr,
      podIPs: z.array(z.object({ ip: str })).nullish(),
      conditions: z.array(ConditionSchema).nullish(),
      containerStatuses: z.array(ContainerStatusSchema).nullish(),
    })
    .nullish(),
});

export const EndpointSliceSchema = z.object({
  kind: z.literal("EndpointSlice"),
  metadata: ObjectMetaSchema,
  addressType: optStr,
  endpoints: z
    .array(
      z.object({
        addresses: z.array(z.string()).nullish(),
        conditions: z
          .object({ ready: z.boolean().nullish(), serving: z.boolean().nullish(), terminating: z.boolean().nullish() })
          .nullish(),
        targetRef: z.object({ kind: optStr, name: optStr, namespace: optStr, uid: optStr }).nullish(),
        nodeName: optStr,
      }),
    )
    .nullish(),
});

const InvolvedObjectSchema = z.object({
  kind: optStr,
  name: optStr,
  namespace: optStr,
  uid: optStr,
  fieldPath: optStr,
});

/** core/v1 Event. */
export const CoreEventSchema = z.object({
  kind: z.literal("Event"),
  apiVersion: optStr,
  metadata: ObjectMetaSchema,
  involvedObject: InvolvedObjectSchema,
  reason: optStr,
  message: optStr,
  type: optStr,
  count: optNum,
  firstTimestamp: optStr,
  lastTimestamp: optStr,
  eventTime: optStr,
  series: z.object({ count: optNum, lastObservedTime: optStr }).nullish(),
});

/** events.k8s.io/v1 Event: `regarding` instead of involvedObject, `note` instead of message. */
export const EventsV1EventSchema = z.object({
  kind: z.literal("Event"),
  apiVersion: z.literal("events.k8s.io/v1"),
  metadata: ObjectMetaSchema,
  regarding: InvolvedObjectSchema.nullish(),
  reason: optStr,
  note: optStr,
  type: optStr,
  eventTime: optStr,
  deprecatedFirstTimestamp: optStr,
  deprecatedLastTimestamp: optStr,
  deprecatedCount: optNum,
  series: z.object({ count: optNum, lastObservedTime: optStr }).nullish(),
});

export const ReplicaSetSchema = z.object({
  kind: z.literal("ReplicaSet"),
  metadata: ObjectMetaSchema,
  spec: z.object({ replicas: optNum }).nullish(),
});

export const DeploymentSchema = z.object({
  kind: z.literal("Deployment"),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      replicas: optNum,
      strategy: z
        .object({
          type: optStr,
          rollingUpdate: z
            .object({ maxSurge: z.union([z.string(), z.number()]).nullish(), maxUnavailable: z.union([z.string(), z.number()]).nullish() })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export const ServiceSchema = z.object({
  kind: z.literal("Service"),
  metadata: ObjectMetaSchema,
  spec: z
    .object({
      type: optStr,
      selector: labels,
      externalTrafficPolicy: optStr,
      publishNotReadyAddresses: z.boolean().nullish(),
    })
    .nullish(),
});

/** Data-plane member state as Drainscope's own watch-line-shaped record (pollers, simulator, ingest). */
export const LoadBalancerMemberSchema = z.object({
  kind: z.literal("LoadBalancerMember"),
  apiVersion: z.literal("drainscope.io/v1alpha1"),
  metadata: z.object({ name: str, namespace: optStr, resourceVersion: optStr, creationTimestamp: optStr }),
  spec: z.object({ lb: str, source: str, service: optStr }),
  status: z.object({
    state: z.enum(["active", "draining", "removed", "unhealthy"]),
    weight: optNum,
    connections: optNum,
  }),
});

export type Pod = z.infer<typeof PodSchema>;
export type EndpointSlice = z.infer<typeof EndpointSliceSchema>;
export type CoreEvent = z.infer<typeof CoreEventSchema>;
export type EventsV1Event = z.infer<typeof EventsV1EventSchema>;
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;
export type Deployment = z.infer<typeof DeploymentSchema>;
export type Service = z.infer<typeof ServiceSchema>;
export type LoadBalancerMember = z.infer<typeof LoadBalancerMemberSchema>;
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

export type KubeObject =
  | { readonly kind: "Pod"; readonly value: Pod }
  | { readonly kind: "EndpointSlice"; readonly value: EndpointSlice }
  | { readonly kind: "Event"; readonly value: CoreEvent }
  | { readonly kind: "EventV1"; readonly value: EventsV1Event }
  | { readonly kind: "ReplicaSet"; readonly value: ReplicaSet }
  | { readonly kind: "Deployment"; readonly value: Deployment }
  | { readonly kind: "Service"; readonly value: Service }
  | { readonly kind: "LoadBalancerMember"; readonly value: LoadBalancerMember };

export const SUPPORTED_KINDS = ["Pod", "EndpointSlice", "Event", "ReplicaSet", "Deployment", "Service", "LoadBalancerMember"] as const;
