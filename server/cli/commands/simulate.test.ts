import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io";
import { simulateCommand } from "./simulate";

function captureIo(env: Record<string, string> = {}): CliIo & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), env, stdout: () => out, stderr: () => err };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("drainscope simulate", () => {
  it("prints help and the scenario list", async () => {
    const io = captureIo();
    expect(await simulateCommand(["--help"], io)).toBe(0);
    expect(io.stdout()).toContain("--scenario NAME");
    expect(io.stdout()).toContain("--write-kubeconfig PATH");
    const list = captureIo();
    expect(await simulateCommand(["--list"], list)).toBe(0);
    expect(list.stdout()).toContain("clean-rollout");
    expect(list.stdout()).toContain("gateway-sync-lag");
    expect(list.stdout()).toContain("sigterm-before-deregistration ×3");
  });

  it("rejects bad usage with exit 2", async () => {
    for (const argv of [[], ["--scenario", "nope"], ["--scenario", "clean-rollout", "--speed", "0"], ["--bogus"], ["--scenario", "clean-rollout", "--faults", "meteor"]]) {
      const io = captureIo();
      expect(await simulateCommand(argv, io), argv.join(" ")).toBe(2);
      expect(io.stderr()).toContain("drainscope simulate:");
    }
    const env = captureIo({ DRAINSCOPE_SIM_SPEED: "fast", DRAINSCOPE_SIM_SCENARIO: "clean-rollout" });
    expect(await simulateCommand([], env)).toBe(2);
  });

  it("--kubeconfig still names the file it writes, with a deprecation note", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-cli-"));
    const path = join(dir, "old.kubeconfig");
    const io = captureIo();
    const stop = new AbortController();
    try {
      const running = simulateCommand(["--scenario", "scale-to-zero", "--kubeconfig", path], io, stop.signal);
      await until(() => io.stdout().includes("kubeconfig:"), "the banner");
      expect(io.stdout()).toContain(`kubeconfig:  ${path}`);
      expect(io.stderr()).toContain("--kubeconfig is deprecated here, use --write-kubeconfig PATH");
      expect(await readFile(path, "utf8")).toContain("current-context:");
      stop.abort();
      expect(await running).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("serves the scenario with a kubeconfig client-node accepts, flags over env, and stops cleanly", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-cli-"));
    const path = join(dir, "sim.kubeconfig");
    const io = captureIo({ DRAINSCOPE_SIM_SCENARIO: "no-such-scenario", DRAINSCOPE_SIM_SPEED: "1" });
    const stop = new AbortController();
    try {
      const running = simulateCommand(["--scenario", "scale-to-zero", "--speed", "50", "--write-kubeconfig", path], io, stop.signal);
      await until(() => io.stdout().includes("finished; still serving"), "the scenario to finish");
      expect(io.stdout()).toContain(`kubeconfig:  ${path}`);
      expect(io.stdout()).toContain(`drainscope start --kubeconfig ${path}`);
      expect(io.stderr()).not.toContain("deprecated");
      expect(io.stdout()).toMatch(/API server:  http:\/\/127\.0\.0\.1:\d+/);
      expect(io.stdout()).toMatch(/data plane:  kube-proxy\s+http:\/\/127\.0\.0\.1:\d+\/__sim\/dataplanes\/kube-proxy/);
      expect(await readFile(path, "utf8")).toContain("insecure-skip-tls-verify: true");
      const kc = new KubeConfig();
      kc.loadFromFile(path);
      const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "scale-to-zero" });
      expect(pods.items).toEqual([]);
      stop.abort();
      expect(await running).toBe(0);
      expect(io.stdout()).toContain("Simulated cluster stopped.");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
