/**
 * The ingest rows of `npm run bench`: parse + Pod check + normalize + SQLite append of 20,000 pod watch
 * events (35,000 lifecycle events), against bare `JSON.parse` of the same lines, in wall time and in CPU
 * time (`process.cpuUsage`: all of this process's threads, so V8's GC helpers count too), which other
 * processes on a shared machine disturb much less.
 *
 * Two shapes of the same work:
 * - `watcher`: what a cluster watcher does in a burst. The stream arrives as 16 KiB network chunks, one
 *   per event-loop turn; the lines go through the watcher's line reader (`cappedLines`), each pod update's
 *   events go to the runtime's `WriteBatcher` as the watcher's sink adds them (`coalesce`), which decides
 *   how many share a transaction. This is the row against the target.
 * - `batch`: the same events appended 1,000 at a time (the earlier bench's shape: fewer, bigger
 *   transactions than a watcher makes).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKubeObject } from "../../lib/k8s/parse";
import type { LifecycleEvent } from "../../lib/model/events";
import { exactTime } from "../../lib/model/time";
import { createNormalizerState, normalize, type NormalizerState } from "../../lib/normalize";
import { WriteBatcher } from "../store/batcher";
import { openStore } from "../store/open-store";
import type { Store } from "../store/types";
import { cappedLines } from "../watcher/line-reader";

export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface IngestRun extends Timing {
  readonly lifecycleEvents: number;
  /** Store appends (transactions) the run made. */
  readonly appends: number;
}

/** The network chunk the watcher-shaped run delivers per event-loop turn. */
export const CHUNK_BYTES = 16 * 1024;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function timed<T>(fn: () => T | Promise<T>): Promise<[T, Timing]> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const r = await fn();
  return [r, { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0 }];
}

type Watch = { type: "ADDED" | "MODIFIED" | "DELETED"; object: unknown };

/** One watch line to lifecycle events, as the watcher does it (check-only Pod reader, then normalize). */
function normalizeLine(state: NormalizerState, line: string, seq: number): LifecycleEvent[] | undefined {
  const w = JSON.parse(line) as Watch;
  const p = readKubeObject(w.object);
  if (!p.ok) return undefined;
  return normalize(state, { watchType: w.type, object: p.value, receivedAt: exactTime(Date.UTC(2026, 0, 5) + seq, "watcher"), seq });
}

/** The stream's bytes as the network hands them over, one chunk per event-loop turn. */
async function* networkChunks(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) {
    await new Promise((resolve) => setImmediate(resolve));
    yield bytes.subarray(i, i + CHUNK_BYTES);
  }
}

/**
 * The stream's bytes, written line by line into one buffer outside the JS heap, as a socket hands them
 * over. Not `Buffer.from(lines.join("\n"))`: that 61 MiB string was garbage the timed run then paid to
 * collect (it was promoted in the run's first scavenge and freed by a full GC during the run).
 */
export function streamBytes(lines: readonly string[]): Buffer {
  let size = 0;
  for (const l of lines) size += Buffer.byteLength(l) + 1;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const l of lines) {
    at += out.write(l, at);
    out[at++] = 0x0a;
  }
  return out;
}

/**
 * The same stream with each pod's sequential bench UID (`00000000-0000-4000-8000-<n>`) replaced by a
 * fixed pseudo-random one, as a real API server assigns (random v4 UUIDs). Every tree keyed by pod UID
 * or by event id (which holds the UID) is then written at random places instead of near its end, so a
 * commit dirties several times as many pages: `profile-ingest.ts --random-uids`.
 */
export function withRandomPodUids(lines: readonly string[]): string[] {
  const fixed = new Map<string, string>();
  const randomFor = (n: string): string => {
    let u = fixed.get(n);
    if (u === undefined) {
      const h = createHash("sha256").update(n).digest("hex");
      u = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      fixed.set(n, u);
    }
    return u;
  };
  return lines.map((l) =>
    l
      .replace(/00000000-0000-4000-8000-([0-9a-f]{12})/g, (_, n: string) => randomFor(n))
      .replace(/containerd:\/\/00000000000040008000([0-9a-f]{12})/g, (_, n: string) => `containerd://${randomFor(n).replace(/-/g, "")}`),
  );
}

/** Opens a store in a fresh directory, runs `fn`, closes and removes it. */
async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-"));
  const opened = await openStore({ dataDir: dir });
  if (!opened.ok) throw new Error(opened.error.message);
  try {
    return await fn(opened.store);
  } finally {
    await opened.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function counting(store: Store): { append: Store["append"]; appends: () => number } {
  let n = 0;
  return { append: (events) => (n++, store.append(events)), appends: () => n };
}

export function watcherShapedIngest(lines: readonly string[]): Promise<IngestRun> {
  return withStore(async (store) => {
    const sink = counting(store);
    const state = createNormalizerState("bench");
    let seq = 0;
    let produced = 0;
    const bytes = streamBytes(lines); // received bytes: not part of the timed work
    const [, t] = await timed(async () => {
      const batcher = new WriteBatcher({ sink });
      for await (const line of cappedLines(networkChunks(bytes), 8 << 20)) {
        const events = normalizeLine(state, line, seq++);
        if (!events?.length) continue;
        produced += events.length;
        void batcher.add(events, { coalesce: true });
      }
      await batcher.close();
    });
    return { ...t, lifecycleEvents: produced, appends: sink.appends() };
  });
}

export function batchIngest(lines: readonly string[], perAppend = 1000): Promise<IngestRun> {
  return withStore(async (store) => {
    const sink = counting(store);
    const state = createNormalizerState("bench");
    let produced = 0;
    const [, t] = await timed(async () => {
      let batch: LifecycleEvent[] = [];
      let seq = 0;
      for (const line of lines) {
        const events = normalizeLine(state, line, seq++) ?? [];
        produced += events.length;
        for (const e of events) batch.push(e);
        if (batch.length >= perAppend) {
          await sink.append(batch);
          batch = [];
        }
      }
      await sink.append(batch);
    });
    return { ...t, lifecycleEvents: produced, appends: sink.appends() };
  });
}

/** parse + check + normalize, no store. */
export function normalizeOnly(lines: readonly string[]): Promise<Timing> {
  return timed(() => {
    const state = createNormalizerState("bench");
    let seq = 0;
    for (const line of lines) normalizeLine(state, line, seq++);
  }).then(([, t]) => t);
}

export function bareParse(lines: readonly string[]): Promise<Timing> {
  return timed(() => {
    for (const line of lines) JSON.parse(line);
  }).then(([, t]) => t);
}
