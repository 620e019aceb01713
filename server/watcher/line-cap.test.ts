// A watch line over the cap is refused while it is read: the stream is dropped with a clear log line,
// the watcher relists and records a gap. A fake API server on 127.0.0.1; the cap is tiny (4 KiB).
import { KubeConfig } from "@kubernetes/client-node";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { systemEffects } from "../runtime/runtime";
import { renderKubeconfig } from "../sim/api/kubeconfig";
import { startClusterWatcher } from "./cluster-watcher";
import { createKubeTransport, maxWatchLineBytesFromEnv } from "./kube-transport";
import { cappedLines, DEFAULT_MAX_WATCH_LINE_BYTES, LineTooLongError } from "./line-reader";
import { WATCHED_RESOURCES } from "./resources";

const CAP = 4096;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function collect(chunks: string[], cap: number): Promise<string[]> {
  const out: string[] = [];
  async function* source() {
    for (const c of chunks) yield Buffer.from(c);
  }
  for await (const l of cappedLines(source(), cap)) out.push(l);
  return out;
}

describe("cappedLines", () => {
  it("splits lines across chunks, strips CR, yields a last line without newline", async () => {
    expect(await collect(['{"a":', '1}\r\n{"b"', ":2}\n\n", "tail"], 100)).toEqual(['{"a":1}', '{"b":2}', "", "tail"]);
  });

  it("decodes lines whole however the chunks split them, multi-byte characters included", async () => {
    const text = '{"n":"é"}\r\n{"emoji":"😀","ns":"日本"}\n\n{"a":1}\n{"tail":"ü"}';
    const bytes = Buffer.from(text);
    const expected = ['{"n":"é"}', '{"emoji":"😀","ns":"日本"}', "", '{"a":1}', '{"tail":"ü"}'];
    for (let size = 1; size <= bytes.length; size++) {
      const out: string[] = [];
      async function* source() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      for await (const l of cappedLines(source(), 100)) out.push(l);
      expect(out, `chunks of ${size} bytes`).toEqual(expected);
    }
  });

  it("counts bytes, not characters, against the cap, and a CR only before its newline", async () => {
    // "é" is 2 bytes: a line of 3 of them is 6 bytes, over a cap of 5.
    await expect(collect(["ab\n", "éé", "é\n"], 5)).rejects.toThrow(LineTooLongError);
    expect(await collect(["ab\n", "éé", "\n"], 4)).toEqual(["ab", "éé"]);
    expect(await collect(["a\rb\r", "\r\nc\r"], 10)).toEqual(["a\rb\r", "c\r"]);
  });

  it("fails as soon as one line passes the cap, before the line ends", async () => {
    const seen: string[] = [];
    let chunksRead = 0;
    async function* source() {
      yield Buffer.from("ok\n");
      for (let i = 0; i < 1000; i++) {
        chunksRead++;
        yield Buffer.alloc(1024, 0x61); // never a newline
      }
    }
    await expect(
      (async () => {
        for await (const l of cappedLines(source(), CAP)) seen.push(l);
      })(),
    ).rejects.toThrow(new LineTooLongError(`watch line over ${CAP} bytes (DRAINSCOPE_MAX_WATCH_LINE_BYTES)`));
    expect(seen).toEqual(["ok"]);
    // 4 chunks fill the cap exactly; the 5th passes it: reading stops there.
    expect(chunksRead).toBe(5);
  });

  it("reads the cap from DRAINSCOPE_MAX_WATCH_LINE_BYTES, ignoring nonsense", () => {
    expect(maxWatchLineBytesFromEnv({ DRAINSCOPE_MAX_WATCH_LINE_BYTES: "4096" })).toBe(4096);
    expect(maxWatchLineBytesFromEnv({ DRAINSCOPE_MAX_WATCH_LINE_BYTES: "12" })).toBe(DEFAULT_MAX_WATCH_LINE_BYTES);
    expect(maxWatchLineBytesFromEnv({ DRAINSCOPE_MAX_WATCH_LINE_BYTES: "1e9" })).toBe(DEFAULT_MAX_WATCH_LINE_BYTES);
    expect(maxWatchLineBytesFromEnv({})).toBe(DEFAULT_MAX_WATCH_LINE_BYTES);
  });
});

/** Serves empty pod lists; the first pod watch sends one good bookmark, then a line of `hugeBytes`. */
async function hugeLineApi(hugeBytes: number) {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  let watches = 0;
  let hugeBytesWritten = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const watch = url.searchParams.get("watch") === "true";
    requests.push(`${watch ? "watch" : "list"} ${url.pathname}`);
    res.writeHead(200, { "content-type": "application/json" });
    if (!watch) return void res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: [] }));
    open.add(res);
    res.on("close", () => open.delete(res));
    if (++watches > 1) return void res.flushHeaders();
    res.write(JSON.stringify({ type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: "2" } } }) + "\n");
    const chunk = "x".repeat(1024);
    const pump = () => {
      while (hugeBytesWritten < hugeBytes && !res.destroyed) {
        hugeBytesWritten += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
    };
    res.write('{"type":"ADDED","object":{"metadata":{"name":"');
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.push(async () => {
    for (const r of open) r.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const kc = new KubeConfig();
  kc.loadFromString(renderKubeconfig({ server: url, token: "t", name: "huge" }));
  return { kc, requests, hugeBytesWritten: () => hugeBytesWritten };
}

describe("a watch line over the cap, from a server on 127.0.0.1", () => {
  it("drops the stream with a clear log line, records a gap and relists", async () => {
    const api = await hugeLineApi(64 * 1024);
    const sunk: LifecycleEvent[] = [];
    const logs: string[] = [];
    const w = startClusterWatcher({
      cluster: "huge",
      transport: createKubeTransport(api.kc, { maxLineBytes: CAP }),
      resources: [WATCHED_RESOURCES[0]!],
      sink: (events) => sunk.push(...events),
      effects: systemEffects,
      tuning: { backoffInitialMs: 10, backoffMaxMs: 50 },
      log: (l) => logs.push(l),
    });
    cleanup.push(() => w.stop());
    const h = w.health.resources[0]!;
    for (let i = 0; i < 200 && !(h.relists === 1 && h.connected); i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.relists).toBe(1);
    expect(api.requests).toEqual(["list /api/v1/pods", "watch /api/v1/pods", "list /api/v1/pods", "watch /api/v1/pods"]);
    const gaps = sunk.filter((e): e is WatcherGap => e.type === "watcher-gap");
    expect(gaps.map((g) => [g.resource, g.reason])).toEqual([["pods", `watch line over ${CAP} bytes (DRAINSCOPE_MAX_WATCH_LINE_BYTES)`]]);
    expect(gaps[0]!.to).toBeGreaterThanOrEqual(gaps[0]!.from);
    expect(logs.filter((l) => l.includes("over 4096 bytes"))).toEqual([
      `drainscope: cluster huge: pods: watch line over ${CAP} bytes (DRAINSCOPE_MAX_WATCH_LINE_BYTES); dropped the stream, relisting (the time is recorded as a gap)`,
    ]);
  });
});
