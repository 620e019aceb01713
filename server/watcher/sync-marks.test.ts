// Sync marks (the last in-sync time per resource, stored so a restart can record its downtime as a gap):
// throttled to one per syncEveryMs, plus one at every list, bookmark and stop. Simulated clock.
import { describe, expect, it } from "vitest";
import { startClusterWatcher } from "./cluster-watcher";
import type { KubeTransport } from "./kube-transport";
import { WATCHED_RESOURCES } from "./resources";

describe("sync marks", () => {
  it("one per 5 s of advancing stream, and at the list, each bookmark and the stop", async () => {
    let clock = 0;
    let watches = 0;
    const transport: KubeTransport = {
      server: "http://fake",
      list: async () => ({ items: [], resourceVersion: "1" }),
      async watch(_p, _q, { onOpen, onLine }, signal) {
        onOpen();
        if (++watches > 1) return new Promise<void>((_, reject) => signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true }));
        for (let t = 1000; t <= 12_000; t += 500) {
          clock = t;
          const bookmark = t === 7500;
          onLine({ type: bookmark ? "BOOKMARK" : "MODIFIED", object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(t) } } });
        }
      },
    };
    const marks: [string, string, number][] = [];
    const w = startClusterWatcher({
      cluster: "prod",
      transport,
      resources: [WATCHED_RESOURCES[0]!],
      sink: () => undefined,
      effects: { now: () => clock, random: () => 0.5, sleep: async () => undefined },
      onSyncMark: (m) => marks.push([m.resource, m.namespace, m.inSyncAt]),
    });
    for (let i = 0; i < 100 && watches < 2; i++) await new Promise((r) => setTimeout(r, 5));
    clock = 20_000;
    await w.stop();
    // list at 0; lines at 1–4.5 s too soon; 5 s; the bookmark at 7.5 s; 8–12 s within 5 s of it; the stop at 20 s.
    expect(marks).toEqual([
      ["pods", "", 0],
      ["pods", "", 5000],
      ["pods", "", 7500],
      ["pods", "", 20_000],
    ]);
  });
});
