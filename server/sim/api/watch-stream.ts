/**
 * One open watch: newline-delimited `{"type","object"}` JSON over a chunked HTTP response, fed
 * synchronously from the store as changes commit, so a watch never skips or repeats a version.
 *
 * Semantics follow the real API server: an object that moves into the selector arrives as ADDED and one
 * that moves out as DELETED; bookmarks carry only kind, apiVersion and metadata.resourceVersion;
 * `timeoutSeconds` (virtual time) ends the stream cleanly. Fault hooks can drop, stall or corrupt it.
 */
import type { ServerResponse } from "node:http";
import type { SimClock, TimerId } from "../core/clock";
import type { ResourceInfo } from "../k8s/resources";
import { groupVersion } from "../k8s/resources";
import type { KubeObject } from "../k8s/types";
import { matchesFields, matchesLabels, type FieldSelector, type LabelSelector } from "./selectors";
import type { ChangeType, ObjectStore, StoreChange } from "./store";
import type { Status } from "./status";

export type WatchEventType = ChangeType | "BOOKMARK" | "ERROR";

/** Turns one event into its line (without the newline). */
export type WatchEncoder = (type: WatchEventType, object: KubeObject | Status | BookmarkObject, change?: StoreChange, store?: ObjectStore) => string;

export interface BookmarkObject {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { readonly resourceVersion: string };
}

/** The plain-JSON encoder, reusing the line a change already serialised for another watcher. */
export const jsonEncoder: WatchEncoder = (type, object, change, store) => {
  if (change && store) {
    if (change.type === type) {
      change.line ??= `{"type":"${type}","object":${store.serialize(change.object)}}`;
      return change.line;
    }
    return `{"type":"${type}","object":${store.serialize(change.object)}}`;
  }
  return JSON.stringify({ type, object });
};

export interface WatchFilter {
  readonly resource: ResourceInfo;
  readonly namespace: string | undefined;
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
}

export function matchesFilter(filter: WatchFilter, obj: KubeObject): boolean {
  if (filter.namespace !== undefined && obj.metadata.namespace !== filter.namespace) return false;
  return matchesLabels(filter.labels, obj.metadata.labels) && matchesFields(filter.fields, obj);
}

/** Where a watch starts: after a version, or with synthetic ADDED events for the current state. */
export type WatchStart = { readonly kind: "after"; readonly rv: number } | { readonly kind: "current-state" };

export interface WatchStreamOptions {
  readonly res: ServerResponse;
  readonly filter: WatchFilter;
  readonly start: WatchStart;
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly encode: WatchEncoder;
  /** Virtual ms between bookmarks; undefined = no bookmarks. */
  readonly bookmarkIntervalMs: number | undefined;
  /** Virtual ms until the server ends the watch. */
  readonly timeoutMs: number;
  readonly onClose: (stream: WatchStream) => void;
  /** Status to send as an ERROR event when the start version is expired. */
  readonly expired: (rv: number) => Status;
}

export class WatchStream {
  private closed = false;
  private stalled = false;
  private unsubscribe: (() => void) | undefined;
  private bookmarkTimer: TimerId | undefined;
  private timeoutTimer: TimerId | undefined;
  /** Lines written so far (for tests and the admin endpoint). */
  sent = 0;

  constructor(private readonly o: WatchStreamOptions) {}

  get resource(): string {
    return this.o.filter.resource.name;
  }

  /** Write headers and the backlog, then follow the store. */
  start(): void {
    const { res, store, filter, start } = this.o;
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "X-Content-Type-Options": "nosniff" });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.on("close", () => this.cleanup());

    if (start.kind === "after") {
      const backlog = store.since(start.rv);
      if (backlog === "expired") {
        this.write("ERROR", this.o.expired(start.rv));
        this.end();
        return;
      }
      for (const change of backlog) this.deliver(change);
    } else {
      for (const obj of store.list(filter.resource.name, filter.namespace)) {
        if (matchesFilter(filter, obj)) this.write("ADDED", obj);
      }
    }
    this.unsubscribe = store.subscribe((change) => this.deliver(change));
    this.timeoutTimer = this.o.clock.setTimer(this.o.timeoutMs, () => this.end());
    this.scheduleBookmark();
  }

  /** Abrupt connection loss: the socket is destroyed without a clean end. */
  drop(): void {
    if (this.closed) return;
    this.o.res.destroy();
    this.cleanup();
  }

  /** Stop sending anything (events, bookmarks, the timeout's clean end) but keep the socket open. */
  stall(): void {
    this.stalled = true;
    this.clearTimers();
  }

  /** Write a line that is not valid JSON. */
  writeMalformed(): void {
    if (this.closed || this.stalled) return;
    this.o.res.write('{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":\n');
  }

  /** Write the start of one line of `bytes` that never completes as JSON (chunked: no one huge string). */
  writeHuge(bytes: number): void {
    if (this.closed || this.stalled) return;
    const chunk = "x".repeat(Math.min(bytes, 1024 * 1024));
    this.o.res.write('{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"');
    for (let sent = 0; sent < bytes && !this.closed; sent += chunk.length) this.o.res.write(chunk);
    this.o.res.write('"}}}\n');
  }

  /** End the response cleanly. */
  end(): void {
    if (this.closed) return;
    this.o.res.end();
    this.cleanup();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isStalled(): boolean {
    return this.stalled;
  }

  private deliver(change: StoreChange): void {
    const filter = this.o.filter;
    if (change.resource !== filter.resource.name) return;
    const now = matchesFilter(filter, change.object);
    const before = change.previous !== undefined && change.type === "MODIFIED" ? matchesFilter(filter, change.previous) : now;
    if (change.type === "MODIFIED" && before !== now) {
      this.write(now ? "ADDED" : "DELETED", change.object, change);
      return;
    }
    if (now) this.write(change.type, change.object, change);
  }

  private scheduleBookmark(): void {
    const interval = this.o.bookmarkIntervalMs;
    if (interval === undefined || this.closed || this.stalled) return;
    this.bookmarkTimer = this.o.clock.setTimer(interval, () => {
      const r = this.o.filter.resource;
      this.write("BOOKMARK", { kind: r.kind, apiVersion: groupVersion(r), metadata: { resourceVersion: String(this.o.store.currentRv()) } });
      this.scheduleBookmark();
    });
  }

  private write(type: WatchEventType, object: KubeObject | Status | BookmarkObject, change?: StoreChange): void {
    if (this.closed || this.stalled) return;
    this.o.res.write(this.o.encode(type, object, change, this.o.store) + "\n");
    this.sent++;
  }

  private clearTimers(): void {
    if (this.bookmarkTimer !== undefined) this.o.clock.clearTimer(this.bookmarkTimer);
    if (this.timeoutTimer !== undefined) this.o.clock.clearTimer(this.timeoutTimer);
    this.bookmarkTimer = undefined;
    this.timeoutTimer = undefined;
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.o.onClose(this);
  }
}
