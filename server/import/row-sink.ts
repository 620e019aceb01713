/**
 * The observations of a big import (one file normalized while it is read: lib/import/time-ordered.ts),
 * kept out of the heap until they are written: each becomes the row the store writes (`toRow`: the JSON
 * payload and its key columns) and is appended to a temporary file at once; memory keeps only its key
 * and where it lies in the file. At the end the rows are read back in the store's write order (`byKey`,
 * stable: exactly the order `importEvents` sorts them into) and written in ONE store call, ONE
 * transaction, after every line was read and checked: the all-or-nothing rules of apply.ts hold, and the
 * watcher's writes wait only for that last write, not for the reading.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImportError, type ImportPlan } from "../../lib/import";
import type { LifecycleEvent } from "../../lib/model/events";
import { byKey, toRow, unstorableReason, type EventRow } from "../store/columns";
import { StoreRejectedError, type Store } from "../store/types";
import type { ImportOutcome } from "./apply";

/** Rows read back per store batch. */
const BATCH_ROWS = 2000;
/** Rows gathered before one write to the file. */
const SPILL_ROWS = 500;

type Columns = [string, string, string, string, string | null, string | null, string | null, number, number, number, number];

export class ImportRowSink {
  private dir: string | undefined;
  private fd: number | undefined;
  private offset = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Per row: its key (for the sort), and where its two lines (columns, payload) lie in the file. */
  private readonly clusters: string[] = [];
  private readonly ids: string[] = [];
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  /** The refusal `importEvents` would give (refuseUnstorable), for the first observation it would refuse. */
  private unstorable: string | undefined;

  get count(): number {
    return this.ids.length;
  }

  readonly add = (e: LifecycleEvent): void => {
    if (this.unstorable !== undefined) return;
    const why = unstorableReason(e);
    if (why) {
      this.unstorable = `observation ${this.count + 1} (${e.type} ${e.id}) cannot be stored: ${why}; nothing was written`;
      return;
    }
    const r = toRow(e);
    const columns: Columns = [r.cluster, r.id, r.type, r.namespace, r.podUid, r.service, r.objectName, r.at, r.lo, r.hi, r.seq];
    const text = `${JSON.stringify(columns)}\n${r.payload}\n`;
    const bytes = Buffer.byteLength(text);
    this.clusters.push(r.cluster);
    this.ids.push(r.id);
    this.starts.push(this.offset + this.pendingBytes);
    this.lengths.push(bytes);
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pending.length >= SPILL_ROWS) this.spill();
  };

  private spill(): void {
    if (this.pending.length === 0) return;
    try {
      if (this.fd === undefined) {
        this.dir = mkdtempSync(join(tmpdir(), "drainscope-import-"));
        this.fd = openSync(join(this.dir, "rows"), "w+");
      }
      const buf = Buffer.from(this.pending.join(""));
      let done = 0;
      while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, this.offset + done);
      this.offset += buf.length;
    } catch (e) {
      // A full or read-only TMPDIR: say so (nothing is written to the store).
      throw new ImportError(this.dir ?? tmpdir(), 0, `cannot write the import's temporary file (set TMPDIR to a writable directory with room): ${e instanceof Error ? e.message : String(e)}`);
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The rows in write order, BATCH_ROWS at a time (read again from the file on every call). */
  private *batches(order: Uint32Array): Generator<EventRow[]> {
    const fd = this.fd;
    if (fd === undefined) return;
    let batch: EventRow[] = [];
    let buf = Buffer.alloc(64 * 1024);
    for (const i of order) {
      const length = this.lengths[i] ?? 0;
      if (buf.length < length) buf = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, (this.starts[i] ?? 0) + got);
        if (n === 0) throw new Error("import rows: the temporary file ended early");
        got += n;
      }
      const text = buf.toString("utf8", 0, length - 1);
      const nl = text.indexOf("\n");
      const [cluster, id, type, namespace, podUid, service, objectName, at, lo, hi, seq] = JSON.parse(text.slice(0, nl)) as Columns;
      batch.push({ cluster, id, type, namespace, podUid, service, objectName, at, lo, hi, seq, payload: text.slice(nl + 1) });
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** As commitPlan (apply.ts), for a plan whose observations came here. Removes the temporary file. */
  async commit(store: Store, plan: ImportPlan, firstName: string): Promise<ImportOutcome> {
    try {
      if (this.unstorable !== undefined) throw new ImportError(firstName, 0, this.unstorable);
      this.spill();
      // Array.prototype.sort is stable: ties keep the order they were made in, as importEvents' sort does.
      const key = (i: number) => ({ cluster: this.clusters[i] ?? "", id: this.ids[i] ?? "" });
      const order = Uint32Array.from([...this.ids.keys()].sort((a, b) => byKey(key(a), key(b)) || a - b));
      const batches = () => this.batches(order);
      const write = async () => {
        if (store.importRows) return store.importRows(batches);
        // A store wrapper without importRows: the observations again, from the payloads, in their own order.
        const events: LifecycleEvent[] = [];
        for (const b of this.batches(Uint32Array.from(this.ids.keys()))) for (const r of b) events.push(JSON.parse(r.payload) as LifecycleEvent);
        return store.importEvents(events);
      };
      const res = await write().catch((e: unknown) => {
        throw e instanceof StoreRejectedError ? new ImportError(firstName, 0, e.message) : e;
      });
      const { events: _none, ...rest } = plan;
      return { ...rest, observations: this.count, inserted: res.inserted, duplicates: res.duplicates };
    } finally {
      this.close();
    }
  }

  /** Removes the temporary file (also when the import is refused or read again). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
