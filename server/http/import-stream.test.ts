// POST /api/import's body, streamed: the multipart parser yields the same parts at any chunking (a boundary
// cut across chunks included), a gzip part is gunzipped, and a body over DRAINSCOPE_MAX_UPLOAD_BYTES is a
// 413 that stores nothing — on a store that already holds an import.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { importSources } from "../import/stream";
import { freshSqliteStores } from "../store/test-stores";
import { maxUploadBytes, readImportUpload } from "./import-upload";
import { boundaryOf, multipartParts } from "./multipart-stream";
import { HttpError } from "./respond";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const KINDS = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"];
const texts = KINDS.map((k) => readFileSync(join(FIXTURE, k)));

const freshStore = freshSqliteStores("ds-upstream-");

async function encoded(fd: FormData): Promise<{ bytes: Buffer; type: string }> {
  const r = new Response(fd);
  return { bytes: Buffer.from(await r.arrayBuffer()), type: r.headers.get("content-type") ?? "" };
}

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

/** A Request whose body arrives in `size`-byte chunks (no Content-Length, as a browser's chunked upload). */
function request(bytes: Buffer, type: string, size: number): Request {
  const it = chunked(bytes, size);
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const r = await it.next();
      if (r.done) ctrl.close();
      else ctrl.enqueue(r.value);
    },
  });
  return new Request("http://127.0.0.1/api/import", { method: "POST", body, headers: { "content-type": type }, duplex: "half" } as RequestInit);
}

function form(): FormData {
  const fd = new FormData();
  KINDS.forEach((k, i) => fd.append("file", new Blob([i === 1 ? gzipSync(texts[i] ?? "") : (texts[i] ?? "")]), `real-v1.24-rollout/${k}`));
  fd.append("cluster", "  from-field ");
  return fd;
}

describe("multipart, streamed", () => {
  it.each([1, 3, 70, 65536])("yields every part whole at %i-byte chunks", async (size) => {
    const { bytes, type } = await encoded(form());
    const parts: { field: string; filename?: string; bytes: number }[] = [];
    for await (const p of multipartParts(chunked(bytes, size), boundaryOf(type) ?? "")) {
      let n = 0;
      for await (const c of p.body) n += c.byteLength;
      parts.push({ field: p.field, ...(p.filename !== undefined ? { filename: p.filename } : {}), bytes: n });
    }
    expect(parts).toEqual([
      { field: "file", filename: "real-v1.24-rollout/pods.jsonl", bytes: texts[0]?.byteLength },
      { field: "file", filename: "real-v1.24-rollout/endpointslices.jsonl", bytes: gzipSync(texts[1] ?? "").byteLength },
      { field: "file", filename: "real-v1.24-rollout/events.jsonl", bytes: texts[2]?.byteLength },
      { field: "cluster", bytes: 13 },
    ]);
  });

  it("an upload of three files (one gzip) imports as the same files read whole, under the form's cluster name", async () => {
    const { bytes, type } = await encoded(form());
    const up = readImportUpload(request(bytes, type, 4099), "upload", { max: 1e9, knob: "DRAINSCOPE_MAX_UPLOAD_BYTES" });
    const store = freshStore();
    const r = await importSources(store, up.sources, { lateCluster: up.cluster });
    expect(r.cluster).toBe("from-field");
    expect(r.files.map((f) => [f.name, f.format])).toEqual(KINDS.map((k) => [`real-v1.24-rollout/${k}`, "recording"]));
    const whole = freshStore();
    const w = await importSources(whole, KINDS.map((k, i) => ({ name: k, chunks: chunked(texts[i] ?? Buffer.alloc(0), 1 << 20) })), { cluster: "from-field" });
    expect(r.observations).toBe(w.observations);
    expect(JSON.stringify(await store.query({}))).toBe(JSON.stringify(await whole.query({})));
  });

  it("a body past the cap is a 413 naming the variable, and the store keeps only what it had", async () => {
    const store = freshStore();
    await importSources(store, [{ name: "seed.jsonl", chunks: chunked(texts[0] ?? Buffer.alloc(0), 1 << 16) }], { cluster: "seed" });
    const before = JSON.stringify(await store.query({}));
    const { bytes, type } = await encoded(form());
    const cap = maxUploadBytes({ DRAINSCOPE_MAX_UPLOAD_BYTES: String(bytes.byteLength - 100) });
    const up = readImportUpload(request(bytes, type, 1000), "upload", cap);
    const err = await importSources(store, up.sources, { lateCluster: up.cluster }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toBe(`the upload: ${Math.ceil((bytes.byteLength - 99) / 1000) * 1000} bytes is over the ${bytes.byteLength - 100}-byte import limit (DRAINSCOPE_MAX_UPLOAD_BYTES)`);
    expect(JSON.stringify(await store.query({}))).toBe(before);
  });

  it("the cap: DRAINSCOPE_MAX_UPLOAD_BYTES, else the older DRAINSCOPE_MAX_INPUT_BYTES, else 512 MiB", () => {
    expect(maxUploadBytes({})).toEqual({ max: 512 * 1024 * 1024, knob: "DRAINSCOPE_MAX_UPLOAD_BYTES" });
    expect(maxUploadBytes({ DRAINSCOPE_MAX_INPUT_BYTES: "10" })).toEqual({ max: 10, knob: "DRAINSCOPE_MAX_INPUT_BYTES" });
    expect(maxUploadBytes({ DRAINSCOPE_MAX_INPUT_BYTES: "10", DRAINSCOPE_MAX_UPLOAD_BYTES: "2048" })).toEqual({ max: 2048, knob: "DRAINSCOPE_MAX_UPLOAD_BYTES" });
    expect(maxUploadBytes({ DRAINSCOPE_MAX_UPLOAD_BYTES: "lots" })).toEqual({ max: 512 * 1024 * 1024, knob: "DRAINSCOPE_MAX_UPLOAD_BYTES" });
  });
});
