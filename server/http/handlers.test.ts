// The HTTP API, called as Next calls it (Request in, Response out), on a real runtime with a SQLite store.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimelineDocument } from "../../lib/api/timeline-document";
import { recordingToEvents } from "../../lib/recording/analyze";
import { timelineDocFromCompact } from "../../lib/view/timeline-doc";
import { parseRecording } from "../../lib/recording/parse";
import { loadConfig } from "../config";
import { parsePrometheusText } from "../runtime/prometheus-text";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { getClusters, getHealth, getMetrics, getPodHandler, getStream, getTimelineHandler, postLbIngest, postSignalIngest } from "./handlers";

const TOKEN = "test-ingest-token-0123456789";
const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
let rt: Runtime;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ds-api-"));
  const config = loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN });
  rt = await startRuntime(config, { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
  const lines = readdirSync(FIXTURE).filter((f) => f.endsWith(".jsonl")).flatMap((f) => parseRecording(f, readFileSync(join(FIXTURE, f), "utf8")));
  await rt.store.append(recordingToEvents(lines, "fixture"));
});

afterAll(async () => {
  installRuntime(undefined);
  await rt.stop();
});

const get = (path: string, init: RequestInit = {}) => new Request(`http://127.0.0.1${path}`, init);
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
const auth = { authorization: `Bearer ${TOKEN}` };
const body = async (r: Response) => (await r.json()) as Record<string, unknown>;

describe("read API", () => {
  it("GET /api/health reports mode and store", async () => {
    const r = await getHealth(get("/api/health"));
    expect(r.status).toBe(200);
    expect(await body(r)).toMatchObject({ status: "ok", mode: "store-only", store: { kind: "sqlite" } });
  });

  it("GET /api/clusters lists the stored cluster", async () => {
    const b = await body(await getClusters(get("/api/clusters")));
    expect(b.clusters).toEqual([expect.objectContaining({ name: "fixture", namespaces: ["default"], live: false })]);
  });

  it("GET /api/timeline returns the analyze shape with the rollout's three windows, plus lanes", async () => {
    const from = Date.parse("2026-11-22T05:40:00Z");
    const to = Date.parse("2026-11-22T05:45:00Z");
    const r = await getTimelineHandler(get(`/api/timeline?cluster=fixture&namespace=default&from=${from}&to=${to}`));
    expect(r.status).toBe(200);
    const b = (await r.json()) as { riskWindows: { rule: string; pods: string[]; durationMs: number }[]; lanes: unknown[]; pods: unknown[]; range: unknown };
    expect(b.riskWindows.map((w) => [w.rule, w.pods[0], w.durationMs])).toEqual([
      ["sigterm-before-deregistration", "web-5984d6875f-f8f44", 2000],
      ["sigterm-before-deregistration", "web-5984d6875f-2957c", 2000],
      ["sigterm-before-deregistration", "web-5984d6875f-hg9n2", 2000],
    ]);
    expect(b.lanes).toHaveLength(6);
    expect(b.range).toEqual({ from, to });
  });

  it("GET /api/timeline?format=compact decodes to the JSON document's lanes and windows; format=json is the document", async () => {
    const range = `cluster=fixture&namespace=default&from=${Date.parse("2026-11-22T05:40:00Z")}&to=${Date.parse("2026-11-22T05:45:00Z")}`;
    const json = (await (await getTimelineHandler(get(`/api/timeline?${range}&format=json`))).json()) as TimelineDocument;
    const compact = timelineDocFromCompact(await (await getTimelineHandler(get(`/api/timeline?${range}&format=compact`))).json());
    expect(compact.lanes).toEqual(json.lanes);
    expect(compact.riskWindows).toEqual(json.riskWindows);
    expect(compact.pods).toEqual(json.pods);
    expect(json.lanes).toHaveLength(6);
    expect((await getTimelineHandler(get(`/api/timeline?${range}&format=xml`))).status).toBe(400);
  });

  it("filters the timeline by service and workload", async () => {
    const from = "2026-11-22T05:40:00Z";
    const none = (await (await getTimelineHandler(get(`/api/timeline?cluster=fixture&service=nothere&from=${from}`))).json()) as { lanes: unknown[] };
    expect(none.lanes).toEqual([]);
    const web = (await (await getTimelineHandler(get(`/api/timeline?cluster=fixture&workload=web&from=${from}`))).json()) as { lanes: unknown[] };
    expect(web.lanes).toHaveLength(6);
  });

  it.each([
    ["/api/timeline?from=yesterday", "from: expected epoch milliseconds or an RFC 3339 time"],
    ["/api/timeline?from=2000&to=1000", "from: from must not be after to"],
    ["/api/timeline?cluster=bad/name", `cluster: "bad/name" is not a valid cluster name`],
  ])("rejects %s with 400", async (path, message) => {
    const r = await getTimelineHandler(get(path));
    expect(r.status).toBe(400);
    expect((await body(r)).error).toContain(message);
  });

  it("GET /api/pods/:uid gives the lane and events; unknown uid is 404", async () => {
    const tl = (await (await getTimelineHandler(get("/api/timeline?cluster=fixture&from=2026-11-22T05:40:00Z"))).json()) as { pods: { uid: string; name: string }[] };
    const uid = tl.pods.find((p) => p.name === "web-5984d6875f-f8f44")?.uid ?? "";
    const r = await getPodHandler(get(`/api/pods/${uid}`), uid);
    const b = (await r.json()) as { lane: { name: string }; riskWindows: unknown[]; events: unknown[] };
    expect(b.lane.name).toBe("web-5984d6875f-f8f44");
    expect(b.riskWindows).toHaveLength(1);
    expect(b.events.length).toBeGreaterThan(5);
    expect((await getPodHandler(get("/api/pods/00000000-0000"), "00000000-0000")).status).toBe(404);
  });

  it("GET /metrics speaks the Prometheus text format", async () => {
    const r = await getMetrics(get("/metrics"));
    expect(r.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await r.text();
    expect(text).toMatch(/^# TYPE drainscope_store_write_duration_seconds histogram$/m);
    expect(parsePrometheusText(text).get("process_cpu_seconds_total")?.type).toBe("counter");
  });
});

describe("ingest API", () => {
  const signal = { namespace: "default", pod: "web-x", podUid: "aaaaaaaa-0000-0000-0000-000000000001", signal: "sigterm-received", at: "2026-11-22T06:00:00.250Z" };

  async function storedSignals(): Promise<number> {
    const events = await rt.store.query({ cluster: "default", podUids: [signal.podUid] });
    return events.length;
  }

  it.each([
    ["no token", post("/api/ingest/signal", JSON.stringify(signal)), 401, "ingest requires Authorization"],
    ["a wrong token", post("/api/ingest/signal", JSON.stringify(signal), { authorization: "Bearer nope" }), 401, "ingest requires Authorization"],
    ["a bad body", post("/api/ingest/signal", JSON.stringify({ ...signal, signal: "sigstop" }), auth), 400, 'signal: Invalid option: expected one of "prestop-start"'],
    ["invalid JSON", post("/api/ingest/signal", "{", auth), 400, "body is not valid JSON"],
    ["an oversized body", post("/api/ingest/signal", "x".repeat(1024 * 1024 + 1), auth), 413, "over the 1048576-byte limit"],
  ])("refuses %s and stores nothing", async (_what, request, status, message) => {
    const r = await postSignalIngest(request);
    expect(r.status).toBe(status);
    expect((await body(r)).error).toContain(message);
    expect(await storedSignals()).toBe(0);
  });

  // proxy.ts does not run for ingest (its matcher): the handlers' own Host/Origin guard is the only one.
  it.each([
    ["a cross-site browser write", { origin: "http://evil.example" }, "cross-origin request refused"],
    ["a write another site's page sent", { "sec-fetch-site": "cross-site" }, "cross-site request refused"],
  ])("refuses %s with a valid token, and stores nothing", async (_what, headers, message) => {
    for (const [handler, path] of [[postSignalIngest, "/api/ingest/signal"], [postLbIngest, "/api/ingest/lb"]] as const) {
      const r = await handler(post(path, JSON.stringify(signal), { ...auth, ...headers }));
      expect([path, r.status]).toEqual([path, 403]);
      expect(await r.text()).toContain(message);
    }
    expect(await storedSignals()).toBe(0);
  });

  // Whichever phase of the event loop the two requests arrive in (a server parses sockets in the poll phase).
  it.each([
    ["a timer", (go: () => void) => setTimeout(go, 0), "1"],
    ["a setImmediate", (go: () => void) => setImmediate(go), "2"],
  ])("computes a timeline read that arrives with an acknowledgement waiting only after that commit (from %s)", async (_from, after, n) => {
    await new Promise<void>((resolve) => after(resolve));
    const s = { ...signal, cluster: `ack-first-${n}`, podUid: `aaaaaaaa-0000-0000-0000-0000000000a${n}` };
    const acked = postSignalIngest(post("/api/ingest/signal", JSON.stringify(s), auth));
    const read = getTimelineHandler(get(`/api/timeline?cluster=ack-first-${n}&namespace=default`));
    const [ack, timeline] = await Promise.all([acked, read]);
    expect(ack.status).toBe(202);
    // Computed after the commit: the read sees the signal (before, it computed first and saw no data).
    expect(((await timeline.json()) as { eventCount: number }).eventCount).toBe(1);
  });

  it("stores a valid in-pod signal with the pod's clock time", async () => {
    const r = await postSignalIngest(post("/api/ingest/signal", JSON.stringify(signal), auth));
    expect(r.status).toBe(202);
    const events = await rt.store.query({ cluster: "default", podUids: [signal.podUid] });
    expect(events).toMatchObject([{ type: "in-pod-signal", signal: "sigterm-received", at: Date.parse(signal.at), clock: "node" }]);
  });

  it("stores LB member changes; rejects a bad member address", async () => {
    const ok = await postLbIngest(post("/api/ingest/lb", JSON.stringify({ cluster: "lbtest", members: [{ lb: "f5-pool", source: "f5", member: "10.1.2.3:8080", state: "draining", connections: 4, namespace: "default" }] }), auth));
    expect(ok.status).toBe(202);
    expect(await body(ok)).toEqual({ accepted: 1 });
    const bad = await postLbIngest(post("/api/ingest/lb", JSON.stringify({ members: [{ lb: "x", source: "y", member: "<script>", state: "active" }] }), auth));
    expect(bad.status).toBe(400);
    expect((await body(bad)).error).toContain("members.0.member: member must be ip or ip:port");
    expect((await rt.store.clusters()).map((c) => c.name)).toContain("lbtest");
  });
});

describe("import without a read token (loopback)", () => {
  it("refuses a cross-site-style upload without the X-Drainscope-Import header, accepts it with", async () => {
    const { postImport } = await import("./transfer");
    const line = readFileSync(join(FIXTURE, "pods.jsonl"), "utf8").split("\n")[0] ?? "";
    const bare = await postImport(post("/api/import?name=x.jsonl&cluster=csrf", line, { "content-type": "text/plain" }));
    expect(bare.status).toBe(403);
    expect((await body(bare)).error).toContain("X-Drainscope-Import: 1");
    expect((await rt.store.clusters()).map((c) => c.name)).not.toContain("csrf");
    const ok = await postImport(post("/api/import?name=x.jsonl&cluster=csrf", line, { "x-drainscope-import": "1" }));
    expect(ok.status).toBe(200);
  });
});

describe("live stream", () => {
  it("sends hello, then new observations as SSE", async () => {
    const abort = new AbortController();
    const r = await getStream(get("/api/stream?cluster=default", { signal: abort.signal }));
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value);
    expect(received).toContain("event: hello");
    await postSignalIngest(post("/api/ingest/signal", JSON.stringify({ namespace: "default", pod: "web-y", podUid: "aaaaaaaa-0000-0000-0000-000000000002", signal: "prestop-start" }), auth));
    while (!received.includes("event: observations")) received += decoder.decode((await reader.read()).value);
    expect(received).toContain('"signal":"prestop-start"');
    abort.abort();
  });
});
