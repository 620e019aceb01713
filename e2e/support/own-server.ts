import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A spec's OWN `next start` on a fresh store, for specs that write (imports, logins) and must not touch the
 * shared seeded servers of playwright.config.ts. A free loopback port each time, so specs running in
 * parallel never collide; its own process group, so stopping it also stops next-server.
 */
export interface OwnServer {
  readonly base: string;
  readonly dataDir: string;
  /** A scratch folder for the spec's own files, removed with the server. */
  readonly scratch: string;
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export interface OwnServerOptions {
  /** A fixed port, for specs that set `baseURL` when the file loads; a free port otherwise. */
  readonly port?: number;
  /** Variables of this process's environment the server must not see (e.g. KUBECONFIG, for the simulator). */
  readonly unset?: readonly string[];
  readonly timeoutMs?: number;
}

export async function startOwnServer(name: string, env: Readonly<Record<string, string>>, opts: OwnServerOptions = {}): Promise<OwnServer> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `drainscope-e2e-${name}-`));
  const dataDir = path.join(tmp, 'data');
  const port = opts.port ?? (await freePort());
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DRAINSCOPE_DATA_DIR: dataDir, DRAINSCOPE_WATCH: 'off', ...env };
  for (const key of opts.unset ?? []) delete childEnv[key];
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: process.cwd(),
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-16_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      killGroup(child, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) killGroup(child, 'SIGKILL');
    }
    await rm(tmp, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${name} test server exited (${child.exitCode}):\n${log}`);
    }
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} test server did not answer ${base}/api/health:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, dataDir, scratch: tmp, log: () => log, stop };
}
