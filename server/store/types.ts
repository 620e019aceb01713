/**
 * The durable store of observations (design §6.3): one interface, two implementations (SQLite by default,
 * PostgreSQL for long retention and several writers), both held to one contract suite (contract.ts).
 *
 * The store only keeps and finds events; it never interprets them. A query returns what the timeline
 * engine needs to draw whole pod lanes for a window: see `EventQuery`.
 */
import type { EpochMs, LifecycleEvent } from "../../lib/model/events";
import type { EventRow } from "./columns";

export interface AppendResult {
  /** Events that were new and are now committed. */
  readonly inserted: number;
  /** Events whose (cluster, id) was already stored (a replay or relist), or repeated within the batch. */
  readonly duplicates: number;
  /** Present when some events could not be stored (no id, or a time that is not a finite number). */
  readonly rejected?: number;
}

/**
 * What a query returns, sorted by (at, seq, id) like `compareEvents`:
 *
 * 1. every event not about a pod (LB members without a pod, Kubernetes Events about other objects, …)
 *    whose time overlaps [from, to] and that matches the filters;
 * 2. the complete history of every pod whose lifetime overlaps [from, to] and that matches the filters —
 *    a pod with an event in the window, and also a pod alive across the whole window without an event in
 *    it (otherwise the per-service ready counts would miss the pods that were quietly serving);
 * 3. per ReplicaSet / Deployment / Service of the namespaces in the result, its latest `*-seen` event at
 *    or before `to` (or its earliest one if all are later), so lanes get their owner chain and services
 *    their selector flag even when the objects last changed long before the window;
 * 4. watcher-gap events of the clusters (and namespaces) in scope overlapping [from, to], so windows
 *    overlapping a gap can be marked `possible`.
 *
 * An event's time is its `range` widened to include `at`; a watcher gap spans [from, to], open-ended while
 * `to` is unset. A pod's lifetime spans its first event's start to its last event's end, open-ended until
 * a `pod-removed` event.
 */
export interface EventQuery {
  readonly cluster?: string;
  readonly namespace?: string;
  /**
   * Only these pods (and the events around them). Without `from`/`to`, the pods' whole histories come
   * back and the other parts use the pods' lifetimes as the window; no matching pod, empty result.
   */
  readonly podUids?: readonly string[];
  /** Only pods that had an endpoint (or LB member) in this service, and events naming the service. */
  readonly service?: string;
  readonly from?: EpochMs;
  readonly to?: EpochMs;
  /**
   * A safety cap, not paging: per cluster, at most this many pods (earliest lifetime first, each still
   * whole) and at most this many events not about a pod (earliest first). Context objects and gaps are
   * not counted.
   */
  readonly limit?: number;
}

/**
 * Where a cluster's data came from: `watched` (first written by a watcher or ingest; retention prunes
 * it) or `imported` (first written by an import; kept until the user deletes the cluster).
 */
export type ClusterOrigin = "watched" | "imported";

export interface ClusterSummary {
  readonly name: string;
  readonly origin: ClusterOrigin;
  readonly events: number;
  readonly firstAt?: EpochMs;
  readonly lastAt?: EpochMs;
  /** Namespaces holding a pod or a ReplicaSet / Deployment / Service, sorted. */
  readonly namespaces: string[];
}

/** Which pods `Store.livePodUids` returns: a cluster's (or one namespace's) not removed, first seen by `to`. */
export interface LivePodsQuery {
  readonly cluster: string;
  readonly namespace?: string;
  readonly to: EpochMs;
}

/** Whose data span `Store.dataSpan` measures: one cluster, or one namespace of it. */
export interface DataSpanQuery {
  readonly cluster: string;
  readonly namespace?: string;
}

/** The first and last event time (`at`) of some stored data. */
export interface DataSpan {
  readonly from: EpochMs;
  readonly to: EpochMs;
}

export interface StoreStats {
  readonly events: number;
  /** Duration of this process's most recent successful append, in milliseconds. */
  readonly lastWriteMs?: number;
  /** Wall time of this process's most recent successful append. */
  readonly lastWriteAt?: EpochMs;
  /** The last connection-level error seen outside a call (e.g. a pooled PostgreSQL connection dropped). */
  readonly lastError?: string;
}

/** The last moment one watched resource was in sync (sync_state); `namespace` '' = every namespace. */
export interface SyncMark {
  readonly cluster: string;
  readonly resource: string;
  readonly namespace: string;
  readonly inSyncAt: EpochMs;
}

export type StoreKind = "sqlite" | "postgres";

export interface Store {
  readonly kind: StoreKind;
  /** Where the data lives, for logs and /api/health: a file path, or a URL with the password removed. */
  readonly location: string;
  /**
   * Observations from a watcher or ingest. One transaction per call; idempotent on (cluster, id); an
   * event that cannot be stored is skipped and counted (`rejected`) rather than failing its batch.
   */
  append(events: readonly LifecycleEvent[]): Promise<AppendResult>;
  /**
   * Observations the user imported: all or nothing. Throws `StoreRejectedError` before writing anything
   * when any event cannot be stored; otherwise one transaction. The rows are marked imported (also
   * rows already stored, which an import thereby adopts), and a new cluster gets origin `imported`.
   */
  importEvents(events: readonly LifecycleEvent[]): Promise<AppendResult>;
  /**
   * The same for observations already turned into rows (`toRow`) and checked with `unstorableReason`
   * by the caller: a big import keeps those on disk, not the objects in memory (server/import/row-sink.ts).
   * `batches()` yields them in write order (`byKey` across all); it is called again if the transaction is
   * retried. Optional (store wrappers): without it, the caller rebuilds the events for `importEvents`.
   */
  importRows?(batches: () => Iterable<readonly EventRow[]>): Promise<AppendResult>;
  query(q: EventQuery): Promise<LifecycleEvent[]>;
  clusters(): Promise<ClusterSummary[]>;
  /**
   * The first and last event time of a cluster (or one namespace of it), undefined when it holds no event.
   * Views and exports default to the data's own time with it, never to the wall clock.
   */
  dataSpan(q: DataSpanQuery): Promise<DataSpan | undefined>;
  /**
   * The uids of the pods stored as not removed (no `pod-removed` event) whose first event is at or before
   * `to`, sorted: what a restarted watcher compares with its first list. Reads the pods' spans only, never
   * their events (a cluster of 10,000 live pods would otherwise load every history).
   */
  livePodUids(q: LivePodsQuery): Promise<string[]>;
  /**
   * Retention, by when rows were RECORDED in this store (the store's clock at append), never by the
   * events' own times: returns how many events went. Only clusters of origin `watched` are pruned, and in
   * them never a row an import brought. A pod's events go together, once the pod was removed and every
   * one of its rows was recorded before `cutoff` (a pod is never cut in half; a long-lived pod keeps its
   * history whole). Other events go by their own recorded time, except the latest `*-seen` event of each
   * ReplicaSet / Deployment / Service (so a quiet object is still known) and open watcher gaps.
   */
  pruneBefore(cutoff: EpochMs): Promise<number>;
  /** Deletes every row of one cluster, whatever its origin; returns how many events went (0: no such cluster). */
  deleteCluster(name: string): Promise<number>;
  stats(): Promise<StoreStats>;
  /**
   * A token that changes whenever the stored events may have changed (an append, import, prune or delete
   * here or, for a shared store, by another process): read-side caches key on it. Equal tokens mean the
   * same events; sync marks do not count. Optional: a store (or wrapper) without it is never cached.
   */
  dataVersion?(): Promise<string>;
  /** Remembers (upserts) when resources were last in sync, so a restart can record the time since as a gap. */
  saveSync(marks: readonly SyncMark[]): Promise<void>;
  /** Every stored sync mark (few: clusters × resources × namespaces). */
  loadSync(): Promise<SyncMark[]>;
  close(): Promise<void>;
}

/** Why a store could not be opened. Expected failures, reported as values with a plain message. */
export type StoreOpenErrorCode =
  | "bad-url" // DATABASE_URL set but not postgres:// or postgresql://
  | "unreachable" // PostgreSQL refused, timed out, or rejected the login
  | "unwritable" // the data directory or file cannot be created or written
  | "schema-too-new" // the database was migrated by a newer Drainscope
  | "migration-failed"
  | "corrupt"; // the SQLite file is not a database, or is damaged

export interface StoreOpenError {
  readonly code: StoreOpenErrorCode;
  readonly message: string;
}

export type OpenResult = { readonly ok: true; readonly store: Store } | { readonly ok: false; readonly error: StoreOpenError };

/** Thrown inside the store modules and turned into an `OpenResult` at the edge (open-store.ts). */
/** An import refused by the store: nothing was written. */
export class StoreRejectedError extends Error {
  override name = "StoreRejectedError";
}

export class StoreOpenFailure extends Error {
  constructor(readonly code: StoreOpenErrorCode, message: string) {
    super(message);
    this.name = "StoreOpenFailure";
  }
}
