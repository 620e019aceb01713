// Leader election on a fake Lease API and a fake clock: who leads when, step-down before a successor
// may start, release on a graceful stop, and one winner when two race.
import { describe, expect, it } from "vitest";
import { startLeaderElection, type PreviousHolder } from "./leader-elector";
import type { LeaseApi, LeaseSpec, LeaseState } from "./lease-client";

const DURATION = 3000;
const RENEW = 1000;

function fakeTime() {
  let now = 1_000_000;
  const timers: { at: number; resolve: () => void }[] = [];
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => now,
    sleep: (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const t = { at: now + ms, resolve };
        timers.push(t);
        const onAbort = () => {
          const i = timers.indexOf(t);
          if (i >= 0) timers.splice(i, 1);
          reject(new Error("aborted"));
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    async advance(ms: number) {
      const end = now + ms;
      for (let guard = 0; guard < 10_000; guard++) {
        await settle();
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.resolve();
      }
      now = end;
      await settle();
    },
  };
}

/** One Lease in memory with the API server's optimistic concurrency; `cut` makes a client's calls fail. */
function fakeLeaseServer() {
  let stored: LeaseState | undefined;
  let rv = 0;
  const client = (cut: { value: boolean }): LeaseApi => {
    const reach = async () => {
      await Promise.resolve();
      if (cut.value) throw new Error("connection refused");
    };
    const write = (spec: LeaseSpec): LeaseState => (stored = { resourceVersion: String(++rv), spec });
    return {
      async get() {
        await reach();
        return stored;
      },
      async create(spec) {
        await reach();
        return stored ? "conflict" : write(spec);
      },
      async update(spec, resourceVersion) {
        await reach();
        return stored?.resourceVersion !== resourceVersion ? "conflict" : write(spec);
      },
    };
  };
  return { client, holder: () => stored?.spec.holderIdentity };
}

function replica(name: string, api: LeaseApi, time: ReturnType<typeof fakeTime>) {
  const controller = new AbortController();
  const record = { startedAt: [] as number[], stoppedAt: [] as number[], previous: [] as (PreviousHolder | undefined)[] };
  const election = startLeaderElection({
    api,
    identity: name,
    durationMs: DURATION,
    renewEveryMs: RENEW,
    now: time.now,
    sleep: time.sleep,
    signal: controller.signal,
    log: () => {},
    onStartedLeading: (p) => {
      record.startedAt.push(time.now());
      record.previous.push(p);
    },
    onStoppedLeading: () => void record.stoppedAt.push(time.now()),
  });
  return { election, record, stop: () => controller.abort() };
}

describe("leader election", () => {
  it("hands over only after the old leader has stepped down, and tells the successor when the old one last renewed", async () => {
    const time = fakeTime();
    const server = fakeLeaseServer();
    const aCut = { value: false };
    const a = replica("a", server.client(aCut), time);
    await time.advance(10);
    const b = replica("b", server.client({ value: false }), time);
    await time.advance(5000);
    expect(a.election.isLeader()).toBe(true);
    expect(b.election.isLeader()).toBe(false);
    expect(a.record.previous).toEqual([undefined]); // a created the Lease

    aCut.value = true; // a loses the API server
    const lastRenew = time.now() - ((time.now() - 1_000_000) % RENEW);
    await time.advance(6000);
    expect(server.holder()).toBe("b");
    const [stoppedA] = a.record.stoppedAt;
    const [startedB] = b.record.startedAt;
    if (stoppedA === undefined || startedB === undefined) throw new Error("no hand-over");
    expect(stoppedA).toBeLessThanOrEqual(lastRenew + (2 * DURATION) / 3 + RENEW);
    expect(startedB).toBeGreaterThan(stoppedA);
    expect(startedB).toBeGreaterThanOrEqual(lastRenew + DURATION);
    expect(startedB).toBeLessThanOrEqual(lastRenew + DURATION + 2 * RENEW);
    expect(b.record.previous).toEqual([{ holder: "a", lastRenewAt: lastRenew }]);
    a.stop();
    b.stop();
    await time.advance(10);
  });

  it("releases the Lease on a graceful stop, so the successor starts within one renew period", async () => {
    const time = fakeTime();
    const server = fakeLeaseServer();
    const a = replica("a", server.client({ value: false }), time);
    await time.advance(10);
    const b = replica("b", server.client({ value: false }), time);
    await time.advance(2000);
    a.stop();
    await time.advance(0);
    await a.election.done;
    const releasedAt = time.now();
    expect(server.holder()).toBe("");
    await time.advance(RENEW + 10);
    expect(b.election.isLeader()).toBe(true);
    expect(b.record.startedAt[0]).toBeLessThanOrEqual(releasedAt + RENEW);
    expect(b.record.previous[0]?.holder).toBe("");
    b.stop();
    await time.advance(10);
  });

  it("lets exactly one of two racing replicas win", async () => {
    const time = fakeTime();
    const server = fakeLeaseServer();
    const a = replica("a", server.client({ value: false }), time);
    const b = replica("b", server.client({ value: false }), time);
    await time.advance(10 * RENEW);
    expect([a.election.isLeader(), b.election.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(a.record.startedAt.length + b.record.startedAt.length).toBe(1);
    a.stop();
    b.stop();
    await time.advance(10);
  });
});
