import { ApiException, CoreV1Api } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { namespaceObject } from "../k8s/builders";
import { openWatch, startTestApi, tick, type TestApi } from "./testing";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function addNamespace(a: TestApi, name: string): void {
  a.store.create("namespaces", namespaceObject(name));
}

async function rawWatch(a: TestApi, path: string): Promise<{ lines: string[]; ended: Promise<"end" | "error">; abort: () => void }> {
  const controller = new AbortController();
  const res = await fetch(`${a.server.url}${path}`, { headers: { authorization: `Bearer ${a.token}` }, signal: controller.signal });
  const lines: string[] = [];
  const body = res.body;
  if (!body) throw new Error("no body");
  const ended = (async (): Promise<"end" | "error"> => {
    const decoder = new TextDecoder();
    let buf = "";
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          lines.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      }
      return "end";
    } catch {
      return "error";
    }
  })();
  return { lines, ended, abort: () => controller.abort() };
}

describe("fault hooks", () => {
  it("drop-watches cuts every open watch without a clean end", async () => {
    api = await startTestApi();
    const rv = api.store.currentRv();
    const a = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: rv });
    const b = await openWatch(api.kc, "/api/v1/pods", { resourceVersion: rv });
    await tick();
    expect(api.server.faults.dropWatches()).toBe(2);
    await Promise.all([a.done, b.done]);
    expect(api.server.faults.state().openWatches).toBe(0);
    const raw = await rawWatch(api, `/api/v1/namespaces?watch=true&resourceVersion=${api.store.currentRv()}`);
    await tick();
    api.server.faults.dropWatches();
    expect(await raw.ended).toBe("error");
  });

  it("expire-next makes the next list a 410 and the next watch an ERROR 410", async () => {
    api = await startTestApi();
    const core = api.kc.makeApiClient(CoreV1Api);
    api.server.faults.expireNext(2);
    const err = await core.listNamespace().catch((e: unknown) => e);
    expect(err instanceof ApiException && err.code).toBe(410);
    const w = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: api.store.currentRv() });
    await w.done;
    expect(w.events.map((e) => [e.type, e.object.kind, (e.object as { code?: number }).code])).toEqual([["ERROR", "Status", 410]]);
    expect((await core.listNamespace()).items).toHaveLength(1);
  });

  it("fail-next answers N requests with the code, then recovers", async () => {
    api = await startTestApi();
    const core = api.kc.makeApiClient(CoreV1Api);
    api.server.faults.failNext(2, 500);
    for (let i = 0; i < 2; i++) {
      const err = await core.listNamespace().catch((e: unknown) => e);
      expect(err instanceof ApiException && err.code).toBe(500);
    }
    expect((await core.listNamespace()).items).toHaveLength(1);
    api.server.faults.failNext(1, 503);
    const w = await openWatch(api.kc, "/api/v1/namespaces", {});
    const error = await w.done;
    expect(error).toMatchObject({ statusCode: 503 });
  });

  it("malformed-line writes a non-JSON line; the stream goes on afterwards", async () => {
    api = await startTestApi();
    const raw = await rawWatch(api, `/api/v1/namespaces?watch=true&resourceVersion=${api.store.currentRv()}`);
    const w = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: api.store.currentRv() });
    await tick();
    expect(api.server.faults.writeMalformedLine()).toBe(2);
    addNamespace(api, "after");
    await w.waitFor(1);
    await tick();
    expect(raw.lines).toHaveLength(2);
    expect(() => JSON.parse(raw.lines[0] ?? "")).toThrow();
    expect(JSON.parse(raw.lines[1] ?? "")).toMatchObject({ type: "ADDED", object: { metadata: { name: "after" } } });
    expect(w.events.map((e) => e.object.metadata.name)).toEqual(["after"]);
    raw.abort();
    w.abort();
  });

  it("stall-watches keeps sockets open but sends nothing more; new watches are healthy", async () => {
    api = await startTestApi({ speed: 100, bookmarkIntervalMs: 500 });
    const stalled = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: api.store.currentRv(), allowWatchBookmarks: true, timeoutSeconds: 5 });
    await tick(5);
    expect(api.server.faults.stallWatches()).toBe(1);
    await tick(30); // a bookmark written just before the stall may still be on its way
    const seenBeforeStall = stalled.events.length;
    addNamespace(api, "x");
    const fresh = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: api.store.currentRv() - 1 });
    await fresh.waitFor(1);
    await tick(100); // 10 s virtual: the stalled stream's bookmarks and timeout never come
    expect(stalled.events).toHaveLength(seenBeforeStall);
    const state = await Promise.race([stalled.done.then(() => "ended"), tick(50).then(() => "open")]);
    expect(state).toBe("open");
    expect(api.server.faults.state()).toMatchObject({ stalledWatches: 1 });
    stalled.abort();
    fresh.abort();
  });

  it("restart closes everything, loses history, and jumps the resourceVersion", async () => {
    api = await startTestApi({ speed: 100 });
    const before = api.store.currentRv();
    const w = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: before });
    await tick();
    await api.server.faults.restart({ downtimeMs: 2000, rvJump: 5000 });
    await w.done;
    const core = api.kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespace();
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(before + 5000);
    const old = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: before });
    await old.done;
    expect(old.events[0]?.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    const resumed = await openWatch(api.kc, "/api/v1/namespaces", { resourceVersion: list.metadata?.resourceVersion });
    addNamespace(api, "later");
    await resumed.waitFor(1);
    expect(resumed.events[0]?.object.metadata.name).toBe("later");
    resumed.abort();
  });

  it("refuses connections during a restart's downtime", async () => {
    api = await startTestApi({ speed: 10 });
    const restarting = api.server.faults.restart({ downtimeMs: 3000 });
    await tick(50);
    const err = await fetch(`${api.server.url}/version`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    await restarting;
    expect((await fetch(`${api.server.url}/version`)).status).toBe(200);
  });

  it("is driven over HTTP with the token, and validates the body", async () => {
    api = await startTestApi();
    const post = (body: unknown, token = api?.token) =>
      fetch(`${api?.server.url}/__sim/faults`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ fault: "fail-next", count: 3 }, "wrong")).status).toBe(401);
    expect((await post({ fault: "nonsense" })).status).toBe(400);
    expect((await post({ fault: "fail-next", count: 3, code: 418 })).status).toBe(400);
    const ok = await post({ fault: "fail-next", count: 3 });
    expect(ok.status).toBe(200);
    const state = await (await fetch(`${api.server.url}/__sim/faults`, { headers: { authorization: `Bearer ${api.token}` } })).json();
    expect(state).toMatchObject({ failNext: 3, failCode: 500 });
    const restart = await post({ fault: "restart" });
    expect(restart.status).toBe(202);
  });
});
