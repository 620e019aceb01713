/**
 * The `/api/timeline` path for a seeded rollout: store query → engine → encoding → gzip (what `next
 * start` sends), in both formats, and the browser's side (JSON.parse, plus decoding for the compact
 * format). `node bin/run-ts.js server/bench/timeline-wire.ts [pods]` prints the figures; run.ts uses
 * `timelineWire` for its table. Sizes are exact; times are medians of 5 and move with machine load.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writeCompactTimeline } from "../../lib/api/timeline-compact-writer";
import { toTimelineDocument, type TimelineView } from "../../lib/api/timeline-document";
import { timelineViewModelFromCompact } from "../../lib/view/timeline-doc";
import { getTimelineView } from "../queries/timeline";
import { openStore } from "../store/open-store";
import { syntheticRollout } from "../store/synthetic";

export interface FormatFigures {
  /** Store query + engine + encoding to UTF-8 bytes + gzip (zlib's default level, as Next's compression uses). */
  readonly serverMs: number;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** JSON.parse in the browser, plus the compact decoder and building the document. */
  readonly clientMs: number;
}

export interface WireFigures {
  readonly pods: number;
  /** Store query + engine alone: the part both formats share, as kept by the engine cache (runs 2…6). */
  readonly viewMs: number;
  /** The same, the first time (nothing kept: store query and engine run). */
  readonly coldViewMs: number;
  /** The same after a write to another cluster (kept: data versions are per cluster). */
  readonly afterOtherClusterWriteMs: number;
  /** The same after new data in this cluster (computed again, the JIT warm): "the first request after new data". */
  readonly afterOwnWriteMs: number;
  readonly json: FormatFigures;
  readonly compact: FormatFigures;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const elapsed = (t0: number) => performance.now() - t0;

export async function timelineWire(pods: number): Promise<WireFigures> {
  const events = syntheticRollout({ pods });
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-"));
  const opened = await openStore({ dataDir: dir });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.store;
  try {
    for (let i = 0; i < events.length; i += 2000) await store.append(events.slice(i, i + 2000));
    const q = { cluster: "bench", namespace: "shop", from: Date.UTC(2026, 0, 5, 10), to: Date.UTC(2026, 0, 5, 14) } as const;
    const now = Date.UTC(2026, 0, 6);
    const once = async () => {
      const t0 = performance.now();
      const v = await getTimelineView(store, q, now);
      const viewMs = elapsed(t0);
      // The body's UTF-8 bytes as timeline-body.ts makes them: the JSON document through JSON.stringify, the compact one written directly.
      const send = (encode: (v: TimelineView) => Uint8Array, decode: (raw: unknown) => unknown) => {
        const t1 = performance.now();
        const body = encode(v);
        const gz = gzipSync(body);
        const serverMs = viewMs + elapsed(t1);
        const text = new TextDecoder().decode(body);
        const t2 = performance.now();
        decode(JSON.parse(text));
        return { serverMs, bytes: body.length, gzipBytes: gz.length, clientMs: elapsed(t2) };
      };
      return { viewMs, json: send((x) => Buffer.from(JSON.stringify(toTimelineDocument(x))), (x) => x), compact: send(writeCompactTimeline, timelineViewModelFromCompact) };
    };
    const cold = await once();
    type Run = Awaited<ReturnType<typeof once>>;
    const runs: Run[] = [];
    for (let i = 0; i < 5; i++) runs.push(await once());
    const fig = (pick: (r: Run) => FormatFigures): FormatFigures => ({
      serverMs: median(runs.map((r) => pick(r).serverMs)),
      bytes: pick(runs[0] as Run).bytes,
      gzipBytes: pick(runs[0] as Run).gzipBytes,
      clientMs: median(runs.map((r) => pick(r).clientMs)),
    });
    const timedView = async () => {
      const t0 = performance.now();
      await getTimelineView(store, q, now);
      return elapsed(t0);
    };
    await store.append(syntheticRollout({ pods: 2, cluster: "elsewhere" }));
    const afterOtherClusterWriteMs = await timedView();
    await store.append(syntheticRollout({ pods: 2, cluster: "bench" }).map((e) => ({ ...e, id: `new-${e.id}`, ...("podUid" in e ? { podUid: `new-${e.podUid}` } : {}) })));
    const afterOwnWriteMs = await timedView();
    return { pods, coldViewMs: cold.viewMs, afterOtherClusterWriteMs, afterOwnWriteMs, viewMs: median(runs.map((r) => r.viewMs)), json: fig((r) => r.json), compact: fig((r) => r.compact) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("timeline-wire.ts")) {
  const pods = Number(process.argv[2] ?? 1000);
  console.log(JSON.stringify(await timelineWire(pods), null, 1));
}
