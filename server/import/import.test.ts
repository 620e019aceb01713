// Import into a real SQLite store: round trip of a bundle, the real v1.24 rollout recording, an audit log
// rebuilt from a simulator run, and a table of malformed inputs after each of which the store is unchanged.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { computeTimeline } from "../../lib/engine/timeline";
import type { PodLane } from "../../lib/engine/types";
import { ImportError, planImport } from "../../lib/import";
import { CLUSTER_NAME_RULE } from "../../lib/model/names";
import { lastEventTime, recordingToEvents } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { exportView } from "../export/export-view";
import { getTimeline } from "../queries/timeline";
import { recordScenario } from "../sim";
import { openSqliteStore } from "../store/sqlite";
import type { Store } from "../store/types";
import { auditLogFromWatch } from "./audit-from-watch";
import { importIntoStore, readImportFiles } from "./apply";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const FILES = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].map((f) => join(FIXTURE, f));
const NOW = Date.parse("2026-11-22T07:00:00Z");
const RANGE = { from: Date.parse("2026-11-22T05:30:00Z"), to: Date.parse("2026-11-22T06:00:00Z") };

const stores: Store[] = [];
function freshStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), "ds-import-"));
  const s = openSqliteStore({ file: join(dir, "drainscope.db") });
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe("import of the real v1.24 rollout recording", () => {
  it("yields the rollout's three terminations with their times, as its own cluster named after the folder", async () => {
    const store = freshStore();
    const r = await importIntoStore(store, await readImportFiles(FILES, 1e9));
    expect(r.cluster).toBe("real-v1.24-rollout");
    expect(r.files.map((f) => f.format)).toEqual(["recording", "recording", "recording"]);
    expect(r.inserted).toBe(r.observations);
    const doc = await getTimeline(store, { cluster: "real-v1.24-rollout", ...RANGE }, NOW);
    const terminated = doc.pods.filter((p) => p.deleteRequestedAt !== null).sort((a, b) => (a.deleteRequestedAt ?? "").localeCompare(b.deleteRequestedAt ?? ""));
    expect(terminated.map((p) => [p.name, p.deleteRequestedAt, p.graceSeconds, p.exitedAt, p.exitCode])).toEqual([
      ["web-5984d6875f-f8f44", "2026-11-22T05:41:31.000Z", 5, "2026-11-22T05:41:36.000Z", 0],
      ["web-5984d6875f-2957c", "2026-11-22T05:41:33.000Z", 5, "2026-11-22T05:41:38.000Z", 0],
      ["web-5984d6875f-hg9n2", "2026-11-22T05:41:35.000Z", 5, "2026-11-22T05:41:40.000Z", 0],
    ]);
    // Importing the same files again changes nothing (ids are deterministic, the store idempotent).
    const again = await importIntoStore(store, await readImportFiles(FILES, 1e9));
    expect(again.inserted).toBe(0);
  });
});

describe("the cluster a set of files becomes", () => {
  it("per-kind files named relative to the working directory still take their folder's name", async () => {
    const files = await readImportFiles(FILES.map((f) => relative(process.cwd(), f)), 1e9);
    expect(files.map((f) => f.name)).toEqual(FILES.map((f) => relative(process.cwd(), f)));
    expect(files.map((f) => f.path)).toEqual(FILES);
    expect(planImport(files).cluster).toBe("real-v1.24-rollout");
    // Given as bare names with no folder, they say nothing about their cluster: the import asks for one.
    const bare = files.map((f) => ({ name: f.name.split("/").at(-1) ?? f.name, text: f.text }));
    expect(() => planImport(bare)).toThrow("pods.jsonl, endpointslices.jsonl, events.jsonl: which cluster is this?");
    expect(planImport(bare, { cluster: "named" }).cluster).toBe("named");
  });
});

describe("bundle round trip", () => {
  it("export → import into a fresh store → the same timeline and windows, byte-identical re-export", async () => {
    const a = freshStore();
    await importIntoStore(a, await readImportFiles(FILES, 1e9), { cluster: "prod-eu" });
    const q = { cluster: "prod-eu", namespace: "default", service: "web", ...RANGE };
    const first = await exportView(a, q, "json", NOW);
    expect(first.fileName).toMatch(/^drainscope-prod-eu-default-web-.*\.drainscope\.json$/);
    const text = String(first.body);

    const b = freshStore();
    const r = await importIntoStore(b, [{ name: "colleague.drainscope.json", text }]);
    expect(r.cluster).toBe("prod-eu");
    expect(r.view).toEqual({ namespace: "default", service: "web", ...RANGE });
    const [ta, tb] = await Promise.all([getTimeline(a, q, NOW), getTimeline(b, q, NOW)]);
    expect(tb.riskWindows).toEqual(ta.riskWindows);
    expect(tb.riskWindows).toHaveLength(3);
    expect(tb.lanes).toEqual(ta.lanes);
    // The same view, except the data span: a bundle holds its view's observations, not the whole store.
    expect({ ...tb, dataSpan: null }).toEqual({ ...ta, dataSpan: null });
    const second = await exportView(b, { cluster: r.cluster, ...r.view }, "json", NOW + 3600_000);
    expect(String(second.body)).toBe(text);
    // The other text exports agree too.
    for (const f of ["md", "csv", "svg", "trace"] as const) expect(String((await exportView(b, q, f, NOW)).body)).toBe(String((await exportView(a, q, f, NOW)).body));
  });

  it("--cluster renames a bundle's observations", async () => {
    const a = freshStore();
    await importIntoStore(a, await readImportFiles(FILES, 1e9), { cluster: "prod-eu" });
    const text = String((await exportView(a, { cluster: "prod-eu", ...RANGE }, "json", NOW)).body);
    const b = freshStore();
    const r = await importIntoStore(b, [{ name: "x.json", text }], { cluster: "copy" });
    expect(r.cluster).toBe("copy");
    expect((await b.clusters()).map((c) => c.name)).toEqual(["copy"]);
  });
});

function keyTimes(lanes: readonly PodLane[]) {
  return lanes
    .filter((l) => l.keyTimes.deleteRequested ?? l.keyTimes.removed)
    .map((l) => ({
      uid: l.uid,
      name: l.name,
      deleteRequested: iso(l.keyTimes.deleteRequested?.at),
      grace: l.keyTimes.graceSeconds,
      exited: iso(l.keyTimes.exited?.at),
      exitCode: l.keyTimes.exited?.exitCode,
      removed: iso(l.keyTimes.removed?.at),
      endpoints: l.endpoints.map((e) => ({ service: e.service, intervals: e.intervals.map((i) => [i.state, iso(i.start), iso(i.end)]) })),
    }))
    .sort((x, y) => x.uid.localeCompare(y.uid));
}

describe("audit log import", () => {
  it("a RequestResponse audit log of a simulator run reconstructs the same terminations as its live watch", async () => {
    const rec = await recordScenario({ scenario: "no-prestop-rollout", speed: 60 });
    const watchLines = parseRecording("watch.jsonl", rec.jsonl);
    const watchEvents = recordingToEvents(watchLines, "sim");
    const live = computeTimeline(watchEvents, { now: lastEventTime(watchEvents) });

    const audit = auditLogFromWatch(rec.lines);
    expect(audit.split("\n")[1]).toContain('"stage":"ResponseComplete"');
    const store = freshStore();
    const dir = mkdtempSync(join(tmpdir(), "ds-audit-"));
    const file = join(dir, "incident-7.audit.jsonl");
    writeFileSync(file, audit);
    const r = await importIntoStore(store, await readImportFiles([file], 1e9));
    expect(r.cluster).toBe("incident-7");
    expect(r.files[0]?.format).toBe("audit");
    const events = await store.query({ cluster: "incident-7" });
    const rebuilt = computeTimeline(events, { now: lastEventTime(watchEvents) });

    const expected = keyTimes(live.pods);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(expected.some((p) => p.endpoints.some((e) => e.intervals.length > 1))).toBe(true);
    expect(keyTimes(rebuilt.pods)).toEqual(expected);
    expect(rebuilt.riskWindows.map((w) => [w.rule, w.start, w.end])).toEqual(live.riskWindows.filter((w) => !w.lb).map((w) => [w.rule, w.start, w.end]));
    // Actors: every graceful delete names the controller that asked for it.
    const deletes = events.filter((e) => e.type === "k8s-event" && e.reason === "AuditDelete");
    expect(deletes.some((e) => e.type === "k8s-event" && e.message.startsWith("system:serviceaccount:kube-system:replicaset-controller deleted pod"))).toBe(true);
  }, 60_000);

  it("a Metadata-level audit log gives who deleted and evicted which pod, with µs times", () => {
    const line = (o: Record<string, unknown>) =>
      JSON.stringify({
        kind: "Event",
        apiVersion: "audit.k8s.io/v1",
        level: "Metadata",
        stage: "ResponseComplete",
        requestReceivedTimestamp: "2026-11-22T06:00:00.100000Z",
        stageTimestamp: "2026-11-22T06:00:00.123456Z",
        user: { username: "alice@example.com" },
        ...o,
      });
    const text = [
      line({ auditID: "a1", verb: "delete", requestURI: "/api/v1/namespaces/shop/pods/web-1", objectRef: { resource: "pods", namespace: "shop", name: "web-1", uid: "u-1", apiVersion: "v1" }, responseStatus: { code: 200 } }),
      line({ auditID: "a2", verb: "create", objectRef: { resource: "pods", subresource: "eviction", namespace: "shop", name: "web-2", apiVersion: "v1" }, responseStatus: { code: 429 } }),
      line({ auditID: "a3", verb: "get", requestURI: "/healthz", responseStatus: { code: 200 } }),
    ].join("\n");
    const plan = planImport([{ name: "meta.log", text }]);
    expect(plan.events.map((e) => (e.type === "k8s-event" ? [e.reason, e.message, e.at, e.podUid] : e.type))).toEqual([
      ["AuditDelete", "alice@example.com deleted pod shop/web-1 (HTTP 200)", Date.parse("2026-11-22T06:00:00.123Z"), "u-1"],
      ["AuditEvictionRefused", "alice@example.com tried to evict pod shop/web-2 (HTTP 429)", Date.parse("2026-11-22T06:00:00.123Z"), undefined],
    ]);
  });
});

describe("malformed input", () => {
  const bundleText = () => {
    const lines = FILES.flatMap((f) => parseRecording(f, readFileSync(f, "utf8")));
    const events = recordingToEvents(lines, "c1").slice(0, 3);
    return `{"format":"drainscope-bundle","version":1,"cluster":"c1","view":{},"observations":[\n${events.map((e) => JSON.stringify(e)).join(",\n")}\n]}\n`;
  };
  const podLine = readFileSync(FILES[0] ?? "", "utf8").split("\n")[0] ?? "";
  const auditOk = JSON.stringify({ kind: "Event", apiVersion: "audit.k8s.io/v1", level: "Metadata", auditID: "x", stage: "ResponseComplete", verb: "delete", requestReceivedTimestamp: "2026-11-22T06:00:00.000000Z", stageTimestamp: "2026-11-22T06:00:00.100000Z", user: { username: "bob" }, objectRef: { resource: "pods", namespace: "a", name: "p" }, responseStatus: { code: 200 } });

  const CASES: { name: string; files: () => { name: string; text: string }[]; cluster?: string; maxBytes?: number; error: string }[] = [
    { name: "empty file", files: () => [{ name: "empty.jsonl", text: "\n\n" }], error: "empty.jsonl: the file is empty: expected a Drainscope bundle ({\"format\":\"drainscope-bundle\",…}), a watch recording (one {\"type\":\"ADDED|MODIFIED|DELETED\",\"object\":{…}} per line) or a Kubernetes audit log (one audit.k8s.io/v1 Event per line)" },
    { name: "wrong format", files: () => [{ name: "notes.txt", text: "hello world\n" }], error: "notes.txt:1: not valid JSON; expected a Drainscope bundle ({\"format\":\"drainscope-bundle\",…}), a watch recording (one {\"type\":\"ADDED|MODIFIED|DELETED\",\"object\":{…}} per line) or a Kubernetes audit log (one audit.k8s.io/v1 Event per line)" },
    { name: "a bare object, not a watch event", files: () => [{ name: "pod.json", text: '{"kind":"Pod","apiVersion":"v1"}\n' }], error: "pod.json:1: unrecognised format (found a Pod object): expected a Drainscope bundle ({\"format\":\"drainscope-bundle\",…}), a watch recording (one {\"type\":\"ADDED|MODIFIED|DELETED\",\"object\":{…}} per line) or a Kubernetes audit log (one audit.k8s.io/v1 Event per line)" },
    { name: "recording: invalid JSON on line 2", files: () => [{ name: "rec.jsonl", text: `${podLine}\n{not json}\n${podLine}\n` }], error: "rec.jsonl:2: not valid JSON: Expected property name or '}' in JSON at position 1. Expected one JSON watch event per line: {\"type\":\"ADDED|MODIFIED|DELETED\",\"object\":{…}}" },
    { name: "recording: truncated last line", files: () => [{ name: "rec.jsonl", text: `${podLine}\n${podLine.slice(0, 200)}` }], error: "rec.jsonl:2: truncated line: the file ends mid-object after 200 characters. Expected one JSON watch event per line: {\"type\":\"ADDED|MODIFIED|DELETED\",\"object\":{…}}" },
    { name: "recording: object missing metadata.uid", files: () => [{ name: "rec.jsonl", text: `${podLine.replace(/,"uid":"1b142f21-1aab-4368-88b7-f12f3e3c0175"/, "")}\n` }], error: "rec.jsonl:1: missing field metadata.uid" },
    { name: "bundle: truncated", files: () => [{ name: "b.json", text: bundleText().slice(0, 900) }], error: "b.json:3: truncated: the file ends before the bundle is complete. Expected a drainscope-bundle JSON document {\"format\":\"drainscope-bundle\",\"version\":1,\"cluster\":…,\"view\":{…},\"observations\":[…]}" },
    { name: "bundle: newer version", files: () => [{ name: "b.json", text: bundleText().replace('"version":1', '"version":2') }], error: "b.json:1: bundle version 2 is not supported: this Drainscope reads version 1 (the bundle is from a newer Drainscope)" },
    { name: "bundle: observation missing a field", files: () => [{ name: "b.json", text: bundleText().replace(/,"podUid":"[^"]+"/, "") }], error: 'b.json:4: observation 3 (type "pod-seen") is invalid: field "podUid": Invalid input: expected string, received undefined' },
    { name: "bundle: observation of another cluster", files: () => [{ name: "b.json", text: bundleText().replace(/("cluster":)"c1"(,"namespace")/, '$1"c2"$2') }], error: 'b.json:2: observation 1 belongs to cluster "c2" but the bundle is for "c1": several clusters are mixed in one bundle' },
    { name: "bundles of two clusters", files: () => [{ name: "a.json", text: bundleText() }, { name: "b.json", text: bundleText().replaceAll('"c1"', '"c2"') }], error: 'b.json:1: several clusters mixed: a.json is cluster "c1", b.json is cluster "c2"; import them one at a time or pass --cluster NAME to merge them' },
    { name: "audit: missing stageTimestamp", files: () => [{ name: "audit.log", text: `${auditOk}\n${auditOk.replace(/,"stageTimestamp":"[^"]+"/, "")}\n` }], error: 'audit.log:2: missing field "stageTimestamp" (a string) in audit event' },
    { name: "audit: a watch line in an audit log", files: () => [{ name: "audit.log", text: `${auditOk}\n${podLine}\n` }], error: 'audit.log:2: expected kind "Event" and apiVersion "audit.k8s.io/v1", got kind null apiVersion null' },
    { name: "audit: truncated last line", files: () => [{ name: "audit.log", text: `${auditOk}\n${auditOk.slice(0, 50)}` }], error: "audit.log:2: truncated line: the file ends mid-object after 50 characters. Expected one audit.k8s.io/v1 Event per line ({\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"stage\":\"ResponseComplete\",…})" },
    { name: "over the size limit", files: () => [{ name: "big.jsonl", text: `${podLine}\n` }], maxBytes: 100, error: "big.jsonl: 1845 bytes is over the 100-byte import limit (DRAINSCOPE_MAX_INPUT_BYTES)" },
    { name: "bad --cluster", files: () => [{ name: "rec.jsonl", text: `${podLine}\n` }], cluster: "-bad name", error: `--cluster: "-bad name" is not a valid cluster name (${CLUSTER_NAME_RULE})` },
  ];

  it.each(CASES)("$name → exact error, store unchanged", async (c) => {
    const store = freshStore();
    await importIntoStore(store, [{ name: "seed.jsonl", text: `${podLine}\n` }], { cluster: "seed" });
    const before = JSON.stringify(await store.query({}));
    const beforeClusters = await store.clusters();
    let caught: unknown;
    try {
      await importIntoStore(store, c.files(), { ...(c.cluster ? { cluster: c.cluster } : {}), ...(c.maxBytes ? { maxBytes: c.maxBytes } : {}) });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ImportError);
    const message = caught instanceof Error ? caught.message : "";
    expect(message).toBe(c.error);
    expect(JSON.stringify(await store.query({}))).toBe(before);
    expect(await store.clusters()).toEqual(beforeClusters);
  });
});
