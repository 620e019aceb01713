// GET /api/export and POST /api/import, called as Next calls them, on a real runtime with a SQLite store.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { analyzeRecording } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { toAnalysisWindow } from "../../lib/report/analysis-json";
import { getTimelineHandler } from "./handlers";
import { getExport, postImport } from "./transfer";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const READ_TOKEN = "read-token-0123456789abcdef";
let rt: Runtime;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ds-transfer-"));
  rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_AUTH_TOKEN: READ_TOKEN }), { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
});
afterAll(async () => {
  installRuntime(undefined);
  await rt.stop();
});

const auth = { authorization: `Bearer ${READ_TOKEN}` };
const url = (p: string) => `http://127.0.0.1${p}`;
const upload = (p: string, body: string, headers: Record<string, string> = auth) => postImport(new Request(url(p), { method: "POST", body, headers }));
const RANGE = "from=2026-11-22T05:41:00Z&to=2026-11-22T05:42:00Z";

describe("import and export over HTTP", () => {
  it("needs the read token when one is set", async () => {
    expect((await upload("/api/import", "{}", {})).status).toBe(401);
    expect((await upload("/api/import", "{}", { "x-drainscope-import": "1" })).status).toBe(401);
    expect((await getExport(new Request(url("/api/export?format=csv")))).status).toBe(401);
  });

  it("imports a recording, then exports it with Content-Disposition; a bad file is a 400 naming the line and changes nothing", async () => {
    const pods = readFileSync(join(FIXTURE, "pods.jsonl"), "utf8");
    const slices = readFileSync(join(FIXTURE, "endpointslices.jsonl"), "utf8");
    const r = await upload("/api/import?name=pods.jsonl&cluster=uploaded", pods + slices);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ cluster: "uploaded", files: [{ name: "pods.jsonl", format: "recording", records: 59 }], timelineUrl: "/timeline?cluster=uploaded&from=2026-11-22T05%3A41%3A12.000Z&to=2026-11-22T05%3A41%3A45.000Z" });
    const before = (await rt.store.query({})).length;

    const bad = await upload("/api/import?name=broken.jsonl&cluster=other", `${pods}{"type":"MODIFIED","object":{"kind":"Pod"`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^broken\.jsonl:37: truncated line: the file ends mid-object after 41 characters/);
    expect((await rt.store.query({})).length).toBe(before);
    expect((await rt.store.clusters()).map((c) => c.name)).toEqual(["uploaded"]);

    const csv = await getExport(new Request(url(`/api/export?format=csv&cluster=uploaded&${RANGE}`), { headers: auth }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="drainscope-uploaded-2026-11-22T054100.csv"');
    expect((await csv.text()).split("\r\n")[0]).toBe("id,rule,severity,confidence,start,end,duration_ms,namespace,service,lb,pods,pod_uids,explanation,fix");

    const bundle = await getExport(new Request(url(`/api/export?format=json&cluster=uploaded&${RANGE}`), { headers: auth }));
    const text = await bundle.text();
    const reimport = await upload("/api/import?name=copy.json&cluster=copy", text);
    expect(reimport.status).toBe(200);
    const [a, b] = await Promise.all(
      ["uploaded", "copy"].map(async (c) => (await (await getTimelineHandler(new Request(url(`/api/timeline?cluster=${c}&${RANGE}`), { headers: auth }))).json()) as { lanes: unknown[]; riskWindows: unknown[] }),
    );
    expect(b?.lanes).toEqual(a?.lanes);
    expect(b?.riskWindows).toEqual(a?.riskWindows);
  });

  it("rejects unknown formats and bodies over the limit", async () => {
    const r = await getExport(new Request(url("/api/export?format=docx&cluster=uploaded"), { headers: auth }));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe("format: expected one of json, md, csv, trace, svg, png");
    process.env.DRAINSCOPE_MAX_INPUT_BYTES = "10";
    try {
      const big = await upload("/api/import?name=big.jsonl", "x".repeat(50));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: string }).error).toBe("big.jsonl: 50 bytes is over the 10-byte import limit (DRAINSCOPE_MAX_INPUT_BYTES)");
    } finally {
      delete process.env.DRAINSCOPE_MAX_INPUT_BYTES;
    }
  });
});

describe("several files in one import (multipart/form-data)", () => {
  const KINDS = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"];
  const texts = KINDS.map((f) => readFileSync(join(FIXTURE, f), "utf8"));
  const form = (names: readonly string[], bodies: readonly string[] = texts, extra: Record<string, string> = {}) => {
    const fd = new FormData();
    names.forEach((n, i) => fd.append("file", new Blob([bodies[i] ?? ""]), n));
    for (const [k, v] of Object.entries(extra)) fd.append(k, v);
    return fd;
  };
  const post = (p: string, body: FormData, headers: Record<string, string> = { ...auth, "x-drainscope-import": "1" }) => postImport(new Request(url(p), { method: "POST", body, headers }));
  const clusters = async () => (await rt.store.clusters()).map((c) => c.name);

  it("a folder's per-kind files are one cluster named after the folder, with analyze's windows exactly", async () => {
    const r = await post("/api/import", form(KINDS.map((k) => `real-v1.24-rollout/${k}`)));
    expect(r.status).toBe(200);
    const body = (await r.json()) as { cluster: string; files: { name: string; format: string; records: number }[]; timelineUrl: string };
    expect(body.cluster).toBe("real-v1.24-rollout");
    expect(body.files.map((f) => [f.name, f.format])).toEqual(KINDS.map((k) => [`real-v1.24-rollout/${k}`, "recording"]));
    const t = await getTimelineHandler(new Request(url(`/api/timeline?cluster=real-v1.24-rollout&${RANGE}`), { headers: auth }));
    const doc = (await t.json()) as { riskWindows: unknown[] };
    const { timeline } = analyzeRecording(KINDS.flatMap((k, i) => parseRecording(k, texts[i] ?? "")), { cluster: "real-v1.24-rollout" });
    expect(timeline.riskWindows.map((w) => w.rule)).toEqual(Array(3).fill("sigterm-before-deregistration"));
    expect(doc.riskWindows).toEqual(timeline.riskWindows.map(toAnalysisWindow));
  });

  it("per-kind files with no folder need a cluster name (query or form field); a bad file among them stores nothing", async () => {
    const before = await clusters();
    const unnamed = await post("/api/import", form(KINDS));
    expect(unnamed.status).toBe(400);
    expect(((await unnamed.json()) as { error: string }).error).toBe(
      "pods.jsonl, endpointslices.jsonl, events.jsonl: which cluster is this? Per-kind file names (pods.jsonl, events.jsonl…) with no folder do not say: give a cluster name (--cluster NAME, or the Cluster name field)",
    );
    const broken = await post("/api/import", form(KINDS, [texts[0] ?? "", `${texts[1] ?? ""}{"type":"MODIFIED"`, texts[2] ?? ""], { cluster: "set-broken" }));
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toMatch(/^endpointslices\.jsonl:\d+: truncated line/);
    expect(await clusters()).toEqual(before);

    expect((await post("/api/import", form(KINDS, texts, { cluster: "set-by-field" }))).status).toBe(200);
    expect((await post("/api/import?cluster=set-by-query", form(KINDS, texts, { cluster: "ignored" }))).status).toBe(200);
    expect(await clusters()).toEqual([...before, "set-by-field", "set-by-query"].sort());
  });

  it("keeps the header check, refuses an empty form and counts the whole request against the limit", async () => {
    expect((await post("/api/import?cluster=x", form(KINDS), auth)).status).toBe(200); // a token is enough
    const noHeader = await postImport(new Request(url("/api/import?cluster=y"), { method: "POST", body: form(KINDS) }));
    expect(noHeader.status).toBe(401); // the read token is set here; without one it would be the 403 below
    const empty = await post("/api/import", form([], [], { cluster: "z" }));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toBe('the upload holds no file: send each file as a part named "file"');
    process.env.DRAINSCOPE_MAX_INPUT_BYTES = String(Math.max(...texts.map((t) => t.length)) + 1000);
    try {
      const big = await post("/api/import?cluster=too-big", form(KINDS));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: string }).error).toMatch(/^the upload: \d+ bytes is over the \d+-byte import limit \(DRAINSCOPE_MAX_INPUT_BYTES\)$/);
    } finally {
      delete process.env.DRAINSCOPE_MAX_INPUT_BYTES;
    }
    expect(await clusters()).not.toContain("too-big");
  });
});

