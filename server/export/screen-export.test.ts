// One view state, two doors: the Export menu's link (GET /api/export, as Next calls it) and `drainscope export`
// with the same options give the same bytes; both hold exactly the zoomed range and the pinned lane.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportHref } from "../../lib/export/export-query";
import { readPngText } from "../../lib/export/png-text";
import type { TimelineViewState } from "../../lib/view/url-state";
import type { CliIo } from "../cli/io";
import { main } from "../cli/main";
import { loadConfig } from "../config";
import { getTimeline } from "../queries/timeline";
import { getExport, postImport } from "../http/transfer";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";

const ROLLOUT = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const CLUSTER = "real-v1.24-rollout";
let env: Record<string, string>;
let rt: Runtime;
let state: TimelineViewState;
let window: { start: number; end: number };
let pinnedName: string;

async function cli(argv: string[]) {
  let err = "";
  const io: CliIo = { out: () => {}, err: (t) => void (err += t), env };
  return { code: await main(argv, io), err };
}

async function viaLink(format: string): Promise<Buffer> {
  const res = await getExport(new Request(`http://127.0.0.1${exportHref(state, window, format)}`));
  expect(res.status, await res.clone().text()).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function viaCli(format: string, extra: string[] = []): Promise<Buffer> {
  const file = join(mkdtempSync(join(tmpdir(), "ds-screen-out-")), `view.${format}`);
  const args = ["export", "--format", format, "--cluster", CLUSTER, "--namespace", "default", "--episode", state.episode ?? "", "--from", String(window.start), "--to", String(window.end), "--pin", state.pinned.join(","), ...extra, "-o", file];
  const r = await cli(args);
  expect(r.code, r.err).toBe(0);
  return readFileSync(file);
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ds-screen-"));
  env = { DRAINSCOPE_DATA_DIR: dir };
  const files = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl")).map((f) => join(ROLLOUT, f));
  expect((await cli(["import", ...files])).code).toBe(0);
  rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: dir, DRAINSCOPE_WATCH: "off" }), { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
  // The episode view as the page opens it, then zoomed to 4 s around the second window with its pod pinned.
  const doc = await getTimeline(rt.store, { cluster: CLUSTER }, Date.now());
  const episode = doc.episodes[0]?.id ?? "";
  const w = doc.riskWindows[1];
  const uid = w?.podUids[0] ?? "";
  pinnedName = w?.pods[0] ?? "";
  state = { cluster: CLUSTER, namespace: "default", episode, pinned: [uid], follow: false };
  const start = Date.parse(w?.start ?? "");
  window = { start: start - 1000, end: start + 3130 };
});
afterAll(async () => {
  installRuntime(undefined);
  await rt.stop();
});

describe("the export of the view on screen", () => {
  it("SVG: the link and the CLI give the same bytes, with exactly the pinned lane and the visible range", async () => {
    const link = await viaLink("svg");
    expect(link.equals(await viaCli("svg"))).toBe(true);
    const svg = link.toString("utf8");
    expect([...svg.matchAll(/<g data-pod-uid="([^"]+)" data-pod-name="([^"]+)"/g)].map((m) => m[2])).toEqual([pinnedName]);
    expect(svg).toMatch(new RegExp(`^<svg [^>]*data-range-from="${window.start}" data-range-to="${window.end}" data-lanes="${state.pinned[0]}"`));
    expect(svg).toContain("(4.13 s)");
    // The whole episode (no range, no pin) is a different picture: every lane, the episode's range.
    const whole = (await getExport(new Request(`http://127.0.0.1${exportHref({ ...state, pinned: [] }, undefined, "svg")}`))).clone();
    const wholeSvg = await whole.text();
    expect(wholeSvg.match(/<g data-pod-uid=/g)?.length).toBeGreaterThan(1);
    expect(wholeSvg).not.toContain(`data-range-from="${window.start}"`);
  });

  it("Markdown and CSV: the pinned pod's window only, with its true start and duration", async () => {
    const md = (await viaLink("md")).toString("utf8");
    expect(md).toContain("| Pods | 1 (1 terminated), the pinned ones |");
    const rows = md.split("\n").filter((l) => l.startsWith("| high | `sigterm-before-deregistration` |"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`| 2.00 s | possible | ${pinnedName} |`);
    expect((await viaLink("md")).equals(await viaCli("md"))).toBe(true);
    const csv = (await viaLink("csv")).toString("utf8").trim().split("\r\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${pinnedName},`);
  });

  it("JSON bundle: the episode's observations, and the view (range, pins) to reopen it", async () => {
    const bundle = (await viaLink("json")).toString("utf8");
    const head = JSON.parse(`${bundle.slice(0, bundle.indexOf('"observations":['))}"observations":[]}`) as { view: Record<string, unknown> };
    expect(head.view).toEqual({ namespace: "default", episode: state.episode, from: window.start, to: window.end, pinned: state.pinned });
    // Imported, it reopens that view: the episode, zoomed, with the same pin.
    const res = await postImport(new Request("http://127.0.0.1/api/import?name=view.drainscope.json", { method: "POST", body: bundle, headers: { "x-drainscope-import": "1" } }));
    expect(res.status).toBe(200);
    const reopened = new URL(((await res.json()) as { timelineUrl: string }).timelineUrl, "http://x");
    expect(Object.fromEntries(reopened.searchParams)).toEqual({
      cluster: CLUSTER,
      namespace: "default",
      episode: state.episode,
      from: new Date(window.start).toISOString(),
      to: new Date(window.end).toISOString(),
      pin: state.pinned[0],
    });
  });

  it("PNG: link and CLI agree on size and on the view in the tEXt chunk", async () => {
    const link = await viaLink("png");
    const file = await viaCli("png");
    const size = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) });
    expect(size(link)).toEqual(size(file));
    const meta = JSON.parse(readPngText(new Uint8Array(link))["drainscope:view"] ?? "{}") as { from: number; to: number; lanes: { name: string }[] };
    expect({ from: meta.from, to: meta.to, lanes: meta.lanes.map((l) => l.name) }).toEqual({ from: window.start, to: window.end, lanes: [pinnedName] });
    expect(readPngText(new Uint8Array(file))).toEqual(readPngText(new Uint8Array(link)));
  }, 60_000);

  it("lane filters: the link and the CLI export exactly the lanes on screen (a name search, idle lanes hidden)", async () => {
    const doc = await getTimeline(rt.store, { cluster: CLUSTER, episode: state.episode ?? "" }, Date.now());
    const lanesOf = (svg: string) => [...svg.matchAll(/<g data-pod-uid="([^"]+)" data-pod-name="([^"]+)"/g)].map((m) => m[2]);
    // A name search, upper-case: the one pod whose name holds the text (the pinned pod's name, its last 5 characters).
    const needle = pinnedName.slice(-5).toUpperCase();
    expect(doc.lanes.filter((l) => l.name.toLowerCase().includes(needle.toLowerCase())).map((l) => l.name)).toEqual([pinnedName]);
    expect(doc.lanes.length).toBeGreaterThan(1); // the filter hides something, or this proves nothing
    const searched: TimelineViewState = { ...state, pinned: [], search: needle };
    const link = Buffer.from(await (await getExport(new Request(`http://127.0.0.1${exportHref(searched, undefined, "svg")}`))).arrayBuffer());
    expect(lanesOf(link.toString("utf8"))).toEqual([pinnedName]);
    const file = join(mkdtempSync(join(tmpdir(), "ds-screen-out-")), "searched.svg");
    const r = await cli(["export", "--format", "svg", "--cluster", CLUSTER, "--namespace", "default", "--episode", state.episode ?? "", "--search", needle, "-o", file]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(file).equals(link)).toBe(true);
    // Idle lanes hidden in a 2 ms zoom on the rollout's first delete: only the pod deleted then changes in it.
    const first = [...doc.lanes].filter((l) => l.keyTimes.deleteRequested !== undefined).sort((x, y) => (x.keyTimes.deleteRequested?.at ?? 0) - (y.keyTimes.deleteRequested?.at ?? 0))[0];
    const t = first?.keyTimes.deleteRequested?.at ?? 0;
    const zoom = { start: t - 1, end: t + 1 };
    const idle: TimelineViewState = { ...state, pinned: [], hideIdle: true };
    const idleLink = Buffer.from(await (await getExport(new Request(`http://127.0.0.1${exportHref(idle, zoom, "svg")}`))).arrayBuffer());
    expect(lanesOf(idleLink.toString("utf8"))).toEqual([first?.name]);
    const r2 = await cli(["export", "--format", "svg", "--cluster", CLUSTER, "--namespace", "default", "--episode", state.episode ?? "", "--from", String(zoom.start), "--to", String(zoom.end), "--hide-idle", "-o", file]);
    expect(r2.code, r2.err).toBe(0);
    expect(readFileSync(file).equals(idleLink)).toBe(true);
    // The selected pod stays although idle there (like on screen), by link and --selected alike.
    const other = doc.lanes.find((l) => l.uid !== first?.uid);
    const withSelected = Buffer.from(await (await getExport(new Request(`http://127.0.0.1${exportHref({ ...idle, pod: other?.uid ?? "" }, zoom, "svg")}`))).arrayBuffer());
    expect([...lanesOf(withSelected.toString("utf8"))].sort()).toEqual([first?.name, other?.name].sort());
  });

  it("bad lane filters are a 400 and a usage error", async () => {
    const res = await getExport(new Request(`http://127.0.0.1/api/export?format=csv&cluster=${CLUSTER}&q=${"x".repeat(101)}`));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("q");
    expect((await getExport(new Request(`http://127.0.0.1/api/export?format=csv&cluster=${CLUSTER}&risky=yes`))).status).toBe(400);
    const r = await cli(["export", "--format", "csv", "--cluster", CLUSTER, "--search", "x".repeat(101), "-o", "-"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--search");
  });

  it("a bad pin is a 400, and --pin is checked the same way", async () => {
    const res = await getExport(new Request(`http://127.0.0.1/api/export?format=csv&cluster=${CLUSTER}&pin=${encodeURIComponent("<x>")}`));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("pod uids");
    const r = await cli(["export", "--format", "csv", "--cluster", CLUSTER, "--pin", "a b", "-o", "-"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--pin");
  });
});
