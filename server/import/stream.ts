/**
 * Import, streamed: files of any size (gzip or not, told by the magic bytes) are read in chunks, split into
 * lines and fed to the import planner (lib/import/planner.ts), which drops audit noise on the raw line and
 * keeps only what the import will store. Memory follows the output, not the input. Nothing is written until
 * every line of every file has been read and checked; then ONE store.importEvents (or importRows, for one
 * file normalized while read: row-sink.ts), one transaction.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pipeline, Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { clusterNameForSet, ImportError, ImportPlanner, type ImportFileSink } from "../../lib/import";
import { OutOfOrderError, REORDER_WINDOW_MS, TimeOrderedNormalizer } from "../../lib/import/time-ordered";
import { clusterNameProblem } from "../../lib/model/names";
import type { Store } from "../store/types";
import { commitPlan, type ImportOutcome } from "./apply";
import { ImportRowSink } from "./row-sink";

/** A longer line is a corrupt file, not a Kubernetes object (V8's strings end near 512 MiB anyway). */
export const MAX_STREAM_LINE_CHARS = 256 * 1024 * 1024;

export interface ImportProgress {
  /** Bytes read of the input as given (compressed bytes for a .gz file). */
  readonly bytes: number;
  /** All input bytes, when known (the sum of the files' sizes). */
  readonly totalBytes?: number;
  readonly lines: number;
  /** The file being read. */
  readonly file: string;
}

export interface ImportSource {
  /** For messages (`name:line`) and, with `path`, the cluster's default name. */
  readonly name: string;
  readonly path?: string;
  readonly chunks: AsyncIterable<Uint8Array>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * The chunks of a source, gunzipped when they start with the gzip magic bytes (whatever the name says).
 * `onRaw` counts the bytes as given, before gunzip, for progress and caps.
 */
async function* decoded(name: string, chunks: AsyncIterable<Uint8Array>, onRaw: (n: number) => void): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 2) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    onRaw(r.value.byteLength);
    head.push(r.value);
    headBytes += r.value.byteLength;
  }
  const first = Buffer.concat(head);
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      if (first.byteLength > 0) yield first;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        onRaw(r.value.byteLength);
        yield r.value;
      }
    } finally {
      // Stopped early (a bad line): let the source close (an upload's reader is cancelled).
      if (!ended) await it.return?.();
    }
  }
  if (!isGzip(first)) {
    yield* rest();
    return;
  }
  // pipeline, not pipe: an error of the source (an upload over its cap, a cut connection) must reach the reader.
  const gunzip = createGunzip();
  pipeline(Readable.from(rest(), { objectMode: false }), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    if (!code.startsWith("Z_")) throw e;
    throw new ImportError(name, 0, `not a valid gzip file (it starts with the gzip magic bytes): ${code === "Z_BUF_ERROR" ? "the compressed data ends early (truncated)" : e instanceof Error ? e.message : String(e)}`);
  }
}

/** Feeds every "\n"-separated segment of a source to its file sink; returns the number of segments. */
export async function feedSource(sink: ImportFileSink, src: ImportSource, onRaw: (n: number) => void, onLines?: (lines: number) => void): Promise<number> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let lines = 0;
  for await (const chunk of decoded(src.name, src.chunks, onRaw)) {
    const text = carry + decoder.write(chunk as Buffer);
    let from = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", from)) {
      sink.line(text.slice(from, nl));
      lines++;
      from = nl + 1;
    }
    carry = from === 0 ? text : text.slice(from);
    if (carry.length > MAX_STREAM_LINE_CHARS) throw new ImportError(src.name, lines + 1, `line is longer than ${MAX_STREAM_LINE_CHARS} characters: not one JSON object per line`);
    onLines?.(lines);
  }
  sink.line(carry + decoder.end());
  sink.end();
  return lines + 1;
}

/** Plans and writes an import from sources read one after another (all or nothing). */
export async function importSources(
  store: Store,
  sources: AsyncIterable<ImportSource> | Iterable<ImportSource>,
  opts: {
    readonly cluster?: string;
    readonly totalBytes?: number;
    readonly onProgress?: (p: ImportProgress) => void;
    readonly lateCluster?: () => string | undefined;
    readonly timeOrdered?: TimeOrderedNormalizer;
    /** Where `timeOrdered` hands its observations (its emitter). */
    readonly rows?: ImportRowSink;
  } = {},
): Promise<ImportOutcome> {
  const planner = new ImportPlanner({ ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}), ...(opts.timeOrdered ? { timeOrdered: opts.timeOrdered } : {}) });
  let bytes = 0;
  let linesBefore = 0;
  let firstName: string | undefined;
  for await (const src of sources) {
    firstName ??= src.name;
    const report = (lines: number) => opts.onProgress?.({ bytes, lines: linesBefore + lines, file: src.name, ...(opts.totalBytes !== undefined ? { totalBytes: opts.totalBytes } : {}) });
    const n = await feedSource(planner.file(src.name, src.path), src, (k) => (bytes += k), report);
    linesBefore += n;
    report(0);
  }
  const late = opts.lateCluster?.();
  const plan = planner.finish(late !== undefined ? { cluster: late } : {});
  return opts.rows ? opts.rows.commit(store, plan, firstName ?? "(import)") : commitPlan(store, plan, firstName ?? "(import)");
}

async function sizeOf(p: string): Promise<number> {
  try {
    const info = await stat(p);
    if (!info.isFile()) throw new ImportError(p, 0, "not a regular file");
    return info.size;
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    throw new ImportError(p, 0, code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Every file exists, is a regular file and can be opened: said before minutes of reading the ones before it. Returns their total size. */
export async function checkImportPaths(paths: readonly string[]): Promise<number> {
  let totalBytes = 0;
  for (const p of paths) {
    totalBytes += await sizeOf(p);
    await (await open(p, "r").catch((e: unknown) => {
      const code = e instanceof Error && "code" in e ? String(e.code) : "";
      throw new ImportError(p, 0, code === "EACCES" ? "permission denied" : `cannot read: ${e instanceof Error ? e.message : String(e)}`);
    })).close();
  }
  return totalBytes;
}

/** `drainscope import FILE…`: no size limit. */
export async function importPaths(store: Store, paths: readonly string[], opts: { readonly cluster?: string; readonly onProgress?: (p: ImportProgress) => void } = {}): Promise<ImportOutcome> {
  const totalBytes = await checkImportPaths(paths);
  // The absolute path names the cluster after the folder even for `drainscope import pods.jsonl …` run inside it.
  function* sources(): Generator<ImportSource> {
    for (const p of paths) yield { name: p, path: resolve(p), chunks: createReadStream(p, { highWaterMark: 64 * 1024 }) };
  }
  // One file whose cluster is known up front (an audit log, typically the big one) is normalized while it
  // is read, keeping observations instead of parsed lines; if it is not in time order, it is read again.
  const only = paths.length === 1 ? paths[0] : undefined;
  const cluster = only === undefined ? undefined : (opts.cluster ?? clusterNameForSet([resolve(only)]));
  if (cluster !== undefined && clusterNameProblem(cluster) === undefined) {
    try {
      const rows = new ImportRowSink();
      try {
        return await importSources(store, sources(), { ...opts, totalBytes, timeOrdered: new TimeOrderedNormalizer(cluster, REORDER_WINDOW_MS, rows.add), rows });
      } finally {
        rows.close();
      }
    } catch (e) {
      if (!(e instanceof OutOfOrderError)) throw e;
    }
  }
  return importSources(store, sources(), { ...opts, totalBytes });
}
