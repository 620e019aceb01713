/**
 * LB sources in a real runtime: DRAINSCOPE_LB_CONFIG names a file with one Envoy source, polled every
 * 0.2 s against a loopback admin endpoint (127.0.0.1:3336) that the test can make fail. /api/health
 * shows the source's health, /metrics its counters, and an outage is stored as an lb:<name> gap.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { getHealth } from "../http/handlers";
import { installRuntime } from "./registry";
import { RuntimeError, startRuntime, systemEffects } from "./runtime";

const PORT = 3336;
let answering = true;
let server: Server;
const dir = mkdtempSync(join(tmpdir(), "ds-lbrt-"));
const envoy = JSON.stringify({ cluster_statuses: [{ name: "shop/web/80", host_statuses: [{ address: { socket_address: { address: "10.0.0.7", port_value: 8080 } }, health_status: { eds_health_status: "HEALTHY" }, weight: 1 }] }] });

beforeAll(async () => {
  server = createServer((_req, res) => (answering ? res.writeHead(200, { "content-type": "application/json" }).end(envoy) : res.writeHead(503).end()));
  await new Promise<void>((r) => server.listen(PORT, "127.0.0.1", r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("LB sources in the runtime", () => {
  it("polls the configured source, reports its health, and records an outage as a gap", async () => {
    const file = join(dir, "lb.yaml");
    writeFileSync(file, `sources:\n  - { name: gw, kind: envoy, url: "http://127.0.0.1:${PORT}", intervalSeconds: 0.2, namespace: shop }\n`);
    const env = { DRAINSCOPE_LB_CONFIG: file };
    const rt = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: join(dir, "data"), DRAINSCOPE_WATCH: "off" }), { env, log: () => {}, effects: systemEffects });
    installRuntime(Promise.resolve(rt));
    try {
      await until(() => (rt.lbSources()[0]?.polls ?? 0) >= 2, "two polls");
      answering = false;
      await until(() => rt.lbSources()[0]?.failingSince !== undefined, "the source to fail");
      // Live timelines see the outage while it lasts.
      expect(rt.openGaps().filter((g) => g.resource === "lb:gw").map((g) => [g.namespace, g.to])).toEqual([["shop", undefined]]);
      const health = (await (await getHealth(new Request("http://127.0.0.1/api/health"))).json()) as { lbSources: { name: string; kind: string; up: boolean; lastError: string; failingSince: string | null }[] };
      expect(health.lbSources).toMatchObject([{ name: "gw", kind: "envoy", up: false, lastError: expect.stringContaining("503"), failingSince: expect.any(String) }]);
      expect(await rt.metrics()).toMatch(/drainscope_lb_up\{source="gw",kind="envoy"\} 0/);
      answering = true;
      await until(() => rt.lbSources()[0]?.gaps === 1, "the source to answer again");
      expect(rt.openGaps().filter((g) => g.resource === "lb:gw")).toEqual([]);
      expect(await rt.metrics()).toMatch(/drainscope_lb_up\{source="gw",kind="envoy"\} 1/);
    } finally {
      installRuntime(undefined);
      await rt.stop();
    }
    const reopened = await startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: join(dir, "data"), DRAINSCOPE_WATCH: "off" }), { env: {}, log: () => {}, effects: systemEffects });
    try {
      const stored = await reopened.store.query({ cluster: "default" });
      expect(stored.filter((e) => e.type === "lb-member-changed").map((e) => e.type === "lb-member-changed" && `${e.lb} ${e.member} ${e.state} ${e.namespace}`)).toEqual(["shop/web/80 10.0.0.7:8080 active shop"]);
      const gaps = stored.filter((e) => e.type === "watcher-gap");
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toMatchObject({ resource: "lb:gw", namespace: "shop", reason: expect.stringContaining("did not answer: GET http://127.0.0.1:3336/clusters: 503") });
    } finally {
      await reopened.stop();
    }
  });

  it("an invalid file stops start-up with the field in error, before the store opens", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "sources:\n  - { name: gw, kind: envoy, url: 'not a url' }\n");
    const start = startRuntime(loadConfig({ DRAINSCOPE_DATA_DIR: join(dir, "never"), DRAINSCOPE_WATCH: "off" }), { env: { DRAINSCOPE_LB_CONFIG: file }, log: () => {}, effects: systemEffects });
    await expect(start).rejects.toThrow(RuntimeError);
    await expect(start).rejects.toThrow(`LB sources: ${file}: sources[0].url: an http:// or https:// URL`);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });
});
