/**
 * The simulated etcd + watch cache: objects by resource, one resourceVersion counter across all kinds
 * (every write bumps it), and a bounded history of changes that watches resume from. A watch from a
 * version older than the retained history gets 410 Expired, as from a real API server.
 *
 * Objects are immutable snapshots: `update` clones, applies the change, and stores the clone, so a
 * change event can be handed to any number of watchers without copying.
 */
import type { SimClock } from "../core/clock";
import type { Rng } from "../core/rng";
import { k8sTime } from "../core/time-format";
import type { KubeObject, ObjectMeta, ResourceName, ResourceTypes } from "../k8s/types";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreChange {
  readonly rv: number;
  readonly type: ChangeType;
  readonly resource: ResourceName;
  readonly object: KubeObject;
  /** The object before this change (MODIFIED and DELETED only). */
  readonly previous?: KubeObject;
  /** `{"type","object"}` serialised once, shared by every plain-JSON watcher. */
  line?: string;
}

export type StoreListener = (change: StoreChange) => void;

export class StoreError extends Error {
  override name = "StoreError";
}

/** Resources whose metadata.generation counts spec changes. */
const GENERATION_TRACKED: ReadonlySet<ResourceName> = new Set(["deployments", "replicasets", "endpointslices"]);

const META_ORDER: readonly (keyof ObjectMeta)[] = [
  "name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
  "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
];

/** Rebuild metadata in the order the API server prints it. */
function canonicalMeta(meta: ObjectMeta): ObjectMeta {
  const out: Record<string, unknown> = {};
  for (const key of META_ORDER) if (meta[key] !== undefined) out[key] = meta[key];
  return { ...meta, ...out } satisfies ObjectMeta;
}

function specPart(obj: KubeObject): string {
  return JSON.stringify(Object.entries(obj).filter(([key]) => key !== "metadata" && key !== "status"));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export interface ObjectStoreOptions {
  readonly clock: SimClock;
  readonly rng: Rng;
  /** How many changes watches can resume from (default 20,000). */
  readonly historyLimit?: number;
  /** First resourceVersion handed out is this + 1 (default 100). */
  readonly initialRv?: number;
  /** Freeze stored objects so accidental mutation throws (tests). */
  readonly freeze?: boolean;
}

export class ObjectStore {
  private readonly objects: { [R in ResourceName]: Map<string, ResourceTypes[R]> } = {
    pods: new Map(),
    events: new Map(),
    services: new Map(),
    endpointslices: new Map(),
    replicasets: new Map(),
    deployments: new Map(),
    nodes: new Map(),
    namespaces: new Map(),
  };
  private readonly history: StoreChange[] = [];
  /** JSON of stored objects, computed at most once each (objects never change). */
  private readonly json = new WeakMap<object, string>();
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;
  private rv: number;
  /** Changes with rv > compactedRv are in history. */
  private compactedRv: number;

  constructor(private readonly options: ObjectStoreOptions) {
    this.historyLimit = options.historyLimit ?? 20_000;
    this.rv = options.initialRv ?? 100;
    this.compactedRv = this.rv;
  }

  currentRv(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch may resume from. */
  oldestResumableRv(): number {
    return this.compactedRv;
  }

  get<R extends ResourceName>(resource: R, namespace: string | undefined, name: string): ResourceTypes[R] | undefined {
    return this.bucket(resource).get(objectKey(namespace, name));
  }

  list<R extends ResourceName>(resource: R, namespace?: string): ResourceTypes[R][] {
    const out: ResourceTypes[R][] = [];
    for (const obj of this.bucket(resource).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(obj);
    }
    return out;
  }

  /** Store a new object. Fills resourceVersion, creationTimestamp, uid and a generated name if missing. */
  create<R extends ResourceName>(resource: R, input: ResourceTypes[R]): ResourceTypes[R] {
    const obj: ResourceTypes[R] = JSON.parse(JSON.stringify(input));
    const meta = obj.metadata;
    if (!meta.name) {
      if (!meta.generateName) throw new StoreError(`${resource}: name or generateName required`);
      do meta.name = meta.generateName + this.options.rng.nameSuffix();
      while (this.bucket(resource).has(objectKey(meta.namespace, meta.name)));
    }
    const key = objectKey(meta.namespace, meta.name);
    if (this.bucket(resource).has(key)) throw new StoreError(`${resource} "${key}" already exists`);
    if (!meta.uid) meta.uid = this.options.rng.uuid();
    if (!meta.creationTimestamp) meta.creationTimestamp = k8sTime(this.options.clock.now());
    if (GENERATION_TRACKED.has(resource)) meta.generation = 1;
    return this.commit(resource, "ADDED", obj, undefined);
  }

  /**
   * Apply `mutate` to a clone of the stored object and store it. A change that leaves the object as it
   * was writes nothing (no new resourceVersion), like a no-op update on a real API server.
   */
  update<R extends ResourceName>(
    resource: R,
    namespace: string | undefined,
    name: string,
    mutate: (draft: ResourceTypes[R]) => void,
  ): ResourceTypes[R] | undefined {
    const current = this.get(resource, namespace, name);
    if (!current) return undefined;
    // A JSON round trip is the cheapest deep copy of these plain objects (and the JSON is shared anyway).
    const before = this.serialize(current);
    const draft: ResourceTypes[R] = JSON.parse(before);
    mutate(draft);
    draft.metadata.resourceVersion = current.metadata.resourceVersion;
    if (JSON.stringify(draft) === before) return current;
    if (GENERATION_TRACKED.has(resource) && specPart(draft) !== specPart(current)) {
      draft.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    return this.commit(resource, "MODIFIED", draft, current);
  }

  /** Remove an object; watchers get DELETED carrying the deletion's resourceVersion. */
  delete<R extends ResourceName>(resource: R, namespace: string | undefined, name: string): ResourceTypes[R] | undefined {
    const current = this.get(resource, namespace, name);
    if (!current) return undefined;
    const gone: ResourceTypes[R] = JSON.parse(this.serialize(current));
    return this.commit(resource, "DELETED", gone, current);
  }

  /** The JSON of a stored object, serialised once and shared (watch lines, comparisons). */
  serialize(obj: KubeObject): string {
    let text = this.json.get(obj);
    if (text === undefined) {
      text = JSON.stringify(obj);
      this.json.set(obj, text);
    }
    return text;
  }

  /** Every retained change after `rv`, or "expired" when the history no longer reaches back that far. */
  since(rv: number): readonly StoreChange[] | "expired" {
    if (rv < this.compactedRv) return "expired";
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const entry = this.history[mid];
      if (entry && entry.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  /** Listen to every change, synchronously, as it is committed. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget all history (an API server restart): the counter jumps and every older version is gone. */
  loseHistory(jump: number): void {
    this.rv += Math.max(1, Math.floor(jump));
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  private bucket<R extends ResourceName>(resource: R): Map<string, ResourceTypes[R]> {
    return this.objects[resource];
  }

  private commit<R extends ResourceName>(resource: R, type: ChangeType, obj: ResourceTypes[R], previous: KubeObject | undefined): ResourceTypes[R] {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    obj.metadata = canonicalMeta(obj.metadata);
    if (this.options.freeze) deepFreeze(obj);
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    if (type === "DELETED") this.bucket(resource).delete(key);
    else this.bucket(resource).set(key, obj);
    const change: StoreChange = previous ? { rv: this.rv, type, resource, object: obj, previous } : { rv: this.rv, type, resource, object: obj };
    this.history.push(change);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      const last = dropped[dropped.length - 1];
      if (last) this.compactedRv = last.rv;
    }
    for (const listener of [...this.listeners]) listener(change);
    return obj;
  }
}
