/**
 * Lists: every matching object at the store's current resourceVersion, in key order, with `limit` /
 * `continue` paging. A continue token points at a snapshot taken by the first page, so later pages are
 * consistent with it (as on a real server); a token whose snapshot is gone (restart, too old) is a 410.
 */
import type { Rng } from "../core/rng";
import { groupVersion } from "../k8s/resources";
import type { KubeObject } from "../k8s/types";
import type { ObjectStore } from "./store";
import { matchesFilter, type WatchFilter } from "./watch-stream";

export interface ListBody {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  readonly items: readonly object[];
}

export interface ListPage {
  readonly body: ListBody;
  /** The same items, whole (for Table printing). */
  readonly objects: readonly KubeObject[];
}

interface Snapshot {
  readonly rv: number;
  readonly items: readonly KubeObject[];
}

/** Real list items carry neither kind nor apiVersion; the list's kind says what they are. */
function listItem(obj: KubeObject): object {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = obj;
  return rest;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
}

export class ListPager {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly order: string[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly maxSnapshots = 64,
  ) {}

  /** Forget every snapshot (continue tokens stop working). */
  reset(): void {
    this.snapshots.clear();
    this.order.length = 0;
  }

  /**
   * Build one page. Returns "expired" for an unknown continue token.
   * `filter` selects objects; `limit` 0/undefined means everything.
   */
  page(store: ObjectStore, filter: WatchFilter, limit: number | undefined, token: string | undefined): ListPage | "expired" {
    let snap: Snapshot;
    let offset = 0;
    if (token) {
      const parsed = /^([a-z0-9]+)\.(\d+)$/.exec(token);
      const found = parsed?.[1] ? this.snapshots.get(parsed[1]) : undefined;
      if (!found || !parsed?.[2]) return "expired";
      snap = found;
      offset = Number(parsed[2]);
    } else {
      const items = store
        .list(filter.resource.name, filter.namespace)
        .filter((o) => matchesFilter(filter, o))
        .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      snap = { rv: store.currentRv(), items };
    }
    const end = limit && limit > 0 ? Math.min(snap.items.length, offset + limit) : snap.items.length;
    const metadata: ListBody["metadata"] = { resourceVersion: String(snap.rv) };
    if (end < snap.items.length) {
      metadata.continue = `${this.remember(snap, token)}.${end}`;
      metadata.remainingItemCount = snap.items.length - end;
    }
    const objects = snap.items.slice(offset, end);
    return {
      objects,
      body: { kind: filter.resource.listKind, apiVersion: groupVersion(filter.resource), metadata, items: objects.map(listItem) },
    };
  }

  private remember(snap: Snapshot, token: string | undefined): string {
    const existing = token ? /^([a-z0-9]+)\./.exec(token)?.[1] : undefined;
    if (existing && this.snapshots.has(existing)) return existing;
    const id = this.rng.hex(12);
    this.snapshots.set(id, snap);
    this.order.push(id);
    while (this.order.length > this.maxSnapshots) {
      const old = this.order.shift();
      if (old) this.snapshots.delete(old);
    }
    return id;
  }
}
