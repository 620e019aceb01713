/**
 * The HAProxy source against Debian's real haproxy (bin/ensure-test-deps.sh installs it): the test
 * writes a config with two admin stats sockets (a unix socket in a temp dir, and TCP 127.0.0.1:3330) and
 * a TCP frontend on 127.0.0.1:3331, holds one client connection through it to s1, then drains s1, disables s2 and deletes
 * it, and asserts the exact observations each poll yields. haproxy runs in the foreground (-db) and is
 * stopped by its PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LbMemberChanged, LifecycleEvent } from "../../lib/model/events";
import { haproxySource, parseRuntimeAddress, runtimeCommand } from "./haproxy-source";
import { startLbPoller } from "./poller";

const HAPROXY = process.env.HAPROXY_PATH ?? "/usr/sbin/haproxy";
const missing = existsSync(HAPROXY) ? undefined : `${HAPROXY} is not installed (apt-get install haproxy, or run bin/ensure-test-deps.sh)`;
if (missing) console.warn(`SKIPPING the real-haproxy test: ${missing}`);

const ADMIN_TCP_PORT = 3330;
const FRONTEND_PORT = 3331;
const S1_PORT = 3332;
const S2_PORT = 3333;

async function until(cond: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(missing !== undefined)("HAProxy Runtime API source (real haproxy)", () => {
  let dir = "";
  let haproxy: ChildProcess | undefined;
  let upstream: Server | undefined;
  const held: Socket[] = [];
  let socketPath = "";
  let output = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ds-haproxy-"));
    socketPath = join(dir, "admin.sock");
    // The backend server s1 points at: accepts and holds connections.
    upstream = createServer((s) => held.push(s));
    await new Promise<void>((r) => upstream?.listen(S1_PORT, "127.0.0.1", r));
    writeFileSync(
      join(dir, "haproxy.cfg"),
      [
        "global",
        `  stats socket ${socketPath} level admin`,
        `  stats socket ipv4@127.0.0.1:${ADMIN_TCP_PORT} level admin`,
        "  maxconn 64",
        "defaults",
        "  mode tcp",
        "  timeout connect 1s",
        "  timeout client 30s",
        "  timeout server 30s",
        "frontend fe",
        `  bind 127.0.0.1:${FRONTEND_PORT}`,
        "  default_backend be_web",
        "backend be_web",
        "  balance first",
        `  server s1 127.0.0.1:${S1_PORT} maxconn 8`,
        `  server s2 127.0.0.1:${S2_PORT} weight 50`,
        "",
      ].join("\n"),
    );
    haproxy = spawn(HAPROXY, ["-db", "-f", join(dir, "haproxy.cfg")], { stdio: ["ignore", "pipe", "pipe"] });
    haproxy.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    haproxy.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const address = parseRuntimeAddress(socketPath);
    if ("error" in address) throw new Error(address.error);
    await until(async () => existsSync(socketPath) && (await runtimeCommand(address, "show info", AbortSignal.timeout(1000)).then(() => true, () => false)), `haproxy's stats socket (${output})`);
  }, 20_000);

  afterAll(async () => {
    for (const s of held) s.destroy();
    if (haproxy?.pid !== undefined && haproxy.exitCode === null) {
      const exited = new Promise((r) => haproxy?.once("exit", r));
      process.kill(haproxy.pid, "SIGTERM");
      await exited;
    }
    await new Promise((r) => (upstream ? upstream.close(r) : r(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it("drain, disable and delete through the socket become exactly these observations", async () => {
    // Admin commands over the TCP socket, polls over the unix one: both transports in one run.
    const address = parseRuntimeAddress(`tcp://127.0.0.1:${ADMIN_TCP_PORT}`);
    if ("error" in address) throw new Error(address.error);
    const admin = (cmd: string) => runtimeCommand(address, cmd, AbortSignal.timeout(2000));
    let now = 1_000_000;
    const out: LifecycleEvent[] = [];
    const poller = startLbPoller(
      { source: haproxySource({ name: "edge", address: `unix://${socketPath}`, namespace: "shop", service: "web" }), cluster: "c", intervalMs: 1000, now: () => now, sink: (e) => out.push(...e) },
      { autoStart: false },
    );
    const step = async () => {
      out.length = 0;
      await poller.pollOnce();
      expect(poller.health.lastError).toBeUndefined();
      now += 1000;
      return out.filter((e): e is LbMemberChanged => e.type === "lb-member-changed").map((e) => `${e.lb} ${e.member} ${e.state} w=${e.weight} cx=${e.connections} [${e.range[0] - 1_000_000},${e.range[1] - 1_000_000}] ${e.precision}`);
    };

    // One client connection through the frontend: `balance first` sends it to s1.
    const client = connect({ host: "127.0.0.1", port: FRONTEND_PORT });
    held.push(client);
    await until(() => held.length >= 2, "the proxied connection to reach s1");
    expect(await step()).toEqual([
      "be_web 127.0.0.1:3332 active w=1 cx=1 [0,0] exact",
      "be_web 127.0.0.1:3333 active w=50 cx=0 [0,0] exact",
    ]);
    expect(await step()).toEqual([]);

    expect(await admin("set server be_web/s1 state drain")).toBe("\n");
    expect(await step()).toEqual(["be_web 127.0.0.1:3332 draining w=0 cx=1 [1000,2000] estimated"]);

    await admin("disable server be_web/s2");
    expect(await step()).toEqual(["be_web 127.0.0.1:3333 removed w=0 cx=0 [2000,3000] estimated"]);

    expect((await admin("del server be_web/s2")).trim()).toBe("Server deleted.");
    expect(await step()).toEqual([]);

    // The client hangs up: the draining server's session count drops to 0.
    client.destroy();
    await until(async () => (await admin("show stat")).includes("be_web,s1,0,0,0,"), "s1's session to end");
    expect(await step()).toEqual(["be_web 127.0.0.1:3332 draining w=0 cx=0 [4000,5000] estimated"]);

    await admin("set server be_web/s1 state ready");
    expect(await step()).toEqual(["be_web 127.0.0.1:3332 active w=1 cx=0 [5000,6000] estimated"]);
    expect(out.every((e) => e.type !== "lb-member-changed" || (e.namespace === "shop" && e.service === "web" && e.lbSource === "haproxy"))).toBe(true);
    await poller.stop();
    expect(poller.health).toMatchObject({ polls: 7, errors: 0, members: 1, gaps: 0 });
  });

  it("a socket nobody listens on is a failed poll with the reason", async () => {
    const poller = startLbPoller({ source: haproxySource({ name: "gone", address: join(dir, "nothing.sock") }), cluster: "c", intervalMs: 1000, now: () => 0, sink: () => {} }, { autoStart: false });
    await poller.pollOnce();
    await poller.stop();
    expect(poller.health).toMatchObject({ polls: 0, errors: 1, lastError: expect.stringContaining("ENOENT") });
  });
});
