// DELETE /api/clusters/:name as Next calls it, on a real runtime with a SQLite store: write-protected
// like imports, validates the name, removes exactly one cluster.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { installRuntime } from "../runtime/registry";
import { startRuntime, systemEffects, type Runtime } from "../runtime/runtime";
import { deleteClusterHandler, getClusters } from "./handlers";
import { postImport } from "./transfer";

const FIXTURE = join(__dirname, "../../../shared/fixtures/real-v1.24-rollout");
let rt: Runtime;

beforeAll(async () => {
  rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-del-")), DRAINSCOPE_WATCH: "off" }), { env: {}, log: () => {}, effects: systemEffects });
  installRuntime(Promise.resolve(rt));
  const pods = readFileSync(join(FIXTURE, "pods.jsonl"), "utf8");
  for (const cluster of ["keep", "drop"]) {
    const r = await postImport(new Request(`http://127.0.0.1/api/import?name=pods.jsonl&cluster=${cluster}`, { method: "POST", body: pods, headers: { "x-drainscope-import": "1" } }));
    expect(r.status).toBe(200);
  }
});
afterAll(async () => {
  installRuntime(undefined);
  await rt.stop();
});

const del = (name: string, headers: Record<string, string> = { "x-drainscope-write": "1" }) =>
  deleteClusterHandler(new Request(`http://127.0.0.1/api/clusters/${encodeURIComponent(name)}`, { method: "DELETE", headers }), name);
const names = async () => ((await (await getClusters(new Request("http://127.0.0.1/api/clusters"))).json()) as { clusters: { name: string; origin: string; events: number }[] }).clusters.map((c) => [c.name, c.origin, c.events]);

describe("DELETE /api/clusters/:name", () => {
  it("refuses without the write header, a bad name, and an unknown cluster; deletes exactly one", async () => {
    const before = await names();
    expect(before).toEqual([["drop", "imported", 69], ["keep", "imported", 69]]);
    const bare = await del("drop", {});
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: string }).error).toBe("deleting a cluster needs the header X-Drainscope-Write: 1 (or an Authorization token)");
    const bad = await del("../drop");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^cluster: "\.\.\/drop" is not a valid cluster name/);
    const unknown = await del("nope");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('no cluster "nope" in the store');
    expect(await names()).toEqual(before);
    const ok = await del("drop");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ cluster: "drop", deleted: 69 });
    expect(await names()).toEqual([["keep", "imported", 69]]);
  });
});
