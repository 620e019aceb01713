// Streamed imports (issue 15): the same files give the very same stored observations whether they are read
// whole, streamed from disk, gzip-compressed (told by the magic bytes, whatever the name) or cut into chunks
// at any byte; audit-log noise is dropped before JSON.parse without changing the result; a bad line names
// file:line and leaves the store unchanged.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ImportError, ImportPlanner, planImport } from "../../lib/import";
import { auditLineIsNoise } from "../../lib/import/audit";
import { OutOfOrderError, TimeOrderedNormalizer } from "../../lib/import/time-ordered";
import { recordScenario } from "../sim";
import { freshSqliteStores } from "../store/test-stores";
import type { Store } from "../store/types";
import { importIntoStore } from "./apply";
import { auditLogFromWatch } from "./audit-from-watch";
import { importPaths, importSources, type ImportProgress } from "./stream";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const KINDS = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"];

const freshStore = freshSqliteStores("ds-stream-");
const stored = async (s: Store) => JSON.stringify(await s.query({}));

/** Chunks of `size` bytes: cuts lines, and multi-byte characters, anywhere. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

describe("streamed import", () => {
  it("files from disk, plain and gzip (named .gz or not), store exactly what the whole-text import stores", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ds-stream-")), "real-v1.24-rollout");
    const gzDir = join(mkdtempSync(join(tmpdir(), "ds-stream-")), "real-v1.24-rollout");
    for (const d of [dir, gzDir]) mkdirSync(d);
    const texts = KINDS.map((k) => readFileSync(join(FIXTURE, k), "utf8"));
    KINDS.forEach((k, i) => writeFileSync(join(dir, k), texts[i] ?? ""));
    // One compressed file keeps its .jsonl name: the magic bytes, not the name, say gzip.
    const gzNames = ["pods.jsonl.gz", "endpointslices.jsonl", "events.jsonl.gz"];
    gzNames.forEach((n, i) => writeFileSync(join(gzDir, n), gzipSync(texts[i] ?? "")));

    const whole = freshStore();
    const a = await importIntoStore(whole, KINDS.map((k, i) => ({ name: k, text: texts[i] ?? "" })), { cluster: "c" });
    const plain = freshStore();
    const b = await importPaths(plain, KINDS.map((k) => join(dir, k)), { cluster: "c" });
    const gz = freshStore();
    const c = await importPaths(gz, gzNames.map((n) => join(gzDir, n)), { cluster: "c" });

    expect(a.observations).toBeGreaterThan(100);
    expect([b.observations, c.observations]).toEqual([a.observations, a.observations]);
    expect(b.files.map((f) => [f.format, f.records])).toEqual(a.files.map((f) => [f.format, f.records]));
    const expected = await stored(whole);
    expect(await stored(plain)).toBe(expected);
    expect(await stored(gz)).toBe(expected);
  }, 60_000);

  it.each([1, 7, 4096])("a body cut into %i-byte chunks plans the same events (lines and UTF-8 split anywhere)", async (size) => {
    const [head = "", ...rest] = readFileSync(join(FIXTURE, "pods.jsonl"), "utf8").split("\n");
    const first = JSON.parse(head) as { object: { metadata: { annotations?: Record<string, string> } } };
    first.object.metadata.annotations = { ...first.object.metadata.annotations, note: "héllo ✓ 日本 🚀" };
    const withUtf8 = [JSON.stringify(first), ...rest].join("\n");
    const expected = planImport([{ name: "pods.jsonl", text: withUtf8 }], { cluster: "c" });
    const store = freshStore();
    const r = await importSources(store, [{ name: "pods.jsonl", chunks: chunked(Buffer.from(withUtf8), size) }], { cluster: "c" });
    expect(r.observations).toBe(expected.events.length);
    expect((await store.query({})).map((e) => e.id).sort()).toEqual(expected.events.map((e) => e.id).sort());
  });

  it("a bad line in the second of two files names file:line and stores nothing", async () => {
    const store = freshStore();
    await importIntoStore(store, [{ name: "seed.jsonl", text: readFileSync(join(FIXTURE, "pods.jsonl"), "utf8") }], { cluster: "seed" });
    const before = await stored(store);
    const lines = readFileSync(join(FIXTURE, "endpointslices.jsonl"), "utf8").split("\n");
    lines[4] = '{"type":"MODIFIED","object":{"kind":"EndpointSlice"}}';
    const dir = mkdtempSync(join(tmpdir(), "ds-stream-"));
    writeFileSync(join(dir, "pods.jsonl"), readFileSync(join(FIXTURE, "pods.jsonl")));
    writeFileSync(join(dir, "slices.jsonl.gz"), gzipSync(lines.join("\n")));
    const err = await importPaths(store, [join(dir, "pods.jsonl"), join(dir, "slices.jsonl.gz")], { cluster: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toBe(`${join(dir, "slices.jsonl.gz")}:5: missing field metadata`);
    expect(await stored(store)).toBe(before);
  });

  it("a truncated gzip file is refused by name, and nothing is stored", async () => {
    const store = freshStore();
    const dir = mkdtempSync(join(tmpdir(), "ds-stream-"));
    const gz = gzipSync(readFileSync(join(FIXTURE, "pods.jsonl")));
    writeFileSync(join(dir, "cut.jsonl.gz"), gz.subarray(0, Math.floor(gz.byteLength / 2)));
    await expect(importPaths(store, [join(dir, "cut.jsonl.gz")], { cluster: "x" })).rejects.toThrow(`${join(dir, "cut.jsonl.gz")}: not a valid gzip file (it starts with the gzip magic bytes): the compressed data ends early (truncated)`);
    expect(await store.query({})).toEqual([]);
  });

  it("reports progress: bytes of the known total and the lines read, ending at the total", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ds-stream-"));
    const file = join(dir, "pods.jsonl");
    const text = readFileSync(join(FIXTURE, "pods.jsonl"), "utf8");
    writeFileSync(file, text);
    const seen: ImportProgress[] = [];
    await importPaths(freshStore(), [file], { cluster: "p", onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1];
    expect(last).toEqual({ bytes: Buffer.byteLength(text), totalBytes: Buffer.byteLength(text), lines: text.split("\n").length, file });
    expect(seen.every((p, i) => i === 0 || p.bytes >= (seen[i - 1]?.bytes ?? 0))).toBe(true);
  });
});

describe("audit noise is dropped on the raw line", () => {
  const ev = (o: Record<string, unknown>) =>
    JSON.stringify({ kind: "Event", apiVersion: "audit.k8s.io/v1", level: "Metadata", auditID: "n", stage: "ResponseComplete", requestReceivedTimestamp: "2026-11-22T06:00:00Z", stageTimestamp: "2026-11-22T06:00:00Z", user: { username: "u" }, responseStatus: { code: 200 }, ...o });
  const NOISE = [
    ev({ verb: "update", objectRef: { resource: "leases", namespace: "kube-node-lease", name: "node-1" } }),
    ev({ verb: "get", objectRef: { resource: "configmaps", namespace: "kube-system", name: "x" } }),
    ev({ verb: "list", objectRef: { resource: "pods", namespace: "shop" }, level: "RequestResponse", responseObject: { kind: "PodList", items: [] } }),
    ev({ verb: "watch", objectRef: { resource: "endpointslices", namespace: "shop" } }),
    ev({ verb: "create", stage: "RequestReceived", objectRef: { resource: "pods", namespace: "shop", name: "web-1" } }),
  ];

  it("tells noise from what the import uses, and never skips a line that is not an audit event", () => {
    expect(NOISE.map(auditLineIsNoise)).toEqual([true, true, true, true, true]);
    expect(auditLineIsNoise(ev({ verb: "delete", objectRef: { resource: "pods", namespace: "shop", name: "web-1" } }))).toBe(false);
    expect(auditLineIsNoise(ev({ verb: "patch", objectRef: { resource: "pods", subresource: "status", namespace: "shop", name: "web-1" } }))).toBe(false);
    expect(auditLineIsNoise('{"type":"ADDED","object":{"kind":"Pod"}}')).toBe(false); // a watch line: parsed, and refused by name
    expect(auditLineIsNoise(NOISE[0]?.slice(0, 80) ?? "")).toBe(false); // truncated: parsed, and refused by name
  });

  it("a simulator's audit log with noise between every line imports exactly as without it", async () => {
    const rec = await recordScenario({ scenario: "no-prestop-rollout", speed: 60 });
    const clean = auditLogFromWatch(rec.lines);
    const noisy = clean
      .split("\n")
      .flatMap((l, i) => (l.trim() === "" ? [l] : [l, NOISE[i % NOISE.length] ?? ""]))
      .join("\n");
    expect(noisy.length).toBeGreaterThan(clean.length);
    const a = planImport([{ name: "a.audit.log", text: clean }], { cluster: "c" });
    const b = planImport([{ name: "a.audit.log", text: noisy }], { cluster: "c" });
    expect(a.events.length).toBeGreaterThan(20);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  }, 60_000);
});

describe("one audit log is normalized while it is read, with the very result of reading it whole", () => {
  const SCENARIOS = ["no-prestop-rollout", "eviction-with-pdb"];

  /** Lines of a log moved later by `by` lines every `every` lines: slightly out of order, as concurrent writes land. */
  function jostle(text: string, every: number, by: number): string {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    for (let i = 0; i + by < lines.length; i += every) {
      const [moved] = lines.splice(i, 1);
      lines.splice(i + by, 0, moved ?? "");
    }
    return `${lines.join("\n")}\n`;
  }

  it.each(SCENARIOS)("%s: in order, jostled within the window, and jostled past it (read again): all equal the whole-text import", async (scenario) => {
    const rec = await recordScenario({ scenario, speed: 60 });
    const audit = auditLogFromWatch(rec.lines);
    const dir = mkdtempSync(join(tmpdir(), "ds-ordered-"));
    // Past the window: an entry 2 minutes later lets everything out, then the first entry comes again.
    const complete = audit.split("\n").filter((l) => l.includes('"stage":"ResponseComplete"'));
    const last = JSON.parse(complete[complete.length - 1] ?? "{}") as { stageTimestamp: string; requestReceivedTimestamp: string };
    const later = (iso: string) => new Date(Date.parse(iso) + 120_000).toISOString();
    const farText = `${audit}${JSON.stringify({ ...last, stageTimestamp: later(last.stageTimestamp), requestReceivedTimestamp: later(last.requestReceivedTimestamp) })}\n${complete[0] ?? ""}\n`;
    const variants = { inOrder: audit, near: jostle(audit, 7, 3), far: farText };
    for (const [name, text] of Object.entries(variants)) {
      const file = join(dir, `${name}.audit.log`);
      writeFileSync(file, text);
      const whole = freshStore();
      const a = await importIntoStore(whole, [{ name: file, text, path: file }]);
      // Whether this variant can be normalized while read, or needs the second reading:
      const planner = new ImportPlanner({ timeOrdered: new TimeOrderedNormalizer(a.cluster) });
      const sink = planner.file(file, file);
      const firstPass = (() => {
        try {
          for (const seg of text.split("\n")) sink.line(seg);
          sink.end();
          return "one pass";
        } catch (e) {
          if (e instanceof OutOfOrderError) return "read again";
          throw e;
        }
      })();
      expect(firstPass).toBe(name === "far" ? "read again" : "one pass");
      const streamed = freshStore();
      const b = await importPaths(streamed, [file]);
      expect([b.cluster, b.observations, b.files]).toEqual([a.cluster, a.observations, a.files]);
      expect(a.observations).toBeGreaterThan(20);
      expect(await stored(streamed)).toBe(await stored(whole));
    }
  }, 120_000);

  it("the normalizer refuses a line older than one it already let out, and one with no receive time", () => {
    const n = new TimeOrderedNormalizer("c", 1000);
    const T = Date.UTC(2026, 10, 22, 6, 0, 0);
    const line = (no: number, at?: number) => ({ file: "f", line: no, watchType: "ERROR" as const, errorMessage: "x", ...(at !== undefined ? { observedAt: T + at } : {}) });
    n.push(line(1, 10_000));
    n.push(line(2, 9_500)); // within the window: waits and goes out first
    n.push(line(3, 12_000)); // lets out 9,500 and 10,000
    expect(n.events.map((e) => e.id)).toEqual(["gap:f:2", "gap:f:1"]);
    expect(() => n.push(line(4, 9_999))).toThrow(OutOfOrderError);
    expect(() => new TimeOrderedNormalizer("c").push(line(1))).toThrow("not in time order: f:1 has no receive time");
  });
});
