// Exports read from a real store, including the PNG rendered by Debian's Chromium.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { svgLayout } from "../../lib/export/svg";
import { importIntoStore, readImportFiles } from "../import/apply";
import { getTimeline } from "../queries/timeline";
import { openSqliteStore } from "../store/sqlite";
import type { Store } from "../store/types";
import { AmbiguousClusterError, exportView } from "./export-view";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
const NOW = Date.parse("2026-11-22T07:00:00Z");
const Q = { cluster: "prod-eu", namespace: "default", service: "web", from: Date.parse("2026-11-22T05:41:00Z"), to: Date.parse("2026-11-22T05:42:00Z") };
let store: Store;

beforeAll(async () => {
  store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), "ds-export-")), "drainscope.db") });
  await importIntoStore(store, await readImportFiles(["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].map((f) => join(FIXTURE, f)), 1e9), { cluster: "prod-eu" });
});
afterAll(async () => {
  await store.close();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(buf.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe("exportView", () => {
  it("PNG: a real PNG of the SVG's size, rendered headlessly", async () => {
    const r = await exportView(store, Q, "png", NOW);
    expect(r.contentType).toBe("image/png");
    expect(r.fileName).toBe("drainscope-prod-eu-default-web-2026-11-22T054100.png");
    const doc = await getTimeline(store, Q, NOW);
    const expected = svgLayout({ cluster: "prod-eu", view: {}, doc });
    expect(Buffer.isBuffer(r.body)).toBe(true);
    expect(pngSize(r.body as Buffer)).toEqual(expected);
    expect((r.body as Buffer).length).toBeGreaterThan(10_000); // drawn, not blank
  }, 60_000);

  it("SVG: the same size and the risk-window labels", async () => {
    const r = await exportView(store, Q, "svg", NOW);
    const svg = String(r.body);
    const doc = await getTimeline(store, Q, NOW);
    const { width, height } = svgLayout({ cluster: "prod-eu", view: {}, doc });
    expect(svg).toContain(`width="${width}" height="${height}"`);
    expect(svg).toContain(">sigterm-before-deregistration<");
  });

  it("Markdown references the PNG of the same view", async () => {
    const md = String((await exportView(store, Q, "md", NOW)).body);
    expect(md).toContain("](drainscope-prod-eu-default-web-2026-11-22T054100.png)");
    expect(md).toContain("| Severity | Rule |");
  });

  it("needs a cluster when the store holds several", async () => {
    const other = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), "ds-export2-")), "drainscope.db") });
    try {
      const files = await readImportFiles([join(FIXTURE, "pods.jsonl")], 1e9);
      await importIntoStore(other, files, { cluster: "a" });
      await importIntoStore(other, files, { cluster: "b" });
      await expect(exportView(other, {}, "csv", NOW)).rejects.toBeInstanceOf(AmbiguousClusterError);
      await expect(exportView(other, {}, "csv", NOW)).rejects.toThrow("the store holds several clusters (a, b): choose one with cluster=");
      await expect(exportView(other, { cluster: "zz" }, "csv", NOW)).rejects.toThrow('no cluster "zz" in the store (known: a, b)');
    } finally {
      await other.close();
    }
  });
});
