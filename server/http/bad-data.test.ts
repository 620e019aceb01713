// Bad data is refused at the door, the same way on every door and on both stores: each bad time and bad
// name over HTTP ingest, HTTP import and `drainscope import` gives 400 / exit 2 with the exact message,
// leaves the store exactly as it was (rows and cluster summaries counted before and after), and the
// pages' API still answers afterwards.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLUSTER_NAME_RULE, NAMESPACE_RULE, POD_NAME_RULE } from "../../lib/model/names";
import { main } from "../cli/main";
import { loadConfig } from "../config";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { pgUnavailableReason, startPgTestServer, type PgTestServer } from "../store/pg-test-server";
import { getClusters, getEpisodes, getTimelineHandler, postLbIngest, postSignalIngest } from "./handlers";
import { postImport } from "./transfer";

const TOKEN = "bad-data-ingest-token-0123456789";
const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const HUGE = 9_000_000_000_000_000;
const T = Date.UTC(2026, 10, 22, 5, 41, 0);
const podLine = readFileSync(join(FIXTURE, "pods.jsonl"), "utf8").split("\n")[0] ?? "";

/** A one-observation bundle (observation on line 2) with `patch` applied to the observation or the bundle. */
function bundle(obs: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
  const o = { id: "o1", cluster: "c1", namespace: "default", source: "pod", at: T, range: [T, T], clock: "watcher", precision: "exact", type: "pod-ready-changed", pod: "web-1", podUid: "uid-1", ready: true, ...obs };
  const head = JSON.stringify({ format: "drainscope-bundle", version: 1, cluster: "c1", view: {}, ...top });
  return `${head.slice(0, -1)},"observations":[\n${JSON.stringify(o)}\n]}\n`;
}

/** The fixture's first pod line with changes to its watch event or its object's metadata. */
function recording(event: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): string {
  const raw = JSON.parse(podLine) as { object: { metadata: Record<string, unknown> } };
  raw.object.metadata = { ...raw.object.metadata, ...metadata };
  return `${JSON.stringify({ ...raw, ...event })}\n`;
}

interface ImportCase {
  readonly what: string;
  readonly file: string;
  readonly text: string;
  readonly cluster?: string;
  /** The message after "FILE:" (HTTP) — the CLI prints the same after "drainscope import: ". */
  readonly error: string;
}

const IMPORT_CASES: readonly ImportCase[] = [
  { what: "bundle: a huge time", file: "b.json", text: bundle({ at: HUGE }), error: `b.json:2: observation 1 (type "pod-ready-changed") is invalid: field "at": ${HUGE} is not a valid time (after 2100-01-01)` },
  { what: "bundle: a time before 2000", file: "b.json", text: bundle({ at: 946684799999 }), error: 'b.json:2: observation 1 (type "pod-ready-changed") is invalid: field "at": 946684799999 is not a valid time (before 2000-01-01)' },
  { what: "bundle: an inverted range", file: "b.json", text: bundle({ range: [T + 5, T] }), error: `b.json:2: observation 1 (type "pod-ready-changed") is invalid: field "range": [${T + 5}, ${T}] is inverted (range[0] is after range[1])` },
  {
    what: "bundle: an inverted watcher gap",
    file: "b.json",
    text: bundle({ type: "watcher-gap", pod: undefined, podUid: undefined, ready: undefined, namespace: "", resource: "pods", reason: "x", from: T, to: T - 1 }),
    error: `b.json:2: observation 1 (type "watcher-gap") is invalid: field "to": ${T - 1} is before from: ${T} (the gap is inverted)`,
  },
  { what: "bundle: a path as cluster", file: "b.json", text: bundle({ cluster: "../../etc/passwd" }, { cluster: "../../etc/passwd" }), error: `b.json:1: field "cluster": "../../etc/passwd" is not a valid cluster name (${CLUSTER_NAME_RULE})` },
  { what: "bundle: a bad namespace", file: "b.json", text: bundle({ namespace: "Bad_NS" }), error: `b.json:2: observation 1 (type "pod-ready-changed") is invalid: field "namespace": "Bad_NS" is not a valid namespace (${NAMESPACE_RULE})` },
  { what: "bundle: a bad pod name", file: "b.json", text: bundle({ pod: "Web/1" }), error: `b.json:2: observation 1 (type "pod-ready-changed") is invalid: field "pod": "Web/1" is not a valid pod name (${POD_NAME_RULE})` },
  { what: "recording: a huge observedAt", file: "r.jsonl", text: recording({ observedAt: HUGE }), error: `r.jsonl:1: observedAt: ${HUGE} is not a valid time (after 2100-01-01)` },
  { what: "recording: a bad namespace", file: "r.jsonl", text: recording({}, { namespace: "Bad_NS" }), error: `r.jsonl:1: metadata.namespace: "Bad_NS" is not a valid namespace (${NAMESPACE_RULE})` },
  { what: "recording: a bad pod name", file: "r.jsonl", text: recording({}, { name: "web_1" }), error: `r.jsonl:1: metadata.name: "web_1" is not a valid pod name (${POD_NAME_RULE})` },
  { what: "recording: a creation time before 2000", file: "r.jsonl", text: recording({}, { creationTimestamp: "1999-12-31T23:59:59Z" }), error: 'r.jsonl:1: metadata.creationTimestamp: "1999-12-31T23:59:59Z" is not a valid time (before 2000-01-01)' },
];

const BAD_CLUSTER = "../x";

async function snapshot(rt: Runtime): Promise<string> {
  const events = await rt.store.query({});
  return JSON.stringify({ rows: events.length, ids: events.map((e) => `${e.cluster}/${e.id}`), clusters: await rt.store.clusters() });
}

function doors(store: "sqlite" | "postgres", target: () => { env: Record<string, string> }): void {
  let rt: Runtime;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = target().env;
    rt = await startRuntime(loadConfig({ ...env, DRAINSCOPE_WATCH: "off", DRAINSCOPE_INGEST_TOKEN: TOKEN }), { env: {}, log: () => {}, effects: systemEffects });
    installRuntime(Promise.resolve(rt));
    // Something to protect: a good import that must survive every bad attempt untouched.
    const ok = await postImport(new Request("http://127.0.0.1/api/import?name=good.jsonl&cluster=good", { method: "POST", body: readFileSync(join(FIXTURE, "pods.jsonl"), "utf8"), headers: { "x-drainscope-import": "1" } }));
    expect(ok.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    installRuntime(undefined);
    await rt.stop();
  });

  const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const signal = { namespace: "default", pod: "web-x", podUid: "aaaaaaaa-0000-0000-0000-000000000001", signal: "sigterm-received" };
  const ingestCases: readonly [string, () => Promise<Response>, string][] = [
    ["a huge time", () => postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: auth, body: JSON.stringify({ ...signal, at: HUGE }) })), `at: ${HUGE} is not a valid time (after 2100-01-01)`],
    ["a time before 2000", () => postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: auth, body: JSON.stringify({ ...signal, at: "1999-12-31T23:59:59Z" }) })), "at: 946684799000 is not a valid time (before 2000-01-01)"],
    ["a bad namespace", () => postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: auth, body: JSON.stringify({ ...signal, namespace: "Bad_NS" }) })), `namespace: "Bad_NS" is not a valid namespace (${NAMESPACE_RULE})`],
    ["a bad pod name", () => postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: auth, body: JSON.stringify({ ...signal, pod: "Web.-1" }) })), `pod: "Web.-1" is not a valid pod name (${POD_NAME_RULE})`],
    ["a path as cluster", () => postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: auth, body: JSON.stringify({ ...signal, cluster: "../../etc/passwd" }) })), `cluster: "../../etc/passwd" is not a valid cluster name (${CLUSTER_NAME_RULE})`],
    [
      "an LB member with a huge time",
      () => postLbIngest(new Request("http://127.0.0.1/api/ingest/lb", { method: "POST", headers: auth, body: JSON.stringify({ members: [{ lb: "p", source: "f5", member: "10.0.0.1:80", state: "active", at: T }, { lb: "p", source: "f5", member: "10.0.0.2:80", state: "active", at: HUGE }] }) })),
      `members.1.at: ${HUGE} is not a valid time (after 2100-01-01)`,
    ],
    [
      "an LB member with since after at",
      () => postLbIngest(new Request("http://127.0.0.1/api/ingest/lb", { method: "POST", headers: auth, body: JSON.stringify({ members: [{ lb: "p", source: "ipvs", member: "10.0.0.1:80", state: "removed", since: T + 2000, at: T }] }) })),
      `members.0.since: ${T + 2000} is after at: ${T} (the range is inverted)`,
    ],
    [
      "an LB member with a bad namespace",
      () => postLbIngest(new Request("http://127.0.0.1/api/ingest/lb", { method: "POST", headers: auth, body: JSON.stringify({ members: [{ lb: "p", source: "f5", member: "10.0.0.1:80", state: "active", namespace: "a..b" }] }) })),
      `members.0.namespace: "a..b" is not a valid namespace (${NAMESPACE_RULE})`,
    ],
  ];

  it.each(ingestCases)(`${store}: HTTP ingest refuses %s with 400 and stores nothing`, async (_what, send, message) => {
    const before = await snapshot(rt);
    const r = await send();
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe(message);
    expect(await snapshot(rt)).toBe(before);
  });

  it(`${store}: HTTP ingest refuses a time more than 5 minutes ahead of the server's clock`, async () => {
    const before = await snapshot(rt);
    // Relative to the server's own clock at the time of the request, so it holds on any date.
    const at = Date.now() + 3600_000;
    const r = await postSignalIngest(new Request("http://127.0.0.1/api/ingest/signal", { method: "POST", headers: auth, body: JSON.stringify({ ...signal, at }) }));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(new RegExp(`^at: ${at} is not a valid time \\(more than 5 minutes after the server's clock, \\d{4}-`));
    expect(await snapshot(rt)).toBe(before);
  });

  it.each(IMPORT_CASES)(`${store}: HTTP and CLI import refuse $what with 400 / exit 2 and change nothing`, async (c) => {
    const before = await snapshot(rt);
    const q = new URLSearchParams({ name: c.file, ...(c.cluster ? { cluster: c.cluster } : {}) });
    const r = await postImport(new Request(`http://127.0.0.1/api/import?${q.toString()}`, { method: "POST", body: c.text, headers: { "x-drainscope-import": "1" } }));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe(c.error);
    expect(await snapshot(rt)).toBe(before);

    const dir = mkdtempSync(join(tmpdir(), "ds-bad-"));
    const path = join(dir, c.file);
    writeFileSync(path, c.text);
    let out = "";
    let err = "";
    const code = await main(["import", path], { out: (t) => void (out += t), err: (t) => void (err += t), env });
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(`drainscope import: ${path.slice(0, -c.file.length)}${c.error}\nNothing was imported.\n`);
    expect(await snapshot(rt)).toBe(before);
    // Every page's data still loads.
    expect((await getClusters(new Request("http://127.0.0.1/api/clusters"))).status).toBe(200);
    expect((await getEpisodes(new Request(`http://127.0.0.1/api/episodes?from=${T - 3600_000}&to=${T + 3600_000}`))).status).toBe(200);
  });

  it(`${store}: a bad --cluster / ?cluster= is refused at the door`, async () => {
    const before = await snapshot(rt);
    const r = await postImport(new Request(`http://127.0.0.1/api/import?name=r.jsonl&cluster=${encodeURIComponent(BAD_CLUSTER)}`, { method: "POST", body: recording(), headers: { "x-drainscope-import": "1" } }));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe(`cluster: "${BAD_CLUSTER}" is not a valid cluster name (${CLUSTER_NAME_RULE})`);
    const path = join(mkdtempSync(join(tmpdir(), "ds-bad-")), "r.jsonl");
    writeFileSync(path, recording());
    let err = "";
    const code = await main(["import", "--cluster", BAD_CLUSTER, path], { out: () => undefined, err: (t) => void (err += t), env });
    expect(code).toBe(2);
    expect(err.split("\n")[0]).toBe(`drainscope import: --cluster: "${BAD_CLUSTER}" is not a valid cluster name (${CLUSTER_NAME_RULE})`);
    expect(await snapshot(rt)).toBe(before);
  });

  it(`${store}: a cluster named after an odd file name is made valid, not refused`, async () => {
    const r = await postImport(new Request(`http://127.0.0.1/api/import?name=${encodeURIComponent("../../x..y/pods.jsonl")}`, { method: "POST", body: recording(), headers: { "x-drainscope-import": "1" } }));
    expect(r.status).toBe(200);
    expect(((await r.json()) as { cluster: string }).cluster).toBe("x.y");
    const tl = await getTimelineHandler(new Request(`http://127.0.0.1/api/timeline?cluster=x.y&from=${T - 3600_000}&to=${T + 3600_000}`));
    expect(tl.status).toBe(200);
  });
}

describe("bad data at the door: SQLite", () => {
  doors("sqlite", () => ({ env: { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-bad-data-")) } }));
});

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`SKIPPING PostgreSQL bad-data tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("bad data at the door: PostgreSQL", () => {
  let server: PgTestServer | undefined;
  let url = "";
  beforeAll(async () => {
    server = await startPgTestServer();
    const admin = new pg.Client(server.url("postgres"));
    await admin.connect();
    await admin.query("CREATE DATABASE bad_data");
    await admin.end();
    url = server.url("bad_data");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);
  doors("postgres", () => ({ env: { DATABASE_URL: url, DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-bad-data-pg-")) } }));
});
